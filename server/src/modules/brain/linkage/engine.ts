/**
 * The stages of a match job, each in SQL over the database except the standardisation (opencc,
 * pinyin) and the EM iterations (over a few hundred patterns):
 *   standardise → block → compare → estimate → score → decide.
 * A job restarted after a crash deletes its pairs and runs again from its first stage; pairs are
 * keyed (job, left, right), so a link can never be written twice.
 */
import { sql, type Selectable } from 'kysely';
import { fromJson, type Db } from '../../../core/db.js';
import { candidateShare, fitModel, levelWeights, priorWeight, type Model, type Pattern } from './em.js';
import { writeLinkRecords } from './records.js';
import { comparisonVectorSql, specByName, type LinkageSpec } from './spec.js';
import type { BrainMatchJobsTable } from './tables.js';

export type MatchJobRow = Selectable<BrainMatchJobsTable>;
export const STAGES = ['standardise', 'block', 'compare', 'estimate', 'score', 'decide'] as const;
export type Stage = (typeof STAGES)[number];
// Where each stage starts on the job's progress bar (standardising a 620,000 registry the first time dominates).
const STAGE_START: Record<Stage, number> = { standardise: 0, block: 0.4, compare: 0.55, estimate: 0.85, score: 0.9, decide: 0.97 };
const STD_BATCH = 20_000;
const COMPARE_CHUNKS = 20;

export interface JobProgress { stage: Stage; progress: number; pairsDone: number; pairsTotal: number }
export interface JobOutcome {
  model: Model & { weights: number[][]; prior: number };
  ruleCounts: { rule: string; label: string; pairs: number }[];
  counts: { candidatePairs: number; auto: number; review: number; none: number; leftRecords: number; rightRecords: number; pairsPerRecord: number };
  timings: Record<string, number>;
  curve: { threshold: number; pairs: number; precision: number | null; recall: number | null }[];
  labelReport: { labelled: number; before: number | null; after: number | null } | null;
}

/** Standardises the rows of a dataset whose hash changed since their last standardisation, and drops records of deleted rows. */
export async function standardiseDataset(db: Db, datasetId: number, spec: LinkageSpec, onBatch: (done: number, total: number) => Promise<void>) {
  // Statistics as of now (autovacuum may be off, or not yet caught up after an import): without them
  // the planner takes a just-filled dataset for one row and runs these anti-joins as nested loops.
  await sql`analyze brain_rows, brain_link_records`.execute(db);
  await sql`delete from brain_link_records s where s.dataset_id = ${datasetId} and s.spec = ${spec.name}
    and not exists (select 1 from brain_rows r where r.dataset_id = s.dataset_id and r.key = s.key)`.execute(db);
  const stale = sql`from brain_rows r left join brain_link_records s on s.dataset_id = r.dataset_id and s.spec = ${spec.name} and s.key = r.key
    where r.dataset_id = ${datasetId} and s.row_hash is distinct from r.row_hash`;
  // Room to hash the registry's keys in memory (the default 4 MB sorts 620,000 rows on disk).
  const total = await db.transaction().execute(async (tx) => {
    await sql`set local work_mem = '256MB'`.execute(tx);
    return Number((await sql<{ n: number }>`select count(*)::int as n ${stale}`.execute(tx)).rows[0].n);
  });
  if (!total) return 0;
  let done = 0, after = '';
  for (;;) {
    const rows = (await sql<{ key: string; data: unknown; row_hash: string }>`select r.key, r.data, r.row_hash ${stale} and r.key > ${after} order by r.key limit ${STD_BATCH}`.execute(db)).rows;
    if (!rows.length) break;
    await writeLinkRecords(db, datasetId, spec, rows.map((r) => ({ key: r.key, row_hash: r.row_hash, data: fromJson<Record<string, unknown>>(r.data) })));
    // The first batch turns an empty spec's table into a full one: refresh, or the next batches plan for none.
    if (done === 0) await sql`analyze brain_link_records`.execute(db);
    done += rows.length;
    after = rows[rows.length - 1].key;
    await onBatch(done, total);
  }
  return total;
}

/**
 * Candidate pairs: every blocking rule's equi-join, unioned, with the rules that found each pair as
 * a bit mask, and each pair's term-frequency adjustments. The keys of both datasets are first taken
 * out of the standardised values into one narrow table, so each rule is a hash join over short
 * rows rather than a sort of the registry's wide ones. One transaction: the temporary tables live
 * on its connection, and a crash leaves no pairs behind.
 */
async function block(db: Db, job: MatchJobRow, spec: LinkageSpec) {
  const same = job.left_dataset_id === job.right_dataset_id;
  const key = (keys: string[]) => keys.map((k) => `(v->>'${k}')`).join(` || '|' || `);
  const tfs = spec.comparisons.map((c, i) => ({ i, c })).filter((x) => x.c.tf);
  const cols = [...spec.blocking.map((r, i) => `${key(r.keys)} as k${i}`), ...tfs.map(({ c, i }) => `(v->>'${c.tf!.value}') as t${i}`)].join(', ');
  return db.transaction().execute(async (tx) => {
    await sql`set local work_mem = '256MB'`.execute(tx);
    await sql`create temp table link_keys on commit drop as
      select id, dataset_id = ${job.left_dataset_id} as is_left, ${sql.raw(cols)} from brain_link_records
      where spec = ${spec.name} and dataset_id in (${job.left_dataset_id}, ${job.right_dataset_id})`.execute(tx);
    await sql`analyze link_keys`.execute(tx);
    const joins = spec.blocking.map((_, i) => `select l.id as a, r.id as b, ${1 << i} as bit from link_keys l join link_keys r on l.k${i} = r.k${i}
      where ${same ? 'l.id < r.id' : 'l.is_left and not r.is_left'}`);
    await sql`create temp table link_cand on commit drop as ${sql.raw(joins.join(' union all '))}`.execute(tx);
    const perRule = new Map((await sql<{ bit: number; n: number }>`select bit, count(*)::int as n from link_cand group by bit`.execute(tx)).rows.map((r) => [Number(r.bit), Number(r.n)]));
    // log2(u_average / p_value) where a field agrees: u_average = Σp² is the chance two random records
    // agree on it; a value commoner than that weighs less (张伟), a rarer one more (濮阳珏). Capped at ±10.
    const tfJoins = tfs.map(({ i }) => `left join (select t${i} as val, count(*)::float8 as c from link_keys where t${i} is not null group by 1) f${i} on f${i}.val = l.t${i}
      cross join (select sum(c) as total, sum(c * c) as sq from (select count(*)::float8 as c from link_keys where t${i} is not null group by t${i}) x) s${i}`).join(' ');
    const tfArray = spec.comparisons.map((c, i) => (c.tf ? `coalesce(greatest(-10, least(10, ln(s${i}.sq / (s${i}.total * f${i}.c)) / ln(2))), 0)` : '0')).join(', ');
    await sql`insert into brain_match_pairs (job_id, left_id, right_id, rules, tf)
      select ${job.id}, c.a, c.b, c.rules, array[${sql.raw(tfArray)}]::real[]
      from (select a, b, bit_or(bit) as rules from link_cand group by a, b) c join link_keys l on l.id = c.a ${sql.raw(tfJoins)}`.execute(tx);
    return spec.blocking.map((r, i) => ({ rule: r.name, label: r.label, pairs: perRule.get(1 << i) ?? 0 }));
  });
}

/** The comparison vector of every pair, in chunks of left records so that progress moves. */
async function compare(db: Db, job: MatchJobRow, spec: LinkageSpec, total: number, onChunk: (done: number) => Promise<void>) {
  const bounds = (await sql<{ lo: number; hi: number }>`select min(left_id) as lo, max(left_id) as hi from (
      select left_id, ntile(${COMPARE_CHUNKS}) over (order by left_id) t from brain_match_pairs where job_id = ${job.id}) x group by t order by lo`.execute(db)).rows;
  const vector = sql.raw(comparisonVectorSql(spec));
  let done = 0;
  for (const b of bounds) {
    const r = await sql`update brain_match_pairs p set g = ${vector}
      from brain_link_records l, brain_link_records r
      where p.job_id = ${job.id} and p.left_id between ${b.lo} and ${b.hi} and l.id = p.left_id and r.id = p.right_id`.execute(db);
    done += Number(r.numAffectedRows ?? 0);
    await onChunk(Math.min(done, total));
  }
}

/** The pairs grouped by comparison vector (and label, when re-scoring with review decisions). */
async function patterns(db: Db, jobId: number, withLabels: boolean): Promise<Pattern[]> {
  const rows = (await sql<{ g: number[]; label: string | null; n: number }>`select g, ${withLabels ? sql`label` : sql`null::text`} as label, count(*)::int as n
    from brain_match_pairs where job_id = ${jobId} group by 1, 2`.execute(db)).rows;
  return rows.map((r) => ({ g: r.g.map(Number), n: Number(r.n), ...(withLabels && r.label === 'match' ? { label: 1 as const } : withLabels && r.label === 'non_match' ? { label: 0 as const } : {}) }));
}

/**
 * Comparison patterns of random record pairs, as non-matches (a random pair is the same person with
 * chance ≈ 1 / registry size). They give EM the non-match class even when nearly every candidate
 * is a true pair (a short list whose people are all in the registry), where it would otherwise
 * settle on m ≈ u. About as many as the candidates, at least 1,000 and at most 20,000.
 */
async function randomNonMatches(db: Db, job: MatchJobRow, spec: LinkageSpec, candidates: number): Promise<Pattern[]> {
  const side = Math.ceil(Math.sqrt(Math.min(20_000, Math.max(1_000, candidates))));
  const rows = (await sql<{ g: number[]; n: number }>`with l as (select v from brain_link_records where dataset_id = ${job.left_dataset_id} and spec = ${spec.name} order by random() limit ${side}),
      r as (select v from brain_link_records where dataset_id = ${job.right_dataset_id} and spec = ${spec.name} order by random() limit ${side})
    select ${sql.raw(comparisonVectorSql(spec))} as g, count(*)::int as n from l cross join r group by 1`.execute(db)).rows;
  return rows.map((r) => ({ g: r.g.map(Number), n: Number(r.n), label: 0 as const }));
}

/** Weight and probability of every pair from the model; a term-frequency adjustment counts where its field agrees. */
async function score(db: Db, job: MatchJobRow, spec: LinkageSpec, model: Model) {
  // W[i][0] is the missing level (0), W[i][k + 1] the weight of level k.
  const W = JSON.stringify(levelWeights(model).map((w) => [0, ...w]));
  const terms = spec.comparisons.map((c, i) => {
    const base = `((w.j->${i})->>(p.g[${i + 1}] + 1))::float8`;
    return c.tf ? `${base} + case when p.g[${i + 1}] in (${c.tf.levels.join(', ')}) then p.tf[${i + 1}] else 0 end` : base;
  });
  await sql`update brain_match_pairs p set (weight, probability) = (select x.w, 1 / (1 + power(2::float8, -x.w)) from (select ${priorWeight(model)}::float8 + ${sql.raw(terms.join(' + '))} as w) x)
    from (select ${W}::jsonb as j) w where p.job_id = ${job.id}`.execute(db);
}

/**
 * Auto-link at or above the auto threshold when the pair is the best for both of its records (a
 * list row names one person, and a person appears once in a list); the rest at or above the review
 * threshold go to a worker; the remainder is no link.
 */
async function decide(db: Db, job: MatchJobRow) {
  await sql`update brain_match_pairs p set decision = case
      when x.probability >= ${job.threshold_auto} and x.rl = 1 and x.rr = 1 then 'auto'
      when x.probability >= ${job.threshold_review} then 'review' else 'none' end
    from (select left_id, right_id, probability,
            row_number() over (partition by left_id order by weight desc, right_id) as rl,
            row_number() over (partition by right_id order by weight desc, left_id) as rr
          from brain_match_pairs where job_id = ${job.id}) x
    where p.job_id = ${job.id} and p.left_id = x.left_id and p.right_id = x.right_id`.execute(db);
}

/** Expected precision and recall at each threshold, from the model's probabilities (no labels needed). */
async function curve(db: Db, jobId: number): Promise<JobOutcome['curve']> {
  const ts = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999];
  const rows = (await sql<{ threshold: number; pairs: number; precision: number | null; recall: number | null }>`
    with p as (select probability from brain_match_pairs where job_id = ${jobId}), tot as (select sum(probability) as s from p)
    select t.threshold, count(p.probability)::int as pairs, avg(p.probability) as precision, sum(p.probability) / nullif((select s from tot), 0) as recall
    from unnest(${ts}::float8[]) as t(threshold) left join p on p.probability >= t.threshold group by t.threshold order by t.threshold`.execute(db)).rows;
  return rows.map((r) => ({ threshold: Number(r.threshold), pairs: Number(r.pairs), precision: r.precision == null ? null : Number(r.precision), recall: r.recall == null ? null : Number(r.recall) }));
}

/** Precision of the model's calls on the pairs a worker labelled (call: probability ≥ 0.5). */
async function labelPrecision(db: Db, jobId: number) {
  const r = (await sql<{ labelled: number; called: number; right: number }>`select count(*)::int as labelled,
      count(*) filter (where probability >= 0.5)::int as called, count(*) filter (where probability >= 0.5 and label = 'match')::int as right
    from brain_match_pairs where job_id = ${jobId} and label in ('match', 'non_match')`.execute(db)).rows[0];
  return { labelled: Number(r.labelled), precision: Number(r.called) ? Number(r.right) / Number(r.called) : null };
}

/**
 * Runs a claimed job from its first stage (or from `estimate` when re-scoring with labels).
 * `progress` is called at every step and must write the heartbeat.
 */
export async function runMatchStages(db: Db, job: MatchJobRow, progress: (p: JobProgress) => Promise<void>): Promise<JobOutcome> {
  const spec = specByName(job.spec);
  const rescore = job.from_stage === 'estimate';
  const timings: Record<string, number> = {};
  let pairsTotal = 0;
  const timed = async <T>(stage: Stage, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    await progress({ stage, progress: STAGE_START[stage], pairsDone: 0, pairsTotal });
    const out = await fn();
    timings[stage] = Math.round(performance.now() - t0);
    return out;
  };
  const started = performance.now();
  let ruleCounts = (job.rule_counts ?? []) as JobOutcome['ruleCounts'];
  const before = rescore ? await labelPrecision(db, job.id) : null;
  if (!rescore) {
    await db.deleteFrom('brain_match_pairs').where('job_id', '=', job.id).execute();
    await timed('standardise', async () => {
      const sides = job.left_dataset_id === job.right_dataset_id ? [job.left_dataset_id] : [job.left_dataset_id, job.right_dataset_id];
      for (const [s, id] of sides.entries()) {
        await standardiseDataset(db, id, spec, (done, total) => progress({ stage: 'standardise', progress: 0.4 * ((s + done / Math.max(total, 1)) / sides.length), pairsDone: 0, pairsTotal: 0 }));
      }
    });
    ruleCounts = await timed('block', async () => {
      const c = await block(db, job, spec);
      // Fresh statistics, or the planner takes the just-filled table for empty in the stages after.
      await sql`analyze brain_match_pairs`.execute(db);
      return c;
    });
  }
  pairsTotal = Number((await db.selectFrom('brain_match_pairs').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', job.id).executeTakeFirstOrThrow()).n);
  if (!rescore) {
    await timed('compare', () => compare(db, job, spec, pairsTotal, (done) => progress({ stage: 'compare', progress: 0.55 + 0.3 * (done / Math.max(pairsTotal, 1)), pairsDone: done, pairsTotal })));
  }
  const levels = spec.comparisons.map((c) => c.levels.length);
  const model = await timed('estimate', async () => {
    const candidates = await patterns(db, job.id, rescore);
    const fitted = fitModel([...candidates, ...(await randomNonMatches(db, job, spec, pairsTotal))], levels);
    // The prior that scores candidates is the share of matches among them, not among candidates and random pairs together.
    return { ...fitted, lambda: candidateShare(fitted, candidates) };
  });
  await timed('score', () => score(db, job, spec, model));
  await timed('decide', () => decide(db, job));
  await progress({ stage: 'decide', progress: 0.99, pairsDone: pairsTotal, pairsTotal });
  const after = rescore ? await labelPrecision(db, job.id) : null;

  const byDecision = Object.fromEntries((await sql<{ decision: string; n: number }>`select decision, count(*)::int as n from brain_match_pairs where job_id = ${job.id} group by 1`.execute(db)).rows.map((r) => [r.decision, Number(r.n)]));
  const records = async (id: number) => Number((await db.selectFrom('brain_link_records').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset_id', '=', id).where('spec', '=', spec.name).executeTakeFirstOrThrow()).n);
  const leftRecords = await records(job.left_dataset_id), rightRecords = await records(job.right_dataset_id);
  timings.total = Math.round(performance.now() - started);
  return {
    model: { ...model, weights: levelWeights(model), prior: priorWeight(model) },
    ruleCounts,
    counts: {
      candidatePairs: pairsTotal, auto: byDecision.auto ?? 0, review: byDecision.review ?? 0, none: byDecision.none ?? 0,
      leftRecords, rightRecords, pairsPerRecord: leftRecords ? Math.round((pairsTotal / leftRecords) * 100) / 100 : 0,
    },
    timings,
    curve: await curve(db, job.id),
    labelReport: before && after ? { labelled: after.labelled, before: before.precision, after: after.precision } : null,
  };
}

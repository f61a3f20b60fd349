/**
 * Match jobs as durable work: created queued, taken by any instance (FOR UPDATE SKIP LOCKED),
 * heartbeating while they run; a job whose heartbeat stops is taken again and restarts cleanly
 * (engine.ts deletes its pairs first). Reads present pairs with the datasets' own key values and
 * an explanation per field that a worker can read.
 */
import { sql } from 'kysely';
import type { AuthContext } from '../../../core/auth/context.js';
import { fromJson, type Db } from '../../../core/db.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import type { ModuleDeps } from '../../../core/module.js';
import { paginate, type PageQuery } from '../../../core/paging.js';
import { rowAccess } from '../policy.js';
import { datasetForRead, maskValue } from '../rows.js';
import type { DatasetField } from '../tables.js';
import { runMatchStages, type JobOutcome, type JobProgress, type MatchJobRow } from './engine.js';
import { specByName } from './spec.js';
import type { MatchDecision } from './tables.js';

const STALE_SECONDS = 60;
const MAX_ATTEMPTS = 3;

export interface MatchJobInput { leftDatasetId: number; rightDatasetId: number; thresholds?: { auto?: number; review?: number }; spec?: string; createdBy?: number | null }

export async function createMatchJob(db: Db, input: MatchJobInput): Promise<number> {
  const auto = input.thresholds?.auto ?? 0.95, review = input.thresholds?.review ?? 0.5;
  if (review > auto) throw fieldError('thresholds.review', 'match_thresholds_order');
  const spec = specByName(input.spec ?? 'person');
  for (const [field, id] of [['leftDatasetId', input.leftDatasetId], ['rightDatasetId', input.rightDatasetId]] as const) {
    const ds = await db.selectFrom('brain_datasets').select('fields').where('id', '=', id).executeTakeFirst();
    if (!ds) throw new AppError(404, 'not_found', 'match_dataset_missing', {}, { [field]: { key: 'match_dataset_missing' } });
    const names = new Set(fromJson<{ name: string }[]>(ds.fields).map((f) => f.name));
    // A person dataset needs at least a name and one identifying field to be compared at all.
    if (!spec.fields.some((f) => f !== 'name' && names.has(f)) || (spec.name === 'person' && !names.has('name'))) {
      throw fieldError(field, 'match_dataset_not_person', { fields: spec.fields.join('、') });
    }
  }
  const row = await db.insertInto('brain_match_jobs').values({
    left_dataset_id: input.leftDatasetId, right_dataset_id: input.rightDatasetId, spec: spec.name, threshold_auto: auto, threshold_review: review, created_by: input.createdBy ?? null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Queues a finished job again to re-estimate m/u with the review labels and re-decide (its pairs are kept). */
export async function requeueForRescore(db: Db, id: number, thresholds?: { auto?: number; review?: number }) {
  const job = await db.selectFrom('brain_match_jobs').select(['status', 'threshold_auto', 'threshold_review']).where('id', '=', id).executeTakeFirst();
  if (!job) throw notFound();
  const auto = thresholds?.auto ?? job.threshold_auto, review = thresholds?.review ?? job.threshold_review;
  if (review > auto) throw fieldError('thresholds.review', 'match_thresholds_order');
  const r = await db.updateTable('brain_match_jobs').set({ status: 'queued', from_stage: 'estimate', threshold_auto: auto, threshold_review: review, attempt: 0, error: null, progress: 0, finished_at: null })
    .where('id', '=', id).where('status', 'in', ['succeeded', 'failed']).where('model', 'is not', null).executeTakeFirst();
  if (!Number(r.numUpdatedRows)) throw new AppError(409, 'conflict', 'match_job_busy');
}

async function claimNext(db: Db): Promise<MatchJobRow | undefined> {
  const r = await sql<MatchJobRow>`
    update brain_match_jobs set status = 'running', attempt = attempt + 1, started_at = now(), heartbeat_at = now(), stage = 'starting', error = null
    where id = (
      select id from brain_match_jobs
      where status = 'queued' or (status = 'running' and heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS}))
      order by id limit 1 for update skip locked)
    returning *`.execute(db);
  const job = r.rows[0];
  // A job that died three times is failed rather than taken a fourth time.
  if (job && job.attempt > MAX_ATTEMPTS) {
    await db.updateTable('brain_match_jobs').set({ status: 'failed', error: 'stopped three times', finished_at: new Date() }).where('id', '=', job.id).execute();
    return claimNext(db);
  }
  return job;
}

/** Takes one queued job for this process (the CLI), unless a server took it first. */
export async function claimMatchJob(db: Db, id: number): Promise<MatchJobRow | undefined> {
  return db.updateTable('brain_match_jobs').set({ status: 'running', attempt: sql<number>`attempt + 1`, started_at: new Date(), heartbeat_at: new Date(), stage: 'starting' })
    .where('id', '=', id).where('status', '=', 'queued').returningAll().executeTakeFirst();
}

export async function executeMatchJob(db: Db, job: MatchJobRow, onProgress?: (p: JobProgress) => void): Promise<void> {
  try {
    const out: JobOutcome = await runMatchStages(db, job, async (p) => {
      await db.updateTable('brain_match_jobs').set({ stage: p.stage, progress: p.progress, pairs_done: p.pairsDone, pairs_total: p.pairsTotal, heartbeat_at: new Date() })
        .where('id', '=', job.id).execute();
      onProgress?.(p);
    });
    await db.updateTable('brain_match_jobs').set({
      status: 'succeeded', stage: 'done', progress: 1, pairs_done: out.counts.candidatePairs, pairs_total: out.counts.candidatePairs, finished_at: new Date(),
      model: JSON.stringify(out.model), rule_counts: JSON.stringify(out.ruleCounts), counts: JSON.stringify(out.counts), timings: JSON.stringify(out.timings),
      curve: JSON.stringify(out.curve), label_report: out.labelReport ? JSON.stringify(out.labelReport) : null,
    }).where('id', '=', job.id).execute();
  } catch (err) {
    await db.updateTable('brain_match_jobs').set({ status: 'failed', stage: 'failed', error: err instanceof Error ? err.message : String(err), finished_at: new Date() })
      .where('id', '=', job.id).execute();
  }
}

const draining = new WeakSet<Db>();
export async function drainMatchJobs(deps: Pick<ModuleDeps, 'db'>): Promise<number> {
  if (draining.has(deps.db)) return 0;
  draining.add(deps.db);
  let n = 0;
  try {
    for (let job = await claimNext(deps.db); job; job = await claimNext(deps.db)) {
      await executeMatchJob(deps.db, job);
      n++;
    }
  } finally {
    draining.delete(deps.db);
  }
  return n;
}

export function kickMatchJobs(deps: Pick<ModuleDeps, 'db'>, onError: (err: unknown) => void = () => {}) {
  setImmediate(() => { drainMatchJobs(deps).catch(onError); });
}

function jobsQuery(db: Db) {
  return db.selectFrom('brain_match_jobs as j')
    .innerJoin('brain_datasets as l', 'l.id', 'j.left_dataset_id').innerJoin('brain_datasets as r', 'r.id', 'j.right_dataset_id')
    .leftJoin('accounts as a', 'a.id', 'j.created_by')
    .selectAll('j').select(['l.name as left_name', 'r.name as right_name', 'a.display_name as created_by_name']);
}
type JobListRow = Awaited<ReturnType<ReturnType<typeof jobsQuery>['executeTakeFirstOrThrow']>>;

const EMPTY_COUNTS = { candidatePairs: 0, auto: 0, review: 0, none: 0 };
function presentJob(j: JobListRow) {
  const model = fromJson<JobOutcome['model'] | null>(j.model);
  return {
    id: j.id, status: j.status, stage: j.stage, progress: j.progress, pairsDone: j.pairs_done, pairsTotal: j.pairs_total,
    leftDatasetId: j.left_dataset_id, leftDatasetName: j.left_name, rightDatasetId: j.right_dataset_id, rightDatasetName: j.right_name, spec: j.spec,
    thresholds: { auto: j.threshold_auto, review: j.threshold_review },
    counts: { ...EMPTY_COUNTS, ...(fromJson<object | null>(j.counts) ?? {}) } as JobOutcome['counts'],
    ruleCounts: fromJson<JobOutcome['ruleCounts'] | null>(j.rule_counts) ?? [],
    timings: fromJson<Record<string, number> | null>(j.timings) ?? {},
    curve: fromJson<JobOutcome['curve'] | null>(j.curve) ?? [],
    labelReport: fromJson<JobOutcome['labelReport']>(j.label_report) ?? null,
    model: model ? { lambda: model.lambda, iterations: model.iterations, converged: model.converged } : null,
    error: j.error, attempt: j.attempt, createdBy: j.created_by_name, createdAt: j.created_at, startedAt: j.started_at, finishedAt: j.finished_at,
  };
}

export async function getMatchJob(db: Db, id: number) {
  const j = await jobsQuery(db).where('j.id', '=', id).executeTakeFirst();
  if (!j) throw notFound();
  return presentJob(j);
}

export async function listMatchJobs(db: Db, q: PageQuery) {
  const page = await paginate(jobsQuery(db).orderBy('j.id', 'desc'), q);
  return { ...page, items: page.items.map(presentJob) };
}

export interface ExplanationItem { field: string; level: string; weight: number; label: string }

/** Each comparison's level and weight for one pair, in the spec's order: "身份证号相同 +14.2", "手机号缺失 0". */
export function explain(specName: string, weights: number[][], g: number[], tf: number[] | null): ExplanationItem[] {
  const spec = specByName(specName);
  return spec.comparisons.map((c, i) => {
    const lv = g[i];
    if (lv < 0) return { field: c.field, level: 'missing', weight: 0, label: `${c.label}缺失` };
    const w = weights[i][lv] + (tf?.[i] ?? 0);
    return { field: c.field, level: c.levels[lv].code, weight: Math.round(w * 10) / 10, label: `${c.label}${c.levels[lv].label}` };
  });
}

export async function matchLinks(db: Db, jobId: number, q: PageQuery & { decision?: MatchDecision; label?: string }) {
  const job = await db.selectFrom('brain_match_jobs').select(['id', 'spec', 'model']).where('id', '=', jobId).executeTakeFirst();
  if (!job) throw notFound();
  const model = fromJson<JobOutcome['model'] | null>(job.model);
  let qb = db.selectFrom('brain_match_pairs as p')
    .innerJoin('brain_link_records as l', 'l.id', 'p.left_id').innerJoin('brain_link_records as r', 'r.id', 'p.right_id')
    .select(['p.left_id', 'p.right_id', 'l.key as left_key', 'r.key as right_key', 'p.g', 'p.tf', 'p.weight', 'p.probability', 'p.decision', 'p.label', 'p.rules'])
    .where('p.job_id', '=', jobId);
  if (q.decision) qb = qb.where('p.decision', '=', q.decision);
  if (q.label === 'none') qb = qb.where('p.label', 'is', null);
  else if (q.label) qb = qb.where('p.label', '=', q.label as never);
  const page = await paginate(qb.orderBy('p.weight', 'desc').orderBy('p.left_id').orderBy('p.right_id'), q);
  return {
    ...page,
    items: page.items.map((p) => ({
      leftKey: p.left_key, rightKey: p.right_key, weight: p.weight == null ? null : Math.round(p.weight * 100) / 100, probability: p.probability,
      decision: p.decision, label: p.label, pairId: `${p.left_id}-${p.right_id}`,
      explanation: model && p.g ? explain(job.spec, model.weights, p.g.map(Number), p.tf?.map(Number) ?? null) : [],
    })),
  };
}

/** Levels at which the two values are the same once standardised: the review page does not highlight them. */
const SAME_LEVELS = new Set(['exact', 'exact_invalid', 'standardised', 'room']);

/**
 * How a compared value is masked for review: a linkage compares people, so every compared field
 * counts as personal data whatever its dataset declares (sex alone identifies no one), and a birth
 * date shows its year only even where the dataset typed it as text.
 */
function reviewMaskField(name: string, declared: DatasetField | undefined): DatasetField {
  const f: DatasetField = declared ?? { name, type: 'text', personal: 'personal' };
  return {
    ...f,
    personal: f.personal === 'none' && name !== 'sex' ? 'personal' : f.personal,
    type: name === 'birth_date' ? 'date' : f.type,
  };
}

/**
 * One pair for clerical review, the two source records side by side: their current values from
 * brain_rows (always masked — the hub's stewards see masked values only, as in rows.ts), the
 * explanation per field, and per compared field whether the two sides are the same, so that the
 * console can highlight what differs. Datasets the caller may no longer read are refused.
 */
export async function matchPairForReview(db: Db, auth: AuthContext, jobId: number, pair: { leftId: number; rightId: number }) {
  const job = await db.selectFrom('brain_match_jobs').select(['spec', 'model', 'left_dataset_id', 'right_dataset_id']).where('id', '=', jobId).executeTakeFirst();
  if (!job) throw notFound();
  const p = await db.selectFrom('brain_match_pairs').select(['g', 'tf', 'weight', 'probability', 'decision', 'label'])
    .where('job_id', '=', jobId).where('left_id', '=', pair.leftId).where('right_id', '=', pair.rightId).executeTakeFirst();
  if (!p) throw notFound();
  const spec = specByName(job.spec);
  const model = fromJson<JobOutcome['model'] | null>(job.model);
  const explanation = model && p.g ? explain(job.spec, model.weights, p.g.map(Number), p.tf?.map(Number) ?? null) : [];
  const side = async (recordId: number, datasetId: number) => {
    const ds = await datasetForRead(db, datasetId);
    const access = await rowAccess(db, auth, ds);
    if (!access.ok) throw access.error;
    const rec = await db.selectFrom('brain_link_records as k')
      .leftJoin('brain_rows as b', (j) => j.onRef('b.dataset_id', '=', 'k.dataset_id').onRef('b.key', '=', 'k.key'))
      .select(['k.key', 'b.data']).where('k.id', '=', recordId).where('k.dataset_id', '=', datasetId).executeTakeFirst();
    if (!rec) throw notFound();
    // A row deleted from its dataset since the job ran (retention, a full reconciliation) shows no values.
    const data = rec.data ? fromJson<Record<string, unknown>>(rec.data) : {};
    const byName = new Map(ds.fields.map((f) => [f.name, f]));
    const values = Object.fromEntries(spec.fields.map((name) => {
      const v = maskValue(reviewMaskField(name, byName.get(name)), data[name] ?? null);
      return [name, v == null || v === '' ? null : String(v)];
    }));
    return { datasetId: ds.id, datasetName: ds.name, key: rec.key, values };
  };
  const left = await side(pair.leftId, job.left_dataset_id);
  const right = await side(pair.rightId, job.right_dataset_id);
  return {
    pairId: `${pair.leftId}-${pair.rightId}`, weight: p.weight == null ? null : Math.round(p.weight * 100) / 100, probability: p.probability,
    decision: p.decision, label: p.label, explanation,
    fields: spec.comparisons.map((c, i) => ({ field: c.field, label: c.label, level: explanation[i]?.level ?? null, same: SAME_LEVELS.has(explanation[i]?.level ?? '') })),
    left, right,
  };
}

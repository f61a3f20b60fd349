/**
 * Record linkage quality and speed, each against an exact-join baseline in the same run:
 *  1. FEBRL4 (../shared/data/febrl4, 5,000 × 5,000, true pairs known by record id): precision,
 *     recall and F1 of the auto-links with no labels, and the job's time per stage;
 *  2. a synthetic Chinese population and a dirty list (bench/linkage-data.ts: true links with
 *     mistyped and 15-digit IDs, traditional characters, homophones, swapped dates, five ways of
 *     writing an address; decoys sharing a name and birth year): the same figures, and the time of
 *     the job after import.
 * The baseline is what a department does today: an exact join on the ID number.
 *   npm run bench:linkage                      # PGlite in a temporary directory
 *   BENCH_PG=1 npm run bench:linkage           # a throwaway PostgreSQL database (BENCH_PG_URL)
 *   BENCH_POPULATION (620000), BENCH_LIST (20000), BENCH_ONLY=febrl|synthetic
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDb, type DbHandle } from '../server/src/core/db.js';
import { migrate } from '../server/src/core/migrate.js';
import '../server/src/modules/brain/module.js';
import { upsertRows } from '../server/src/modules/brain/ingest.js';
import { claimMatchJob, createMatchJob, executeMatchJob, getMatchJob } from '../server/src/modules/brain/linkage/jobs.js';
import { registerSpec } from '../server/src/modules/brain/linkage/spec.js';
import { generateLinkageData } from './linkage-data.js';
import { FEBRL_FIELDS, febrlEntity, febrlSpec, readFebrl } from './linkage-febrl.js';

const onPg = process.env.BENCH_PG === '1';
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const ONLY = process.env.BENCH_ONLY;
const FEBRL_DIR = path.resolve(import.meta.dirname, '../../shared/data/febrl4');

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const time = async <T>(fn: () => Promise<T>) => { const t0 = performance.now(); const v = await fn(); return { v, ms: performance.now() - t0 }; };

interface Quality { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number }
function quality(found: Iterable<[string, string]>, isTrue: (l: string, r: string) => boolean, trueTotal: number): Quality {
  let tp = 0, fp = 0;
  for (const [l, r] of found) { if (isTrue(l, r)) tp++; else fp++; }
  const precision = tp + fp ? tp / (tp + fp) : 0, recall = trueTotal ? tp / trueTotal : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, tp, fp, fn: trueTotal - tp };
}

async function datasetWith(dbh: DbHandle, name: string, fields: string[], keyField: string, rows: Record<string, unknown>[]) {
  const db = dbh.db;
  let dep = await db.selectFrom('brain_departments').select('id').where('code', '=', 'bench').executeTakeFirst();
  dep ??= await db.insertInto('brain_departments').values({ code: 'bench', name: '基准测试局' }).returning('id').executeTakeFirstOrThrow();
  const sys = await db.insertInto('brain_systems').values({ department_id: dep.id, code: `bench-${name}`, name, description: null }).returning('id').executeTakeFirstOrThrow();
  const ds = await db.insertInto('brain_datasets').values({
    system_id: sys.id, name, fields: JSON.stringify(fields.map((f) => ({ name: f, type: 'text', personal: 'personal', ...(f === keyField ? { key: true } : {}) }))),
    key_fields: [keyField], share_type: 'conditional', legal_basis: 'legal_duty', purpose: '基准测试',
  }).returning('id').executeTakeFirstOrThrow();
  const { ms } = await time(async () => {
    for (let i = 0; i < rows.length; i += 5000) {
      await upsertRows(db, ds.id, rows.slice(i, i + 5000).map((r) => ({ key: String(r[keyField]), data: r, observedAt: null })));
    }
  });
  return { id: ds.id, importMs: ms };
}

async function runJob(dbh: DbHandle, leftId: number, rightId: number, spec: string) {
  const id = await createMatchJob(dbh.db, { leftDatasetId: leftId, rightDatasetId: rightId, spec });
  const claimed = await claimMatchJob(dbh.db, id);
  const { ms } = await time(() => executeMatchJob(dbh.db, claimed!));
  const job = await getMatchJob(dbh.db, id);
  if (job.status !== 'succeeded') throw new Error(`job ${id} ${job.status}: ${job.error}`);
  const links = (await sql<{ l: string; r: string }>`select l.key as l, r.key as r from brain_match_pairs p
    join brain_link_records l on l.id = p.left_id join brain_link_records r on r.id = p.right_id where p.job_id = ${id} and p.decision = 'auto'`.execute(dbh.db)).rows;
  return { job, ms, links: links.map((x) => [x.l, x.r] as [string, string]) };
}

/** What a department does today: rows whose ID (or for FEBRL the social security number) is written identically. */
async function exactJoin(dbh: DbHandle, leftId: number, rightId: number, field: string) {
  const f = sql.lit(field);
  return time(async () => (await sql<{ l: string; r: string }>`select l.key as l, r.key as r from brain_rows l join brain_rows r on (l.data->>${f}) = (r.data->>${f})
    where l.dataset_id = ${leftId} and r.dataset_id = ${rightId} and (l.data->>${f}) <> ''`.execute(dbh.db)).rows.map((x) => [x.l, x.r] as [string, string]));
}

function printJob(title: string, jobMs: number, job: Awaited<ReturnType<typeof getMatchJob>>, q: Quality, base: { q: Quality; ms: number; label: string }) {
  console.log(`\n${title}`);
  console.log(`  candidate pairs ${fmt(job.counts.candidatePairs)} (${job.counts.pairsPerRecord} per left record): ${job.ruleCounts.map((r) => `${r.rule} ${fmt(r.pairs)}`).join(', ')}`);
  console.log(`  decisions: auto ${fmt(job.counts.auto)}, review ${fmt(job.counts.review)}, none ${fmt(job.counts.none)}; EM ${job.model?.iterations} iterations, λ ${job.model?.lambda.toFixed(4)}`);
  console.log(`  stages (ms): ${Object.entries(job.timings).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  console.log(`  ours:     precision ${pct(q.precision)}  recall ${pct(q.recall)}  F1 ${q.f1.toFixed(4)}  (tp ${fmt(q.tp)}, fp ${fmt(q.fp)}, fn ${fmt(q.fn)})  job ${(jobMs / 1000).toFixed(1)} s`);
  console.log(`  baseline: precision ${pct(base.q.precision)}  recall ${pct(base.q.recall)}  F1 ${base.q.f1.toFixed(4)}  (${base.label})  ${(base.ms / 1000).toFixed(2)} s`);
}

async function febrl(dbh: DbHandle) {
  registerSpec(febrlSpec);
  const a = readFebrl(path.join(FEBRL_DIR, 'dataset4a.csv')), b = readFebrl(path.join(FEBRL_DIR, 'dataset4b.csv'));
  const left = await datasetWith(dbh, 'FEBRL4 A', FEBRL_FIELDS, 'rec_id', a);
  const right = await datasetWith(dbh, 'FEBRL4 B', FEBRL_FIELDS, 'rec_id', b);
  const entitiesB = new Set(b.map((r) => febrlEntity(r.rec_id)));
  const trueTotal = a.filter((r) => entitiesB.has(febrlEntity(r.rec_id))).length;
  const isTrue = (l: string, r: string) => febrlEntity(l) === febrlEntity(r);
  const run = await runJob(dbh, left.id, right.id, 'febrl');
  const base = await exactJoin(dbh, left.id, right.id, 'soc_sec_id');
  const q = quality(run.links, isTrue, trueTotal);
  printJob(`FEBRL4 (${fmt(a.length)} × ${fmt(b.length)}, ${fmt(trueTotal)} true pairs), no labels`, run.ms, run.job, q,
    { q: quality(base.v, isTrue, trueTotal), ms: base.ms, label: 'exact soc_sec_id join' });
  return q;
}

async function synthetic(dbh: DbHandle) {
  const population = Number(process.env.BENCH_POPULATION ?? 620_000), list = Number(process.env.BENCH_LIST ?? 20_000);
  const gen = await time(async () => generateLinkageData({ population, list, seed: 11 }));
  const data = gen.v;
  const fields = ['key', 'name', 'sex', 'birth_date', 'id_no', 'phone', 'address'];
  const right = await datasetWith(dbh, '人口库（合成）', fields, 'key', data.population as unknown as Record<string, unknown>[]);
  const left = await datasetWith(dbh, '卫健委名单（合成）', fields, 'key', data.list as unknown as Record<string, unknown>[]);
  console.log(`\nsynthetic: generated ${fmt(population)} + ${fmt(list)} in ${(gen.ms / 1000).toFixed(1)} s; imported in ${((right.importMs + left.importMs) / 1000).toFixed(1)} s; kinds ${JSON.stringify(data.kinds)}`);
  const isTrue = (l: string, r: string) => data.truth.get(l) === r;
  const run = await runJob(dbh, left.id, right.id, 'person');
  const base = await exactJoin(dbh, left.id, right.id, 'id_no');
  const q = quality(run.links, isTrue, data.truth.size);
  printJob(`synthetic Chinese (${fmt(list)} list × ${fmt(population)} registry, ${fmt(data.truth.size)} true links)`, run.ms, run.job, q,
    { q: quality(base.v, isTrue, data.truth.size), ms: base.ms, label: 'exact id_no join' });
  // A second job over the same datasets reuses the standardised registry.
  const again = await runJob(dbh, left.id, right.id, 'person');
  console.log(`  second job on the same datasets (registry already standardised): ${(again.ms / 1000).toFixed(1)} s`);
  return q;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-bench-linkage-'));
  let dbName = '';
  let dbh: DbHandle;
  if (onPg) {
    dbName = `redcom_bench_linkage_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG_ADMIN }); await c.connect(); await c.query(`create database ${dbName}`); await c.end();
    const u = new URL(PG_ADMIN); u.pathname = `/${dbName}`;
    dbh = await openDb({ databaseUrl: u.toString() });
  } else {
    dbh = await openDb({ dataDir: path.join(dir, 'pglite') });
  }
  console.log(`record linkage on ${onPg ? 'PostgreSQL' : 'PGlite'} (${os.cpus().length} cores)`);
  try {
    await migrate(dbh.db);
    if (ONLY !== 'synthetic') await febrl(dbh);
    if (ONLY !== 'febrl') await synthetic(dbh);
  } finally {
    await dbh.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (dbName) { const c = new pg.Client({ connectionString: PG_ADMIN }); await c.connect(); await c.query(`drop database ${dbName} with (force)`); await c.end(); }
  }
}

main().catch((err) => { console.error(err); process.exit(1); });

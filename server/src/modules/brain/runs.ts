import { sql, type Selectable } from 'kysely';
import { fromJson, type Db, type Executor } from '../../core/db.js';
import type { SecretBox } from '../../core/secret-box.js';
import { notFound } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import type { ModuleDeps } from '../../core/module.js';
import { appendExchange, contentHasher } from './exchange-log.js';
import { presentRunSummary } from './registry.js';
import { normaliseRow, upsertRows, type DatasetShape, type NormalRow, type UpsertCounts } from './ingest.js';
import type { BrainRunsTable, ColumnMapping, DatasetField, RunKind } from './tables.js';

/**
 * Runs: every movement of rows into a dataset (a file import, a connector's pull or a batch of
 * pushed rows) is a row in brain_runs with its counts and progress. Queued runs are taken by any
 * instance (FOR UPDATE SKIP LOCKED); a run whose heartbeat stops (the process died) is taken again,
 * and a failed attempt is retried with backoff (30 s, 2 min) up to three attempts. Rows are upserted
 * by key, so a retried or resumed run never duplicates.
 */
export type RunRow = Selectable<BrainRunsTable>;
export const MAX_ATTEMPTS = 3;
const STALE_SECONDS = 60;
const BATCH = 2000;

export interface RunContext {
  deps: ModuleDeps;
  run: RunRow;
  dataset: DatasetShape & { name: string; system_id: number };
  /** Normalises and upserts source rows (already keyed by field name); rejects are kept with their row numbers. */
  ingest(rows: { rowNo: number; values: Record<string, unknown> }[]): Promise<void>;
  /** Writes progress (0..1) and the counts so far; also the heartbeat that keeps the run owned. */
  progress(fraction: number, stage?: string): Promise<void>;
  /** Counts rows removed by a full reconciliation. */
  addDeleted(n: number): void;
  counts(): RunCounts;
}
export interface RunCounts extends UpsertCounts { rowsIn: number; rejected: number; deleted: number }
export type RunExecutor = (ctx: RunContext) => Promise<void>;

const executors = new Map<RunKind, RunExecutor>();
/** Each connector kind registers how its runs execute (files.ts, sql-pull.ts, http-pull.ts). */
export function registerRunExecutor(kind: RunKind, fn: RunExecutor) { executors.set(kind, fn); }

/** A dataset as imports need it: fields, key, time field and the column mapping saved by the last upload. */
export async function loadDatasetShape(db: Db, id: number) {
  const d = await db.selectFrom('brain_datasets').select(['id', 'name', 'system_id', 'fields', 'key_fields', 'time_field', 'upload_mapping']).where('id', '=', id).executeTakeFirst();
  if (!d) throw notFound();
  return { ...d, fields: fromJson<DatasetField[]>(d.fields), upload_mapping: fromJson<ColumnMapping | null>(d.upload_mapping) };
}

export async function enqueueRun(db: Db, r: { datasetId: number; kind: RunKind; connectorId?: number | null; mode?: 'incremental' | 'full'; fileId?: number | null; fileName?: string | null; mapping?: Record<string, string> | null; createdBy?: number | null }) {
  const row = await db.insertInto('brain_runs').values({
    dataset_id: r.datasetId, kind: r.kind, connector_id: r.connectorId ?? null, mode: r.mode ?? 'incremental', file_id: r.fileId ?? null, file_name: r.fileName ?? null,
    mapping: r.mapping ? JSON.stringify(r.mapping) : null, created_by: r.createdBy ?? null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Takes the next due run: queued and due, or running with a stopped heartbeat. */
async function claimNext(db: Db): Promise<RunRow | undefined> {
  const r = await sql<RunRow>`
    update brain_runs set status = 'running', attempt = attempt + 1, started_at = now(), heartbeat_at = now(), stage = 'starting', error = null
    where id = (
      select id from brain_runs
      where (status = 'queued' and next_attempt_at <= now()) or (status = 'running' and attempt < ${MAX_ATTEMPTS} and heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS}))
      order by id limit 1 for update skip locked)
    returning *`.execute(db);
  return r.rows[0];
}

/** Takes one queued run for this process (the CLI's import), unless a server took it first. */
export async function claimRun(db: Db, id: number): Promise<RunRow | undefined> {
  return db.updateTable('brain_runs').set({ status: 'running', attempt: sql<number>`attempt + 1`, started_at: new Date(), heartbeat_at: new Date(), stage: 'starting' })
    .where('id', '=', id).where('status', '=', 'queued').returningAll().executeTakeFirst();
}

/** Executes one claimed run to its end (success, retry or failure). Exposed for the CLI, which runs its import in-process. */
export async function executeRun(deps: ModuleDeps, run: RunRow, onProgress?: (c: RunCounts & { progress: number; stage: string | null }) => void): Promise<RunRow> {
  const { db } = deps;
  const dataset = await loadDatasetShape(db, run.dataset_id);
  const counts: RunCounts = { rowsIn: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0 };
  const hasher = contentHasher();
  let fraction = 0;
  let stage: string | null = 'starting';
  // A restarted attempt counts from zero; its rejects replace the earlier attempt's.
  await db.deleteFrom('brain_run_rejects').where('run_id', '=', run.id).execute();
  const write = async () => {
    await db.updateTable('brain_runs').set({
      progress: fraction, stage, rows_in: counts.rowsIn, inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged,
      rejected: counts.rejected, deleted: counts.deleted, heartbeat_at: new Date(),
    }).where('id', '=', run.id).execute();
    onProgress?.({ ...counts, progress: fraction, stage });
  };
  const ctx: RunContext = {
    deps, run, dataset,
    async ingest(rows) {
      for (let i = 0; i < rows.length; i += BATCH) {
        const good: NormalRow[] = [];
        const bad: { run_id: number; row_no: number; reason: string; data: string }[] = [];
        for (const r of rows.slice(i, i + BATCH)) {
          const n = normaliseRow(dataset, r.values);
          if (n.ok) { good.push(n.row); hasher.add(n.row.data); } else bad.push({ run_id: run.id, row_no: r.rowNo, reason: n.reason, data: JSON.stringify(r.values) });
        }
        counts.rowsIn += good.length + bad.length;
        counts.rejected += bad.length;
        const c = await db.transaction().execute(async (tx) => {
          if (bad.length) await tx.insertInto('brain_run_rejects').values(bad).onConflict((oc) => oc.columns(['run_id', 'row_no']).doNothing()).execute();
          return upsertRows(tx, dataset.id, good);
        });
        counts.inserted += c.inserted;
        counts.updated += c.updated;
        counts.unchanged += c.unchanged;
      }
    },
    async progress(f, s) { fraction = Math.max(0, Math.min(1, f)); if (s) stage = s; await write(); },
    addDeleted(n) { counts.deleted += n; },
    counts: () => ({ ...counts }),
  };
  try {
    const exec = executors.get(run.kind);
    if (!exec) throw new Error(`no executor for ${run.kind} runs`);
    await exec(ctx);
    fraction = 1;
    stage = 'done';
    await write();
    return await finish(deps, run, counts, hasher.digest(), null);
  } catch (err) {
    await write().catch(() => {});
    return finish(deps, run, counts, hasher.digest(), err instanceof Error ? err.message : String(err));
  }
}

async function finish(deps: ModuleDeps, run: RunRow, counts: RunCounts, sha: string, error: string | null): Promise<RunRow> {
  const retry = error != null && run.attempt < MAX_ATTEMPTS && run.kind !== 'file';
  return deps.db.transaction().execute(async (tx) => {
    const status = error == null ? 'succeeded' : retry ? 'queued' : 'failed';
    const done = await tx.updateTable('brain_runs').set({
      status, error, content_sha256: sha, finished_at: retry ? null : new Date(), stage: error == null ? 'done' : retry ? 'retrying' : 'failed',
      next_attempt_at: retry ? sql<Date>`now() + make_interval(secs => ${30 * 4 ** (run.attempt - 1)})` : sql<Date>`now()`,
    }).where('id', '=', run.id).returningAll().executeTakeFirstOrThrow();
    if (!retry) await recordRunEnd(tx, deps.secrets, done, sha, error);
    return done;
  });
}

/**
 * The end of a run, whoever ran it (the queue, or the MQTT worker closing a session): the dataset's
 * row count, its last sync when the run succeeded, and the run's exchange-log record.
 */
export async function recordRunEnd(tx: Executor, secrets: SecretBox, run: RunRow, sha: string | null, error: string | null) {
  const rowCount = await tx.selectFrom('brain_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset_id', '=', run.dataset_id).executeTakeFirstOrThrow();
  await tx.updateTable('brain_datasets').set({ row_count: Number(rowCount.n), ...(error == null ? { last_sync_at: new Date() } : {}) }).where('id', '=', run.dataset_id).execute();
  const ds = await tx.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id')
    .select(['brain_systems.department_id', 'brain_systems.id as system_id']).where('brain_datasets.id', '=', run.dataset_id).executeTakeFirstOrThrow();
  await appendExchange(tx, secrets, {
    kind: 'run', outcome: error == null ? 'ok' : 'failed', departmentId: ds.department_id, systemId: ds.system_id, accountId: run.created_by,
    datasetId: run.dataset_id, connectorId: run.connector_id, runId: run.id, rowCount: run.inserted + run.updated, contentSha256: sha,
    detail: { runKind: run.kind, mode: run.mode, rowsIn: run.rows_in, inserted: run.inserted, updated: run.updated, unchanged: run.unchanged, rejected: run.rejected, deleted: run.deleted, attempt: run.attempt, ...(error ? { error } : {}) },
  });
}

const draining = new WeakSet<Db>();
/** Works through the due runs of this database until none is left; one drain per process and database at a time. */
export async function drainRuns(deps: ModuleDeps): Promise<number> {
  if (draining.has(deps.db)) return 0;
  draining.add(deps.db);
  let n = 0;
  try {
    for (let run = await claimNext(deps.db); run; run = await claimNext(deps.db)) {
      await executeRun(deps, run);
      n++;
    }
  } finally {
    draining.delete(deps.db);
  }
  return n;
}

/** Starts the queue now (after an upload or "run now") without waiting for the sweep's next tick. */
export function kickRuns(deps: ModuleDeps, onError: (err: unknown) => void = () => {}) {
  setImmediate(() => { drainRuns(deps).catch(onError); });
}

export async function runById(db: Db, id: number) {
  return db.selectFrom('brain_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

function runsQuery(db: Db) {
  return db.selectFrom('brain_runs as r').innerJoin('brain_datasets as ds', 'ds.id', 'r.dataset_id').leftJoin('accounts as a', 'a.id', 'r.created_by')
    .selectAll('r').select(['ds.name as dataset_name', 'a.display_name as created_by_name']);
}
type RunListRow = Awaited<ReturnType<ReturnType<typeof runsQuery>['executeTakeFirstOrThrow']>>;
export function presentRun(r: RunListRow) {
  return {
    ...presentRunSummary(r), datasetId: r.dataset_id, datasetName: r.dataset_name, connectorId: r.connector_id, stage: r.stage, attempt: r.attempt,
    contentSha256: r.content_sha256, createdBy: r.created_by_name,
  };
}

export async function getRun(db: Db, id: number) {
  const r = await runsQuery(db).where('r.id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  return presentRun(r);
}

export async function listRuns(db: Db, q: PageQuery & { datasetId?: number; connectorId?: number; status?: string }) {
  let qb = runsQuery(db);
  if (q.datasetId) qb = qb.where('r.dataset_id', '=', q.datasetId);
  if (q.connectorId) qb = qb.where('r.connector_id', '=', q.connectorId);
  if (q.status) qb = qb.where('r.status', '=', q.status as never);
  const page = await paginate(qb.orderBy('r.id', 'desc'), q);
  return { ...page, items: page.items.map(presentRun) };
}

export async function runRejects(db: Db, id: number) {
  return db.selectFrom('brain_run_rejects').select(['row_no', 'reason', 'data']).where('run_id', '=', id).orderBy('row_no').limit(100_000).execute();
}

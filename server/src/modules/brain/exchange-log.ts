import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonical } from '../../core/audit.js';
import { fromJson, type Db, type Executor } from '../../core/db.js';
import { paginate } from '../../core/paging.js';
import { signEd25519, verifyEd25519, type SecretBox } from '../../core/secret-box.js';

/**
 * The exchange log: every connector run, every read of dataset rows (allowed or refused), every
 * approval decision, refused inbound push and retention deletion appends one record. Records are
 * hash-chained like the audit log and each hash is signed with the hub's Ed25519 key, so a
 * department holding the public key can check an extract without trusting the database.
 */
export type ExchangeKind = 'run' | 'read' | 'approval' | 'inbound' | 'retention' | 'reconcile' | 'match';
export type ExchangeOutcome = 'ok' | 'denied' | 'failed' | 'refused' | 'approved' | 'rejected' | 'expired' | 'deleted';

export interface ExchangeEntry {
  kind: ExchangeKind; outcome: ExchangeOutcome;
  departmentId?: number | null; systemId?: number | null; accountId?: number | null; actorName?: string | null;
  datasetId?: number | null; connectorId?: number | null; runId?: number | null; approvalId?: number | null;
  rowCount?: number; contentSha256?: string | null; purpose?: string | null; detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/** SHA-256 of rows as canonical JSON lines: what a receiver recomputes over its extract. */
export function contentHash(rows: Iterable<unknown>): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(canonical(r)).update('\n');
  return h.digest('hex');
}
/** Incremental form of contentHash, for runs that move rows batch by batch. */
export function contentHasher() {
  const h = createHash('sha256');
  return { add(row: unknown) { h.update(canonical(row)).update('\n'); }, digest: () => h.digest('hex') };
}

interface Hashed {
  at: Date; kind: string; outcome: string; department_id: number | null; system_id: number | null; account_id: number | null; actor_name: string | null;
  dataset_id: number | null; connector_id: number | null; run_id: number | null; approval_id: number | null; row_count: number;
  content_sha256: string | null; purpose: string | null; detail: unknown;
}

function recordHash(prev: string, r: Hashed) {
  const body = canonical([r.at.toISOString(), r.kind, r.outcome, r.department_id, r.system_id, r.account_id, r.actor_name, r.dataset_id, r.connector_id,
    r.run_id, r.approval_id, r.row_count, r.content_sha256, r.purpose, r.detail]);
  return createHash('sha256').update(prev).update('\n').update(body).digest('hex');
}

/** Appends one record inside the caller's transaction; the advisory lock keeps the chain linear across instances. */
export async function appendExchange(tx: Executor, secrets: SecretBox, e: ExchangeEntry): Promise<number> {
  await sql`select pg_advisory_xact_lock(727010)`.execute(tx);
  const last = await tx.selectFrom('brain_exchange_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? GENESIS;
  const row: Hashed = {
    at: new Date(), kind: e.kind, outcome: e.outcome, department_id: e.departmentId ?? null, system_id: e.systemId ?? null, account_id: e.accountId ?? null,
    actor_name: e.actorName ?? null, dataset_id: e.datasetId ?? null, connector_id: e.connectorId ?? null, run_id: e.runId ?? null, approval_id: e.approvalId ?? null,
    row_count: e.rowCount ?? 0, content_sha256: e.contentSha256 ?? null, purpose: e.purpose ?? null, detail: JSON.parse(JSON.stringify(e.detail ?? {})),
  };
  const hash = recordHash(prev, row);
  const inserted = await tx.insertInto('brain_exchange_log')
    .values({ ...row, detail: JSON.stringify(row.detail), prev_hash: prev, hash, signature: signEd25519(secrets.signingKey.privateKey, hash) })
    .returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** problem: which check failed (link, content or signature), for the console; reason: the same in words, for the CLI. */
export interface ExchangeVerifyResult { ok: boolean; checked: number; brokenAt?: number; problem?: 'link' | 'content' | 'signature'; reason?: string; keyId: string }

/** Walks the chain in id order: link, content and signature of each record; names the first bad one. */
export async function verifyExchangeLog(db: Executor, secrets: SecretBox, batch = 5000): Promise<ExchangeVerifyResult> {
  const keyId = secrets.signingKey.keyId;
  let prev = GENESIS, lastId = 0, checked = 0;
  for (;;) {
    const rows = await db.selectFrom('brain_exchange_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batch).execute();
    if (!rows.length) return { ok: true, checked, keyId };
    for (const r of rows) {
      if (r.prev_hash !== prev) return { ok: false, checked, brokenAt: r.id, problem: 'link', reason: 'prev_hash does not link to the previous record', keyId };
      const detail = fromJson(r.detail);
      if (recordHash(prev, { ...r, at: new Date(r.at), detail }) !== r.hash) return { ok: false, checked, brokenAt: r.id, problem: 'content', reason: 'content does not match its hash', keyId };
      if (!verifyEd25519(secrets.signingKey.publicKey, r.hash, r.signature)) return { ok: false, checked, brokenAt: r.id, problem: 'signature', reason: 'signature does not verify with the hub key', keyId };
      prev = r.hash;
      lastId = r.id;
      checked++;
    }
  }
}

export interface ExchangeQuery { page: number; pageSize: number; datasetId?: number; departmentId?: number; kind?: string; outcome?: string; from?: string; to?: string }

/** The log, newest first, with filters; stewards read all of it (routes check brain:manage). */
export async function listExchange(db: Db, q: ExchangeQuery) {
  let qb = db.selectFrom('brain_exchange_log as e').leftJoin('brain_departments as d', 'd.id', 'e.department_id').leftJoin('brain_datasets as ds', 'ds.id', 'e.dataset_id')
    .selectAll('e').select(['d.name as department_name', 'ds.name as dataset_name']);
  if (q.datasetId) qb = qb.where('e.dataset_id', '=', q.datasetId);
  if (q.departmentId) qb = qb.where('e.department_id', '=', q.departmentId);
  if (q.kind) qb = qb.where('e.kind', '=', q.kind);
  if (q.outcome) qb = qb.where('e.outcome', '=', q.outcome);
  if (q.from) qb = qb.where('e.at', '>=', new Date(q.from));
  if (q.to) qb = qb.where('e.at', '<', new Date(new Date(q.to).getTime() + 86400_000));
  const page = await paginate(qb.orderBy('e.id', 'desc'), q);
  return {
    ...page,
    items: page.items.map((e) => ({
      id: e.id, at: e.at, kind: e.kind, outcome: e.outcome, department: e.department_name, departmentId: e.department_id, accountId: e.account_id, actorName: e.actor_name,
      dataset: e.dataset_name, datasetId: e.dataset_id, connectorId: e.connector_id, runId: e.run_id, approvalId: e.approval_id, rowCount: e.row_count,
      contentSha256: e.content_sha256, purpose: e.purpose, detail: fromJson(e.detail), hash: e.hash, prevHash: e.prev_hash, signature: e.signature,
    })),
  };
}

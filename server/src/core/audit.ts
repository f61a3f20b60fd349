import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { Executor } from './db.js';
import type { PiAccessLogTable } from './schema.js';

/** Who did it, from where: taken from the request (or the CLI). */
export interface Actor {
  id: number | null;
  name: string | null;
  role: string | null;
  ip: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', role: 'system', ip: null, requestId: null };
export const cliActor = (what = 'cli'): Actor => ({ id: null, name: what, role: 'cli', ip: null, requestId: null });

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | number | null;
  summary?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/** JSON with keys sorted at every level, so jsonb's reordering does not change the hash. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

interface HashedFields {
  at: Date; actor_id: number | null; actor_name: string | null; actor_role: string | null; action: string;
  target_type: string | null; target_id: string | null; summary: unknown; ip: string | null; request_id: string | null;
}

export function auditHash(prevHash: string, r: HashedFields): string {
  const body = canonical([r.at.toISOString(), r.actor_id, r.actor_name, r.actor_role, r.action, r.target_type, r.target_id, r.summary, r.ip, r.request_id]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one hash-chained record. Call inside the write's own transaction so
 * the record and the change commit together; the advisory lock keeps the chain
 * linear across concurrent writers and instances.
 */
export async function appendAudit(tx: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(727002)`.execute(tx);
  const last = await tx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? GENESIS;
  // Millisecond precision so the stored timestamp reads back exactly as hashed.
  const row: HashedFields = {
    at: new Date(),
    actor_id: actor.id,
    actor_name: actor.name,
    actor_role: actor.role,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId == null ? null : String(entry.targetId),
    summary: JSON.parse(JSON.stringify(entry.summary ?? {})),
    ip: actor.ip,
    request_id: actor.requestId,
  };
  await tx.insertInto('audit_log').values({ ...row, summary: JSON.stringify(row.summary), prev_hash: prev, hash: auditHash(prev, row) }).execute();
}

export interface VerifyResult { ok: boolean; checked: number; brokenAt?: number; reason?: string }

/** Walks the chain in id order; reports the first row whose link or content does not match. */
export async function verifyAudit(db: Executor, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batch).execute();
    if (!rows.length) return { ok: true, checked };
    for (const r of rows) {
      if (r.prev_hash !== prev) return { ok: false, checked, brokenAt: r.id, reason: 'prev_hash does not link to the previous record' };
      const summary = typeof r.summary === 'string' ? JSON.parse(r.summary) : r.summary;
      const expect = auditHash(prev, { ...r, at: new Date(r.at), summary });
      if (expect !== r.hash) return { ok: false, checked, brokenAt: r.id, reason: 'content does not match its hash' };
      prev = r.hash;
      lastId = r.id;
      checked++;
    }
  }
}

export type PersonalDataAccess = Omit<Insertable<PiAccessLogTable>, 'id' | 'at'>;

/** Records an unmasked read or an export of personal data, with its purpose (PIPL). */
export async function logPersonalDataAccess(db: Executor, entry: PersonalDataAccess) {
  await db.insertInto('pi_access_log').values(entry).execute();
}

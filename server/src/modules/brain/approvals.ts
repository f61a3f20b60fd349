import { sql } from 'kysely';
import type { Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import { fromJson, type Db } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { emptyPage, paginate, type PageQuery } from '../../core/paging.js';
import type { SecretBox } from '../../core/secret-box.js';
import { appendExchange } from './exchange-log.js';
import { departmentOf, isSteward, requireProviderUser } from './policy.js';
import type { DatasetField } from './tables.js';

/**
 * Use requests for conditional-share datasets: a consumer department asks with purpose, PIPL basis,
 * the fields it needs and a period; the provider approves or rejects; access ends by itself at the
 * period's end (rowAccess compares times, and the sweep marks the request expired and logs it).
 */
const MAX_DAYS = 366;

export interface ApprovalRequest { datasetId: number; purpose: string; legalBasis: string; fields: string[]; startsAt?: string; expiresAt: string }

export async function requestUse(db: Db, auth: AuthContext, b: ApprovalRequest) {
  const dept = await departmentOf(db, auth);
  if (!dept) throw new AppError(403, 'forbidden', 'dataset_no_department');
  const ds = await db.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id')
    .select(['brain_datasets.id', 'brain_datasets.share_type', 'brain_datasets.fields', 'brain_systems.department_id']).where('brain_datasets.id', '=', b.datasetId).executeTakeFirst();
  if (!ds) throw fieldError('datasetId', 'not_found');
  if (ds.share_type !== 'conditional') throw fieldError('datasetId', ds.share_type === 'none' ? 'dataset_not_shared' : 'approval_not_needed');
  if (ds.department_id === dept.id) throw fieldError('datasetId', 'approval_own_dataset');
  const consumer = await db.selectFrom('brain_dataset_consumers').select('dataset_id').where('dataset_id', '=', ds.id).where('department_id', '=', dept.id).executeTakeFirst();
  if (!consumer) throw new AppError(403, 'forbidden', 'dataset_not_consumer');
  const names = (fromJson(ds.fields) as DatasetField[]).map((f) => f.name);
  const unknown = b.fields.filter((f) => !names.includes(f));
  if (unknown.length) throw fieldError('fields', 'mapping_unknown_field', { field: unknown.join(', ') });
  const starts = b.startsAt ? new Date(b.startsAt) : new Date();
  const expires = new Date(b.expiresAt);
  if (expires <= starts) throw fieldError('expiresAt', 'approval_period');
  if (expires.getTime() - starts.getTime() > MAX_DAYS * 86400_000) throw fieldError('expiresAt', 'approval_too_long', { days: MAX_DAYS });
  const pending = await db.selectFrom('brain_approvals').select('id').where('dataset_id', '=', ds.id).where('department_id', '=', dept.id).where('status', '=', 'pending').executeTakeFirst();
  if (pending) throw new AppError(409, 'conflict', 'approval_pending_exists');
  const row = await db.insertInto('brain_approvals').values({
    dataset_id: ds.id, department_id: dept.id, requested_by: auth.accountId, purpose: b.purpose, legal_basis: b.legalBasis, fields: [...new Set(b.fields)],
    starts_at: starts, expires_at: expires,
  }).returning('id').executeTakeFirstOrThrow();
  return getApproval(db, auth, row.id);
}

function approvalsQuery(db: Db) {
  return db.selectFrom('brain_approvals as a')
    .innerJoin('brain_datasets as ds', 'ds.id', 'a.dataset_id').innerJoin('brain_systems as s', 's.id', 'ds.system_id')
    .innerJoin('brain_departments as p', 'p.id', 's.department_id').innerJoin('brain_departments as c', 'c.id', 'a.department_id')
    .innerJoin('accounts as r', 'r.id', 'a.requested_by').leftJoin('accounts as dby', 'dby.id', 'a.decided_by')
    .select(['a.id', 'a.status', 'a.purpose', 'a.legal_basis', 'a.fields', 'a.starts_at', 'a.expires_at', 'a.created_at', 'a.decided_at', 'a.decision_note',
      'ds.id as dataset_id', 'ds.name as dataset_name', 'ds.share_type', 'p.id as provider_id', 'p.name as provider_name', 'c.id as consumer_id', 'c.name as consumer_name',
      'r.display_name as requested_by_name', 'dby.display_name as decided_by_name']);
}
type ApprovalRow = Awaited<ReturnType<ReturnType<typeof approvalsQuery>['executeTakeFirstOrThrow']>>;
const present = (a: ApprovalRow, now = new Date()) => ({
  id: a.id, status: a.status, live: a.status === 'approved' && new Date(a.starts_at) <= now && new Date(a.expires_at) > now,
  purpose: a.purpose, legalBasis: a.legal_basis, fields: a.fields, startsAt: a.starts_at, expiresAt: a.expires_at, createdAt: a.created_at,
  decidedAt: a.decided_at, decisionNote: a.decision_note, requestedBy: a.requested_by_name, decidedBy: a.decided_by_name,
  dataset: { id: a.dataset_id, name: a.dataset_name, shareType: a.share_type }, provider: { id: a.provider_id, name: a.provider_name }, consumer: { id: a.consumer_id, name: a.consumer_name },
});

/** box=inbox: requests to my department's datasets; box=mine: my department's requests; stewards see all. */
export async function listApprovals(db: Db, auth: AuthContext, q: PageQuery & { box?: 'inbox' | 'mine' | 'all'; status?: string; datasetId?: number }) {
  const dept = await departmentOf(db, auth);
  let qb = approvalsQuery(db);
  const box = q.box ?? (dept ? 'inbox' : 'all');
  if (box === 'all') {
    if (!isSteward(auth)) return emptyPage(q);
  } else {
    if (!dept) return emptyPage(q);
    qb = box === 'inbox' ? qb.where('p.id', '=', dept.id) : qb.where('c.id', '=', dept.id);
  }
  if (q.status) qb = qb.where('a.status', '=', q.status as never);
  if (q.datasetId) qb = qb.where('ds.id', '=', q.datasetId);
  const page = await paginate(qb.orderBy(sql`a.status = 'pending'`, 'desc').orderBy('a.id', 'desc'), q);
  return { ...page, items: page.items.map((a) => present(a)) };
}

export async function getApproval(db: Db, auth: AuthContext, id: number) {
  const a = await approvalsQuery(db).where('a.id', '=', id).executeTakeFirst();
  if (!a) throw notFound();
  const dept = await departmentOf(db, auth);
  if (!isSteward(auth) && dept?.id !== a.provider_id && dept?.id !== a.consumer_id) throw notFound();
  return present(a);
}

export async function decideApproval(db: Db, secrets: SecretBox, auth: AuthContext, actor: Actor, id: number, b: { decision: 'approve' | 'reject'; note?: string | null; fields?: string[] }) {
  const a = await approvalsQuery(db).where('a.id', '=', id).executeTakeFirst();
  if (!a) throw notFound();
  const dept = await requireProviderUser(db, auth, a.provider_id);
  if (b.decision === 'reject' && !b.note) throw fieldError('note', 'approval_reject_reason');
  const fields = b.fields?.length ? b.fields.filter((f) => a.fields.includes(f)) : a.fields;
  await db.transaction().execute(async (tx) => {
    const done = await tx.updateTable('brain_approvals').set({
      status: b.decision === 'approve' ? 'approved' : 'rejected', decided_by: auth.accountId, decided_at: new Date(), decision_note: b.note ?? null, fields,
    }).where('id', '=', id).where('status', '=', 'pending').returning('id').executeTakeFirst();
    if (!done) throw new AppError(409, 'conflict', 'approval_already_decided');
    await appendExchange(tx, secrets, {
      kind: 'approval', outcome: b.decision === 'approve' ? 'approved' : 'rejected', departmentId: dept!.id, accountId: auth.accountId, actorName: actor.name,
      datasetId: a.dataset_id, approvalId: id, purpose: a.purpose,
      detail: { consumer: a.consumer_name, legalBasis: a.legal_basis, fields, startsAt: new Date(a.starts_at).toISOString(), expiresAt: new Date(a.expires_at).toISOString(), note: b.note ?? null },
    });
  });
  return getApproval(db, auth, id);
}

export async function withdrawApproval(db: Db, auth: AuthContext, id: number) {
  const a = await approvalsQuery(db).where('a.id', '=', id).executeTakeFirst();
  const dept = await departmentOf(db, auth);
  if (!a || dept?.id !== a.consumer_id) throw notFound();
  const done = await db.updateTable('brain_approvals').set({ status: 'withdrawn' }).where('id', '=', id).where('status', 'in', ['pending', 'approved']).returning('id').executeTakeFirst();
  if (!done) throw new AppError(409, 'conflict', 'approval_already_decided');
  return getApproval(db, auth, id);
}

/** Marks approvals past their end as expired, one exchange record each (access already ended: rowAccess compares times). */
export async function expireApprovals(db: Db, secrets: SecretBox) {
  const due = await db.selectFrom('brain_approvals').select(['id', 'dataset_id', 'department_id', 'expires_at']).where('status', '=', 'approved').where('expires_at', '<=', new Date()).limit(500).execute();
  for (const a of due) {
    await db.transaction().execute(async (tx) => {
      const done = await tx.updateTable('brain_approvals').set({ status: 'expired' }).where('id', '=', a.id).where('status', '=', 'approved').returning('id').executeTakeFirst();
      if (done) await appendExchange(tx, secrets, { kind: 'approval', outcome: 'expired', departmentId: a.department_id, datasetId: a.dataset_id, approvalId: a.id, actorName: 'system', detail: { expiresAt: new Date(a.expires_at).toISOString() } });
    });
  }
  return due.length;
}

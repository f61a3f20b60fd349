import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../core/audit.js';
import { appendAudit } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import { fromJson, type Db, type Executor } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { isRootPath } from '../../core/scope.js';
import { departmentOf, isSteward, requireSteward } from './policy.js';
import type { DatasetField, ShareType } from './tables.js';

/**
 * The registry (X-Road's member → subsystem → service): departments, their systems and each
 * system's datasets with fields, share type, cycle, PIPL basis and the departments that may use
 * it. Stewards write it; department users browse the catalogue.
 */

const unique = (e: unknown) => (e as { code?: string })?.code === '23505';

export async function createDepartment(db: Db, auth: AuthContext, actor: Actor, b: { name: string; code: string; level?: string }) {
  requireSteward(auth);
  try {
    return await db.transaction().execute(async (tx) => {
      const d = await tx.insertInto('brain_departments').values({ name: b.name, code: b.code, level: b.level ?? 'district' }).returningAll().executeTakeFirstOrThrow();
      await appendAudit(tx, actor, { action: 'brain.department.create', targetType: 'brain_department', targetId: d.id, summary: { name: d.name, code: d.code } });
      return { id: d.id, code: d.code, name: d.name, level: d.level, createdAt: d.created_at, systems: 0, datasets: 0, accounts: 0 };
    });
  } catch (e) {
    if (unique(e)) throw fieldError(String((e as { constraint?: string }).constraint ?? '').includes('code') ? 'code' : 'name', 'taken', undefined, 409);
    throw e;
  }
}

export async function listDepartments(db: Db, q: PageQuery & { q?: string; level?: string }) {
  let qb = db.selectFrom('brain_departments as d').select((eb) => [
    'd.id', 'd.code', 'd.name', 'd.level', 'd.created_at as createdAt',
    eb.selectFrom('brain_systems').select(eb.fn.countAll<number>().as('n')).whereRef('department_id', '=', 'd.id').as('systems'),
    eb.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id').select(eb.fn.countAll<number>().as('n')).whereRef('brain_systems.department_id', '=', 'd.id').as('datasets'),
    eb.selectFrom('brain_department_accounts').select(eb.fn.countAll<number>().as('n')).whereRef('department_id', '=', 'd.id').as('accounts'),
  ]);
  if (q.q) qb = qb.where((eb) => eb.or([eb('d.name', 'like', `%${q.q}%`), eb('d.code', 'like', `%${q.q}%`)]));
  if (q.level) qb = qb.where('d.level', '=', q.level);
  const page = await paginate(qb.orderBy('d.id'), q);
  return { ...page, items: page.items.map((d) => ({ ...d, systems: Number(d.systems), datasets: Number(d.datasets), accounts: Number(d.accounts) })) };
}

export async function createSystem(db: Db, auth: AuthContext, actor: Actor, b: { name: string; departmentId: number; code?: string; description?: string | null }) {
  requireSteward(auth);
  const dept = await db.selectFrom('brain_departments').select(['id', 'name']).where('id', '=', b.departmentId).executeTakeFirst();
  if (!dept) throw fieldError('departmentId', 'not_found');
  const code = b.code ?? `sys-${randomBytes(4).toString('hex')}`;
  try {
    return await db.transaction().execute(async (tx) => {
      const s = await tx.insertInto('brain_systems').values({ name: b.name, department_id: dept.id, code, description: b.description ?? null }).returningAll().executeTakeFirstOrThrow();
      await appendAudit(tx, actor, { action: 'brain.system.create', targetType: 'brain_system', targetId: s.id, summary: { name: s.name, department: dept.name } });
      return { id: s.id, code: s.code, name: s.name, description: s.description, departmentId: dept.id, departmentName: dept.name, datasets: 0, createdAt: s.created_at };
    });
  } catch (e) {
    if (unique(e)) throw fieldError(String((e as { constraint?: string }).constraint ?? '').includes('code') ? 'code' : 'name', 'taken', undefined, 409);
    throw e;
  }
}

export async function listSystems(db: Db, q: PageQuery & { departmentId?: number; q?: string }) {
  let qb = db.selectFrom('brain_systems as s').innerJoin('brain_departments as d', 'd.id', 's.department_id').select((eb) => [
    's.id', 's.code', 's.name', 's.description', 's.department_id as departmentId', 'd.name as departmentName', 's.created_at as createdAt',
    eb.selectFrom('brain_datasets').select(eb.fn.countAll<number>().as('n')).whereRef('system_id', '=', 's.id').as('datasets'),
  ]);
  if (q.departmentId) qb = qb.where('s.department_id', '=', q.departmentId);
  if (q.q) qb = qb.where((eb) => eb.or([eb('s.name', 'like', `%${q.q}%`), eb('d.name', 'like', `%${q.q}%`)]));
  const page = await paginate(qb.orderBy('s.department_id').orderBy('s.id'), q);
  return { ...page, items: page.items.map((s) => ({ ...s, datasets: Number(s.datasets) })) };
}

export interface DatasetInput {
  name: string; systemId: number; description?: string | null; fields: DatasetField[]; shareType: ShareType; updateCycle?: string;
  legalBasis?: string | null; purpose?: string | null; retentionDays?: number | null; timeField?: string | null; consumerDepartmentIds?: number[];
}

/** Rules a dataset's declaration must keep; each broken one names its field. */
export function checkDatasetDeclaration(d: Pick<DatasetInput, 'fields' | 'legalBasis' | 'purpose' | 'retentionDays' | 'timeField'>) {
  const names = d.fields.map((f) => f.name);
  if (new Set(names).size !== names.length) throw fieldError('fields', 'duplicate_field');
  if (!d.fields.some((f) => f.key)) throw fieldError('fields', 'dataset_key_required');
  if (d.fields.filter((f) => f.key).length > 3) throw fieldError('fields', 'dataset_key_too_many');
  const personal = d.fields.some((f) => f.personal !== 'none');
  if (personal && !d.legalBasis) throw fieldError('legalBasis', 'dataset_legal_basis_required');
  if (personal && !d.purpose) throw fieldError('purpose', 'dataset_purpose_required');
  if (d.fields.some((f) => f.personal === 'sensitive') && !d.retentionDays) throw fieldError('retentionDays', 'dataset_retention_required');
  if (d.timeField && !d.fields.some((f) => f.name === d.timeField && (f.type === 'date' || f.type === 'timestamp'))) throw fieldError('timeField', 'dataset_time_field');
}

export async function createDataset(db: Db, auth: AuthContext, actor: Actor, b: DatasetInput) {
  requireSteward(auth);
  checkDatasetDeclaration(b);
  const system = await db.selectFrom('brain_systems').select(['id', 'department_id']).where('id', '=', b.systemId).executeTakeFirst();
  if (!system) throw fieldError('systemId', 'not_found');
  try {
    const id = await db.transaction().execute(async (tx) => {
      const d = await tx.insertInto('brain_datasets').values({
        system_id: system.id, name: b.name, description: b.description ?? null, fields: JSON.stringify(b.fields), key_fields: b.fields.filter((f) => f.key).map((f) => f.name),
        share_type: b.shareType, update_cycle: b.updateCycle ?? 'daily', legal_basis: b.legalBasis ?? null, purpose: b.purpose ?? null,
        retention_days: b.retentionDays ?? null, time_field: b.timeField ?? null, created_by: auth.accountId,
      }).returning('id').executeTakeFirstOrThrow();
      await setConsumers(tx, d.id, system.department_id, b.consumerDepartmentIds ?? []);
      await appendAudit(tx, actor, { action: 'brain.dataset.create', targetType: 'brain_dataset', targetId: d.id, summary: { name: b.name, shareType: b.shareType, fields: b.fields.length } });
      return d.id;
    });
    return getDataset(db, auth, id);
  } catch (e) {
    if (unique(e)) throw fieldError('name', 'taken', undefined, 409);
    throw e;
  }
}

async function setConsumers(tx: Executor, datasetId: number, providerId: number, ids: number[]) {
  await tx.deleteFrom('brain_dataset_consumers').where('dataset_id', '=', datasetId).execute();
  const list = [...new Set(ids)].filter((id) => id !== providerId);
  if (!list.length) return;
  const known = await tx.selectFrom('brain_departments').select('id').where('id', 'in', list).execute();
  if (known.length !== list.length) throw fieldError('consumerDepartmentIds', 'not_found');
  await tx.insertInto('brain_dataset_consumers').values(list.map((department_id) => ({ dataset_id: datasetId, department_id }))).execute();
}

export async function updateDataset(db: Db, auth: AuthContext, actor: Actor, id: number, b: Partial<Omit<DatasetInput, 'systemId' | 'fields' | 'name'>> & { name?: string }) {
  requireSteward(auth);
  const cur = await db.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id')
    .select(['brain_datasets.id', 'brain_datasets.fields', 'brain_datasets.legal_basis', 'brain_datasets.purpose', 'brain_datasets.retention_days', 'brain_datasets.time_field', 'brain_systems.department_id'])
    .where('brain_datasets.id', '=', id).executeTakeFirst();
  if (!cur) throw notFound();
  checkDatasetDeclaration({
    fields: fromJson<DatasetField[]>(cur.fields), legalBasis: b.legalBasis !== undefined ? b.legalBasis : cur.legal_basis, purpose: b.purpose !== undefined ? b.purpose : cur.purpose,
    retentionDays: b.retentionDays !== undefined ? b.retentionDays : cur.retention_days, timeField: b.timeField !== undefined ? b.timeField : cur.time_field,
  });
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('brain_datasets').set({
      ...(b.name !== undefined && { name: b.name }), ...(b.description !== undefined && { description: b.description }), ...(b.shareType !== undefined && { share_type: b.shareType }),
      ...(b.updateCycle !== undefined && { update_cycle: b.updateCycle }), ...(b.legalBasis !== undefined && { legal_basis: b.legalBasis }),
      ...(b.purpose !== undefined && { purpose: b.purpose }), ...(b.retentionDays !== undefined && { retention_days: b.retentionDays }),
      ...(b.timeField !== undefined && { time_field: b.timeField }), updated_at: new Date(),
    }).where('id', '=', id).execute();
    if (b.consumerDepartmentIds) await setConsumers(tx, id, cur.department_id, b.consumerDepartmentIds);
    await appendAudit(tx, actor, { action: 'brain.dataset.update', targetType: 'brain_dataset', targetId: id, summary: { ...b } });
  });
  return getDataset(db, auth, id);
}

const CYCLE_HOURS: Record<string, number> = { realtime: 1, hourly: 2, daily: 26, weekly: 7 * 24 + 2, monthly: 32 * 24, quarterly: 93 * 24, yearly: 367 * 24 };
/** fresh: synced within its update cycle; stale: overdue; never: no sync yet. Irregular datasets are fresh once synced. */
export function freshness(cycle: string, lastSync: Date | null, now = new Date()): 'fresh' | 'stale' | 'never' {
  if (!lastSync) return 'never';
  const h = CYCLE_HOURS[cycle];
  return !h || now.getTime() - new Date(lastSync).getTime() <= h * 3600_000 ? 'fresh' : 'stale';
}

function catalogueQuery(db: Db) {
  return db.selectFrom('brain_datasets as ds').innerJoin('brain_systems as s', 's.id', 'ds.system_id').innerJoin('brain_departments as d', 'd.id', 's.department_id')
    .select(['ds.id', 'ds.name', 'ds.description', 'ds.fields', 'ds.key_fields', 'ds.share_type', 'ds.update_cycle', 'ds.legal_basis', 'ds.purpose', 'ds.retention_days', 'ds.time_field',
      'ds.row_count', 'ds.last_sync_at', 'ds.upload_mapping', 'ds.created_at', 'ds.updated_at', 's.id as system_id', 's.name as system_name', 's.code as system_code', 'd.id as department_id', 'd.name as department_name', 'd.code as department_code']);
}
type CatalogueRow = Awaited<ReturnType<ReturnType<typeof catalogueQuery>['executeTakeFirstOrThrow']>>;

function presentDataset(r: CatalogueRow) {
  const fields = fromJson<DatasetField[]>(r.fields);
  return {
    id: r.id, name: r.name, description: r.description, fields, keyFields: r.key_fields, shareType: r.share_type, updateCycle: r.update_cycle,
    legalBasis: r.legal_basis, purpose: r.purpose, retentionDays: r.retention_days, timeField: r.time_field, rowCount: r.row_count, lastSyncAt: r.last_sync_at,
    freshness: freshness(r.update_cycle, r.last_sync_at), personal: fields.some((f) => f.personal !== 'none'), sensitive: fields.some((f) => f.personal === 'sensitive'),
    system: { id: r.system_id, name: r.system_name, code: r.system_code }, department: { id: r.department_id, name: r.department_name, code: r.department_code },
    updatedAt: r.updated_at,
  };
}

/** The catalogue (政务数据资源目录): every registered dataset's metadata, for stewards and department users alike; rows are not here. */
export async function listDatasets(db: Db, q: PageQuery & { q?: string; departmentId?: number; systemId?: number; shareType?: string; freshness?: string }) {
  let qb = catalogueQuery(db);
  if (q.q) qb = qb.where((eb) => eb.or([eb('ds.name', 'like', `%${q.q}%`), eb('ds.description', 'like', `%${q.q}%`), eb('d.name', 'like', `%${q.q}%`), eb('s.name', 'like', `%${q.q}%`)]));
  if (q.departmentId) qb = qb.where('d.id', '=', q.departmentId);
  if (q.systemId) qb = qb.where('s.id', '=', q.systemId);
  if (q.shareType) qb = qb.where('ds.share_type', '=', q.shareType as ShareType);
  if (q.freshness === 'never') qb = qb.where('ds.last_sync_at', 'is', null);
  const page = await paginate(qb.orderBy('d.id').orderBy('ds.id'), q);
  return { ...page, items: page.items.map(presentDataset) };
}

/** One dataset with who may use it, who uses it (live approvals), its recent runs and connectors. */
export async function getDataset(db: Db, auth: AuthContext, id: number) {
  const r = await catalogueQuery(db).where('ds.id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  const [consumers, approvals, runs, connectors, mine] = await Promise.all([
    db.selectFrom('brain_dataset_consumers').innerJoin('brain_departments', 'brain_departments.id', 'brain_dataset_consumers.department_id')
      .select(['brain_departments.id', 'brain_departments.name']).where('dataset_id', '=', id).orderBy('brain_departments.id').execute(),
    db.selectFrom('brain_approvals').innerJoin('brain_departments', 'brain_departments.id', 'brain_approvals.department_id')
      .select(['brain_approvals.id', 'brain_departments.name as department', 'brain_approvals.purpose', 'brain_approvals.fields', 'brain_approvals.expires_at'])
      .where('dataset_id', '=', id).where('status', '=', 'approved').where('expires_at', '>', new Date()).orderBy('brain_approvals.id', 'desc').limit(50).execute(),
    db.selectFrom('brain_runs').select(['id', 'kind', 'mode', 'status', 'progress', 'rows_in', 'inserted', 'updated', 'unchanged', 'rejected', 'deleted', 'error', 'file_name', 'created_at', 'started_at', 'finished_at'])
      .where('dataset_id', '=', id).orderBy('id', 'desc').limit(20).execute(),
    db.selectFrom('brain_connectors').select(['id', 'name', 'kind', 'enabled']).where('dataset_id', '=', id).orderBy('id').execute(),
    departmentOf(db, auth),
  ]);
  const ds = presentDataset(r);
  return {
    ...ds, consumers,
    users: approvals.map((a) => ({ approvalId: a.id, department: a.department, purpose: a.purpose, fields: a.fields, expiresAt: a.expires_at })),
    runs: runs.map(presentRunSummary), connectors, uploadMapping: fromJson(r.upload_mapping) as Record<string, string> | null,
    viewer: { steward: isSteward(auth), department: mine, provider: mine?.id === r.department_id },
  };
}

export function presentRunSummary(r: { id: number; kind: string; mode: string; status: string; progress: number; rows_in: number; inserted: number; updated: number; unchanged: number; rejected: number; deleted: number; error: string | null; file_name: string | null; created_at: Date; started_at: Date | null; finished_at: Date | null }) {
  return {
    id: r.id, kind: r.kind, mode: r.mode, status: r.status, progress: Number(r.progress), rowsIn: r.rows_in, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged,
    rejected: r.rejected, deleted: r.deleted, error: r.error, fileName: r.file_name, createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
  };
}

export async function datasetByName(db: Db, name: string) {
  const rows = await db.selectFrom('brain_datasets').select(['id', 'name']).where('name', '=', name).execute();
  if (!rows.length) throw new AppError(404, 'not_found');
  if (rows.length > 1) throw new AppError(409, 'conflict', 'dataset_name_ambiguous', { name });
  return rows[0];
}

/** Links an account to the department it works for (department users act for it). */
export async function setAccountDepartment(db: Db, auth: AuthContext, actor: Actor, departmentId: number, accountId: number) {
  requireSteward(auth);
  const [dept, account] = await Promise.all([
    db.selectFrom('brain_departments').select(['id', 'name']).where('id', '=', departmentId).executeTakeFirst(),
    db.selectFrom('accounts').select(['id', 'username']).where('id', '=', accountId).executeTakeFirst(),
  ]);
  if (!dept) throw notFound();
  if (!account) throw fieldError('accountId', 'not_found');
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('brain_department_accounts').values({ account_id: account.id, department_id: dept.id })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ department_id: dept.id })).execute();
    await appendAudit(tx, actor, { action: 'brain.department.account', targetType: 'brain_department', targetId: dept.id, summary: { account: account.username } });
  });
  return { ok: true };
}


/** The cockpit's hub numbers (district level only: the hub is not regional): sources connected, rows moved today, freshness. */
export async function hubFigures(db: Db, scopePath: string) {
  if (!isRootPath(scopePath)) return {};
  // Today in China time (UTC+8, no daylight saving).
  const cn = Date.now() + 8 * 3600_000;
  const since = new Date(cn - (cn % 86400_000) - 8 * 3600_000);
  const [sets, moved, counts] = await Promise.all([
    db.selectFrom('brain_datasets').select(['update_cycle', 'last_sync_at']).execute(),
    db.selectFrom('brain_runs').select((eb) => eb.fn.coalesce(eb.fn.sum<number>(sql<number>`inserted + updated + deleted`), eb.lit(0)).as('n')).where('finished_at', '>=', since).executeTakeFirstOrThrow(),
    db.selectFrom('brain_departments').select((eb) => [eb.fn.countAll<number>().as('departments'), eb.selectFrom('brain_systems').select(eb.fn.countAll<number>().as('s')).as('systems')]).executeTakeFirstOrThrow(),
  ]);
  const fresh = sets.map((s) => freshness(s.update_cycle, s.last_sync_at));
  return {
    brain: {
      departments: Number(counts.departments), systems: Number(counts.systems), datasets: sets.length, sourcesConnected: fresh.filter((f) => f !== 'never').length,
      rowsMovedToday: Number(moved.n), fresh: fresh.filter((f) => f === 'fresh').length, stale: fresh.filter((f) => f === 'stale').length,
    },
  };
}

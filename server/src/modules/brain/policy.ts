import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import type { Executor } from '../../core/db.js';
import { AppError, forbidden } from '../../core/errors.js';
import { isRootPath } from '../../core/scope.js';
import type { ShareType } from './tables.js';

/**
 * Who may do what in the hub, decided here for every read and write of the brain module.
 * The hub spans the district: its stewards (brain:manage) hold the district-wide scope. A
 * department's users act for their department (brain_department_accounts): they read what their
 * department provides, request and use what others share, and decide requests for their own data.
 * Reading a dataset's rows is allowed only by `rowAccess`; everything it refuses is logged by the caller.
 */

/** The data administrator's own check: brain:manage held with the district-wide scope. */
export function requireSteward(auth: AuthContext) {
  if (!can(auth.permissions, 'brain:manage') || !auth.scope || !isRootPath(auth.scope.path)) throw forbidden();
}
export const isSteward = (auth: AuthContext) => can(auth.permissions, 'brain:manage') && !!auth.scope && isRootPath(auth.scope.path);

export async function departmentOf(db: Executor, auth: AuthContext): Promise<{ id: number; name: string } | null> {
  const r = await db.selectFrom('brain_department_accounts').innerJoin('brain_departments', 'brain_departments.id', 'brain_department_accounts.department_id')
    .select(['brain_departments.id', 'brain_departments.name']).where('account_id', '=', auth.accountId).executeTakeFirst();
  return r ?? null;
}

export interface DatasetForAccess { id: number; share_type: ShareType | string; provider_department_id: number; fields: { name: string }[] }
export type RowAccess =
  | { ok: true; as: 'provider' | 'steward' | 'open' | 'approved'; fields: string[]; approvalId: number | null; purpose: string | null; departmentId: number | null }
  | { ok: false; error: AppError; departmentId: number | null; reason: string };

/**
 * Whether the caller may read a dataset's rows through the API, and which fields:
 * - 不予共享 (none): only the provider's own users; it never leaves the department;
 * - the provider's users and the hub's stewards: every field (masked unless asked and logged);
 * - 无条件共享 (open): departments listed as consumers;
 * - 有条件共享 (conditional): a listed consumer with a live approval, and only the approved fields.
 */
export async function rowAccess(db: Executor, auth: AuthContext, ds: DatasetForAccess, now = new Date()): Promise<RowAccess> {
  const dept = await departmentOf(db, auth);
  const all = ds.fields.map((f) => f.name);
  const deny = (key: string, reason: string): RowAccess => ({ ok: false, error: new AppError(403, 'forbidden', key), departmentId: dept?.id ?? null, reason });
  if (dept?.id === ds.provider_department_id) return { ok: true, as: 'provider', fields: all, approvalId: null, purpose: null, departmentId: dept.id };
  if (ds.share_type === 'none') return deny('dataset_not_shared', 'share type none');
  if (isSteward(auth) && !dept) return { ok: true, as: 'steward', fields: all, approvalId: null, purpose: null, departmentId: null };
  if (!dept) return deny('dataset_no_department', 'account belongs to no department');
  const consumer = await db.selectFrom('brain_dataset_consumers').select('dataset_id').where('dataset_id', '=', ds.id).where('department_id', '=', dept.id).executeTakeFirst();
  if (!consumer) return deny('dataset_not_consumer', 'department is not a listed consumer');
  if (ds.share_type === 'open') return { ok: true, as: 'open', fields: all, approvalId: null, purpose: null, departmentId: dept.id };
  const approval = await liveApproval(db, ds.id, dept.id, now);
  if (!approval) return deny('dataset_no_approval', 'no live approval');
  return { ok: true, as: 'approved', fields: approval.fields.filter((f) => all.includes(f)), approvalId: approval.id, purpose: approval.purpose, departmentId: dept.id };
}

/**
 * The operator's CLI on the server (no account): acts like a steward with no department, so every
 * dataset except a 不予共享 one, which never leaves its department.
 */
export async function operatorAccess(ds: DatasetForAccess): Promise<RowAccess> {
  if (ds.share_type === 'none') return { ok: false, error: new AppError(403, 'forbidden', 'dataset_not_shared'), departmentId: null, reason: 'share type none' };
  return { ok: true, as: 'steward', fields: ds.fields.map((f) => f.name), approvalId: null, purpose: null, departmentId: null };
}

export function liveApproval(db: Executor, datasetId: number, departmentId: number, now = new Date()) {
  return db.selectFrom('brain_approvals').select(['id', 'fields', 'purpose', 'expires_at']).where('dataset_id', '=', datasetId).where('department_id', '=', departmentId)
    .where('status', '=', 'approved').where('starts_at', '<=', now).where('expires_at', '>', now).orderBy('expires_at', 'desc').limit(1).executeTakeFirst();
}

/** A use request is decided by a user of the providing department (brain:approve). */
export async function requireProviderUser(db: Executor, auth: AuthContext, providerDepartmentId: number) {
  const dept = await departmentOf(db, auth);
  if (!can(auth.permissions, 'brain:approve') || dept?.id !== providerDepartmentId) throw new AppError(403, 'forbidden', 'approval_provider_only');
  return dept;
}

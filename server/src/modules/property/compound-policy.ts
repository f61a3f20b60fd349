import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import type { Executor } from '../../core/db.js';
import { AppError, notFound, outOfScope } from '../../core/errors.js';
import { isInScope, scopePrefix } from '../../core/scope.js';

/**
 * Who may see and change a compound's four-party page, its joint meetings and its assessment —
 * decided here for every read and write of the compound-*.ts files. Workers act only inside their
 * data scope. A resident reads the page of the compound they live in (their person record's region)
 * and rates it, and only while that compound is on their account's line: living there never
 * replaces the scope. A follow-up's owner finishes it only while its compound is on their line.
 */

export interface CompoundRow { id: number; name: string; path: string }

/** What the caller may do at a compound: 'page' is the four-party page (workers and residents), 'read' the worker's views. */
export type CompoundAction = 'page' | 'read' | 'manage' | 'meet' | 'assess' | 'rate';

/** A region on the caller's line: inside the scope, or the scope inside it (a grid worker scoped to one building). */
export function onLine(auth: AuthContext | null, path: string) {
  const s = scopePrefix(auth);
  return !!s && (path.startsWith(s) || s.startsWith(path));
}

/** The same relation in SQL for a path column; false without a scope (fail closed). */
export function onLineSql(auth: AuthContext | null, column: string): Expression<SqlBool> {
  const s = scopePrefix(auth);
  if (!s) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.ref(column)} like ${`${s}%`} or ${s} like ${sql.ref(column)} || '%')`;
}

export async function loadCompound(db: Executor, regionId: number): Promise<CompoundRow | undefined> {
  const r = await db.selectFrom('regions').select(['id', 'name', 'path', 'level']).where('id', '=', regionId).executeTakeFirst();
  return r && r.level === 'compound' ? { id: r.id, name: r.name, path: r.path } : undefined;
}

/** Where the caller lives: the region path of the account's person record, if any. */
export async function homeOf(db: Executor, auth: AuthContext) {
  if (auth.personId == null) return null;
  return await db.selectFrom('persons').select(['id', 'region_path', 'household_id']).where('id', '=', auth.personId).executeTakeFirst() ?? null;
}

export function compoundRelation(auth: AuthContext, compoundPath: string, homePath: string | null) {
  const inScope = isInScope(auth, compoundPath);
  return {
    worker: inScope && can(auth.permissions, 'compound:read'),
    manage: inScope && can(auth.permissions, 'compound:manage'),
    meet: inScope && can(auth.permissions, 'compound:meet'),
    assess: inScope && can(auth.permissions, 'compound:assess'),
    resident: homePath != null && homePath.startsWith(compoundPath) && onLine(auth, compoundPath),
  };
}
export type CompoundRelation = ReturnType<typeof compoundRelation>;

const allowed = (x: CompoundRelation, action: CompoundAction) => {
  switch (action) {
    case 'page': return x.worker || x.resident;
    case 'read': return x.worker;
    case 'rate': return x.resident;
    default: return x[action];
  }
};

/**
 * The compound, when the caller may take the action there. 404 when the region is not a compound or
 * the caller may not know of it; 403 for workers of elsewhere (they know such records exist) and for
 * callers who may see the compound but not do this.
 */
export async function requireCompound(db: Executor, auth: AuthContext, regionId: number, action: CompoundAction) {
  const compound = await loadCompound(db, regionId);
  if (!compound) throw notFound();
  const home = action === 'page' || action === 'rate' ? await homeOf(db, auth) : null;
  const relation = compoundRelation(auth, compound.path, home?.region_path ?? null);
  if (allowed(relation, action)) return { compound, relation, home };
  if (can(auth.permissions, 'compound:read') && !isInScope(auth, compound.path)) throw outOfScope();
  if (action === 'rate' && relation.worker) throw new AppError(403, 'forbidden', 'rating_only_residents');
  if (relation.worker || relation.resident) throw new AppError(403, 'forbidden');
  throw notFound();
}

export interface FollowUpAccessRow { owner_account_id: number; compound_path: string }

/** The owner of a follow-up, while its compound is on the owner's line. */
export const ownsFollowUp = (auth: AuthContext, f: FollowUpAccessRow) => f.owner_account_id === auth.accountId && onLine(auth, f.compound_path);

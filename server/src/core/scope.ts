import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from './auth/context.js';
import type { Executor } from './db.js';
import { fieldError, notFound, outOfScope } from './errors.js';

/**
 * Data scope: an account sees only its region subtree. Queries filter on the
 * materialised path (`path like '/1/4/%'`), so scope is enforced in SQL, not in the UI.
 */
export function scopePrefix(auth: AuthContext | null): string | null {
  return auth?.scope ? auth.scope.path : null;
}

export function isInScope(auth: AuthContext | null, regionPath: string): boolean {
  const prefix = scopePrefix(auth);
  return prefix != null && regionPath.startsWith(prefix);
}

/**
 * True when a path is the root's ('/1/'): the tree has a single root (a unique
 * index enforces it), so every row is under it and the prefix filter can be
 * skipped — a plain count(*) over 620k persons is ~3× faster than a filtered one.
 */
export function isRootPath(path: string): boolean {
  return path.indexOf('/', 1) === path.length - 1;
}

/**
 * The scope filter for a query: `column like 'PATH%'` for the caller's scope, and
 * `false` when the caller has none, so a missing scope reads nothing rather than
 * everything. `column` is a region path such as 'w.region_path'; pass `nullable`
 * when it may be null (a left join), so that null rows stay out under the root too.
 */
export function inScope(auth: AuthContext | null, column: string, opts?: { nullable?: boolean }): Expression<SqlBool> {
  const prefix = scopePrefix(auth);
  return prefix ? underPath(column, prefix, opts) : sql<SqlBool>`false`;
}

/**
 * `column like 'PATH%'` for a region already checked against the caller's scope
 * (a drill-down). Under the root every path matches, so the filter is skipped (see isRootPath).
 */
export function underPath(column: string, path: string, opts?: { nullable?: boolean }): Expression<SqlBool> {
  if (isRootPath(path)) return opts?.nullable ? sql<SqlBool>`${sql.ref(column)} is not null` : sql<SqlBool>`true`;
  return sql<SqlBool>`${sql.ref(column)} like ${`${path}%`}`;
}

/** Loads a region the caller may act on: 404 if missing, 403 if outside scope. */
export async function regionInScope(db: Executor, auth: AuthContext | null, regionId: number) {
  const region = await db.selectFrom('regions').selectAll().where('id', '=', regionId).executeTakeFirst();
  if (!region) throw notFound();
  if (!isInScope(auth, region.path)) throw outOfScope();
  return region;
}

/** Like regionInScope, but for a region named in a request body field (400 when missing). */
export async function regionFieldInScope(db: Executor, auth: AuthContext | null, field: string, regionId: number) {
  const region = await db.selectFrom('regions').selectAll().where('id', '=', regionId).executeTakeFirst();
  if (!region) throw fieldError(field, 'no_such_region');
  if (!isInScope(auth, region.path)) throw outOfScope();
  return region;
}

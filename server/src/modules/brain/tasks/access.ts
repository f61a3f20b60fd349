import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from '../../../core/auth/context.js';
import { can } from '../../../core/auth/roles.js';
import type { Executor } from '../../../core/db.js';
import { inScope, isInScope } from '../../../core/scope.js';
import { gridsOfAccount } from '../../regions/grids-covering.js';

/**
 * Who sees and closes a verification task, decided here for every read and write: the task's
 * region must be in the caller's scope (a community worker: the community; a street worker: the
 * street; the district: all). A grid worker, besides, sees only the tasks of the grids they work,
 * and those no grid covers in their scope (someone must still go).
 */
export interface TaskViewer { auth: AuthContext; grids: number[] | null }

const gridOnly = (auth: AuthContext) => !can(auth.permissions, '*') && auth.roles.includes('grid_worker')
  && !auth.roles.some((r) => r === 'community_worker' || r === 'street_worker');

export async function taskViewer(db: Executor, auth: AuthContext): Promise<TaskViewer> {
  return { auth, grids: gridOnly(auth) ? await gridsOfAccount(db, auth.accountId) : null };
}

/** The visibility filter for a query over brain_verification_tasks as `t`. */
export function visibleTasks(v: TaskViewer): Expression<SqlBool> {
  const scope = inScope(v.auth, 't.region_path');
  if (!v.grids) return scope;
  const grid = v.grids.length ? sql<SqlBool>`(t.grid_id is null or t.grid_id in (${sql.join(v.grids)}))` : sql<SqlBool>`t.grid_id is null`;
  return sql<SqlBool>`(${scope} and ${grid})`;
}

export function canSeeTask(v: TaskViewer, t: { region_path: string; grid_id: number | null }): boolean {
  if (!isInScope(v.auth, t.region_path)) return false;
  return !v.grids || t.grid_id == null || v.grids.includes(t.grid_id);
}

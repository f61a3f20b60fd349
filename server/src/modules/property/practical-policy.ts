import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { AppError, outOfScope } from '../../core/errors.js';
import { inScope, isInScope } from '../../core/scope.js';
import { STATUS_NAMES, type MatterStatus } from './practical-tables.js';

/**
 * Who may manage a practical matter and who may answer its survey, decided here for every
 * console read and write and for the survey. A matter is in a worker's scope when its owning
 * region is, or any compound it serves is (a street's sewage project is also each community's
 * business). Re-drawing what it covers (owning region, compounds, responsible units) is for the
 * owning region's workers only, so that one community cannot re-draw a street's matter.
 * The survey is for households living in a compound the matter serves, and only then.
 */

export interface MatterAccessRow { status: MatterStatus; region_path: string; compound_paths: string[] }

/** The console's filter: the matter's owning region, or one of its compounds, lies in the caller's scope (`m` is practical_matters). */
export function mattersInScope(auth: AuthContext | null): Expression<SqlBool> {
  if (!auth?.scope) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${inScope(auth, 'm.region_path')} or exists (select 1 from practical_matter_compounds pc where pc.matter_id = m.id and ${inScope(auth, 'pc.compound_path')}))`;
}

export function matterRelation(auth: AuthContext | null, m: MatterAccessRow) {
  const manager = !!auth && can(auth.permissions, 'practical:manage');
  const owner = manager && isInScope(auth, m.region_path);
  return { owner, inScope: owner || (manager && m.compound_paths.some((p) => isInScope(auth, p))) };
}

/** What the caller may do with the matter now; the console page carries it so that no client recomputes the rules. */
export function matterAbilities(auth: AuthContext | null, m: MatterAccessRow) {
  const x = matterRelation(auth, m);
  const open = m.status === 'planned' || m.status === 'in_progress';
  return {
    manage: x.inScope,
    edit: x.inScope && m.status !== 'closed',
    // Once accepted the compounds are the survey's electorate: they no longer change.
    editCoverage: x.owner && open,
    addMilestone: x.inScope && open,
    completeMilestone: x.inScope && open,
    addPhotos: x.inScope && m.status !== 'closed',
    spend: x.inScope && m.status !== 'closed',
    start: x.inScope && m.status === 'planned',
    accept: x.inScope && m.status === 'in_progress',
    close: x.inScope && m.status === 'accepted',
  };
}
export type MatterAbilities = ReturnType<typeof matterAbilities>;

/** Throws unless the caller may take the action now: 403 outside the scope (or not the owner, for coverage), 409 in the wrong state. */
export function requireMatterAbility(auth: AuthContext | null, m: MatterAccessRow, action: keyof MatterAbilities) {
  const a = matterAbilities(auth, m);
  if (a[action]) return a;
  const x = matterRelation(auth, m);
  if (!x.inScope || (action === 'editCoverage' && !x.owner)) throw outOfScope();
  throw new AppError(409, 'practical_state', 'practical_state', { status: STATUS_NAMES[m.status] });
}

/** The survey is open from acceptance to closing. */
export const surveyOpen = (status: MatterStatus) => status === 'accepted';

/**
 * Why the caller may not answer the survey (null: they may). `household` is the caller's own
 * household (through the account's person record): it must lie in the caller's scope and under a
 * compound the matter serves — 403 otherwise, before the state is even looked at.
 */
export function surveyRefusal(auth: AuthContext, m: MatterAccessRow, household: { region_path: string } | null): AppError | null {
  const lives = !!household && isInScope(auth, household.region_path) && m.compound_paths.some((p) => household.region_path.startsWith(p));
  if (!lives) return new AppError(403, 'forbidden', 'survey_households_only');
  if (!surveyOpen(m.status)) return new AppError(409, 'survey_closed', 'survey_closed');
  return null;
}

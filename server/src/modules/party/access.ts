import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Executor } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import { isInScope, scopePrefix } from '../../core/scope.js';
import { PARTY_ORG_KINDS } from './tables.js';

/**
 * Who may see and change the party register — decided here for every read and write of this module.
 * A member is in an account's scope through their organisation's region or, by 双报到, through the
 * community they report to: a community's list shows both. Changing a member's record (transfer out,
 * recording a report) belongs to the side of the member's own organisation; a transfer is decided by
 * the side of the receiving organisation.
 */

/** The member query with the two region paths the scope is decided on: `ro` the organisation's, `rc` the reported community's. */
export function membersFrom(db: Executor) {
  return db.selectFrom('party_members as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .innerJoin('regions as ro', 'ro.id', 'o.region_id')
    .leftJoin('regions as rc', 'rc.id', 'm.report_community_id');
}

/** SQL for "the member is in the caller's scope" on a membersFrom query; false without a scope. */
export function memberInScope(auth: AuthContext): Expression<SqlBool> {
  const s = scopePrefix(auth);
  if (!s) return sql<SqlBool>`false`;
  const like = `${s}%`;
  return sql<SqlBool>`(ro.path like ${like} or rc.path like ${like})`;
}

export interface MemberPaths { orgPath: string; reportPath: string | null }

export const canReadMember = (auth: AuthContext, m: MemberPaths) => isInScope(auth, m.orgPath) || (m.reportPath != null && isInScope(auth, m.reportPath));
/** Only the organisation's side changes a member's record: a community the member reports to reads it. */
export const canChangeMember = (auth: AuthContext, m: MemberPaths) => isInScope(auth, m.orgPath);

/** 404 when there is no such member, 403 when it is outside what the caller may do with it. */
export function checkMember<T extends MemberPaths>(auth: AuthContext, m: T | undefined, action: 'read' | 'change'): T {
  if (!m) throw notFound();
  if (!(action === 'read' ? canReadMember(auth, m) : canChangeMember(auth, m))) throw outOfScope();
  return m;
}

export interface PartyOrg { id: number; name: string; kind: string; path: string; regionPath: string }

/** A party organisation named in a request field: 400 when it is missing or not a party organisation. */
export async function partyOrgField(db: Executor, field: string, id: number): Promise<PartyOrg> {
  const o = await db.selectFrom('organisations as o').innerJoin('regions as r', 'r.id', 'o.region_id')
    .select(['o.id', 'o.name', 'o.kind', 'o.path', 'r.path as regionPath']).where('o.id', '=', id).executeTakeFirst();
  if (!o) throw fieldError(field, 'no_such_org');
  if (!(PARTY_ORG_KINDS as readonly string[]).includes(o.kind)) throw fieldError(field, 'not_party_org');
  return o;
}

/** The organisation a member is registered into, or a list is filtered on: a party organisation in the caller's scope. */
export async function partyOrgInScope(db: Executor, auth: AuthContext, field: string, id: number): Promise<PartyOrg> {
  const o = await partyOrgField(db, field, id);
  if (!isInScope(auth, o.regionPath)) throw outOfScope();
  return o;
}

/** A transfer is decided by the receiving organisation's side: an account whose scope holds its region. */
export const canDecideTransfer = (auth: AuthContext, t: { toRegionPath: string }) => isInScope(auth, t.toRegionPath);
/** Both sides of a transfer see it, the sending organisation's and the receiving one's (SQL for a query over t, fr, tr). */
export function transferInScope(auth: AuthContext): Expression<SqlBool> {
  const s = scopePrefix(auth);
  if (!s) return sql<SqlBool>`false`;
  const like = `${s}%`;
  return sql<SqlBool>`(fr.path like ${like} or tr.path like ${like})`;
}

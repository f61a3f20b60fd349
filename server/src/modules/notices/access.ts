import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import type { Executor } from '../../core/db.js';
import { notFound, outOfScope } from '../../core/errors.js';
import { isInScope } from '../../core/scope.js';

/**
 * Who may see and change a notice — decided here for every read and write of this module.
 * The publishing side: notice:manage with the notice's region inside the account's scope (publish,
 * edit, withdraw, read rates). The audience: accounts whose person's home lies under the notice's
 * region, while the notice is live (published, not expired, not withdrawn).
 */

/** The notice query with its region (`r`). */
export function noticesFrom(db: Executor) {
  return db.selectFrom('notices as n').innerJoin('regions as r', 'r.id', 'n.region_id');
}

/** SQL: the notice is live — published, not withdrawn, not expired. */
export const liveSql = sql<SqlBool>`(n.withdrawn_at is null and n.published_at <= now() and (n.expires_at is null or n.expires_at > now()))`;

/** SQL: a live notice whose region holds the home path `home`; false without a home. */
export function inFeed(home: string | null): Expression<SqlBool> {
  if (!home) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${home} like n.region_path || '%' and ${liveSql})`;
}

export const canManageNotice = (auth: AuthContext, n: { region_path: string }) => can(auth.permissions, 'notice:manage') && isInScope(auth, n.region_path);

/** The region path of the caller's home (their person's), or null when the account has no person. */
export async function homePath(db: Executor, auth: AuthContext): Promise<string | null> {
  if (auth.personId == null) return null;
  const p = await db.selectFrom('persons').select('region_path').where('id', '=', auth.personId).executeTakeFirst();
  return p?.region_path ?? null;
}

export type NoticeSide = 'manage' | 'audience';

/**
 * A notice the caller may act on, and as which side. `manage`: only the publishing side. `read`: the
 * publishing side, or the audience while it is live. A worker is told 403 for a notice outside scope;
 * anyone else 404, so that a resident learns nothing of notices that are not theirs.
 */
export async function noticeFor(db: Executor, auth: AuthContext, id: number, action: 'read' | 'manage') {
  const n = await db.selectFrom('notices as n').select(['n.id', 'n.region_path', sql<boolean>`${liveSql}`.as('live')]).where('n.id', '=', id).executeTakeFirst();
  if (!n) throw notFound();
  if (canManageNotice(auth, n)) return { id: n.id, side: 'manage' as NoticeSide };
  if (action === 'read' && n.live) {
    const home = await homePath(db, auth);
    if (home?.startsWith(n.region_path)) return { id: n.id, side: 'audience' as NoticeSide };
  }
  if (can(auth.permissions, 'notice:manage')) throw outOfScope();
  throw notFound();
}

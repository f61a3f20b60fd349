import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db.js';
import type { AuthContext } from './context.js';

/** Session tokens are stored hashed: a leaked table opens no session. */
export const tokenHash = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Resolves a bearer or cookie token to the account, roles, permissions and scope
 * in one round trip (it runs on every request); null when absent, expired or disabled.
 */
export async function resolveSession(db: Db, token: string, via: 'cookie' | 'bearer'): Promise<(AuthContext & { csrfToken: string }) | null> {
  const row = await db.selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .leftJoin('regions as r', 'r.id', 'a.scope_region_id')
    .select(['s.id as sessionId', 's.csrf_token', 'a.id', 'a.username', 'a.display_name', 'a.person_id',
      'a.organisation_id', 'a.scope_region_id', 'r.path as scope_path'])
    .select([
      sql<string[] | null>`(select array_agg(ar.role_code order by ro.sort) from account_roles ar join roles ro on ro.code = ar.role_code where ar.account_id = a.id)`.as('roles'),
      sql<string[] | null>`(select array_agg(distinct p) from account_roles ar join roles ro on ro.code = ar.role_code cross join unnest(ro.permissions) as p where ar.account_id = a.id)`.as('permissions'),
    ])
    .where('s.token_hash', '=', tokenHash(token))
    .where('s.expires_at', '>', new Date())
    .where('a.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  return {
    accountId: row.id,
    username: row.username,
    displayName: row.display_name,
    personId: row.person_id,
    organisationId: row.organisation_id,
    roles: row.roles ?? [],
    permissions: new Set(row.permissions ?? []),
    scope: row.scope_region_id && row.scope_path ? { regionId: row.scope_region_id, path: row.scope_path } : null,
    sessionId: row.sessionId,
    via,
    csrfToken: row.csrf_token,
  };
}

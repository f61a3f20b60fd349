import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db.js';
import { appendAudit, type Actor } from '../audit.js';
import { AppError } from '../errors.js';
import { verifyPassword } from './passwords.js';
import type { AuthContext } from './context.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface LoginResult { token: string; csrfToken: string; expiresAt: Date; accountId: number }

/**
 * Checks the password and opens a session. Five failures in a row lock the
 * account for 15 minutes; the counter is updated in one conditional statement
 * so parallel guesses cannot slip past the limit.
 */
export async function login(db: Db, actor: Actor, usernameOrPhone: string, password: string, ttlHours: number, userAgent?: string): Promise<LoginResult> {
  const account = await db.selectFrom('accounts').selectAll()
    .where((eb) => eb.or([eb('username', '=', usernameOrPhone), eb('phone', '=', usernameOrPhone)]))
    .executeTakeFirst();
  if (!account) {
    // Same work as a real check so timing does not reveal which usernames exist.
    await verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    throw new AppError(401, 'bad_credentials');
  }
  const now = new Date();
  if (account.locked_until && new Date(account.locked_until) > now) {
    const minutes = Math.ceil((new Date(account.locked_until).getTime() - now.getTime()) / 60000);
    throw new AppError(423, 'account_locked', 'account_locked', { minutes });
  }
  if (!account.active) throw new AppError(403, 'account_disabled');

  if (!(await verifyPassword(password, account.password_hash))) {
    const row = await db.transaction().execute(async (tx) => {
      const r = await tx.updateTable('accounts')
        .set({
          // a lock that has run out starts a fresh count
          failed_logins: sql`case when locked_until is not null and locked_until <= now() then 1 else failed_logins + 1 end`,
          locked_until: sql`case when (case when locked_until is not null and locked_until <= now() then 1 else failed_logins + 1 end) >= ${MAX_FAILED_LOGINS}
                            then now() + make_interval(mins => ${LOCK_MINUTES}) else null end`,
        })
        .where('id', '=', account.id)
        .returning(['failed_logins', 'locked_until'])
        .executeTakeFirstOrThrow();
      await appendAudit(tx, { ...actor, id: account.id, name: account.username }, {
        action: 'auth.login_failed', targetType: 'account', targetId: account.id,
        summary: { failedLogins: r.failed_logins, locked: r.locked_until != null },
      });
      return r;
    });
    if (row.locked_until) throw new AppError(423, 'account_locked', 'account_locked', { minutes: LOCK_MINUTES });
    throw new AppError(401, 'bad_credentials');
  }

  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', account.id).execute();
    await tx.insertInto('sessions').values({
      token_hash: sha256(token), csrf_token: csrfToken, account_id: account.id, expires_at: expiresAt,
      ip: actor.ip, user_agent: userAgent?.slice(0, 300) ?? null,
    }).execute();
    const roles = await tx.selectFrom('account_roles').select('role_code').where('account_id', '=', account.id).execute();
    await appendAudit(tx, { ...actor, id: account.id, name: account.username, role: roles[0]?.role_code ?? null }, { action: 'auth.login', targetType: 'account', targetId: account.id });
  });
  return { token, csrfToken, expiresAt, accountId: account.id };
}

export async function logout(db: Db, actor: Actor, sessionId: number) {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await appendAudit(tx, actor, { action: 'auth.logout', targetType: 'session', targetId: sessionId });
  });
}

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
    .where('s.token_hash', '=', sha256(token))
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

export async function purgeExpiredSessions(db: Db) {
  await db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
}

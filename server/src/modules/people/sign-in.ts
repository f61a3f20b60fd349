/** Signing in and out, and the password check before a change: the people module owns accounts and sessions. */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { verifyPassword } from '../../core/auth/passwords.js';
import { tokenHash } from '../../core/auth/resolve-session.js';
import { atLimit, clearAttempts, clientNetwork, purgeThrottle, takeAttempt, type Attempt } from '../../core/auth/throttle.js';

/** Wrong passwords per account from one address (network) before that address is locked out of it. */
export const MAX_FAILED_LOGINS = 5;
/** Wrong passwords from one address over all names: a spray over many accounts stops here. */
export const MAX_FAILED_PER_ADDRESS = 30;
/** Wrong passwords for one account over all addresses: bounds a guesser who holds many addresses. */
export const MAX_FAILED_PER_ACCOUNT = 50;
export const LOCK_MINUTES = 15;

const addressKey = (ip: string | null) => `ip:${clientNetwork(ip)}`;

export interface LoginResult { token: string; csrfToken: string; expiresAt: Date; accountId: number }

function refusal(a: Extract<Attempt, { ok: false }>): AppError {
  return a.key.startsWith('ip:')
    ? new AppError(429, 'too_many_attempts', 'too_many_attempts', { minutes: a.minutes })
    : new AppError(423, 'account_locked', 'account_locked', { minutes: a.minutes });
}

/**
 * Checks the password and opens a session. The attempt is counted before the
 * password is checked, in one conditional statement over three keys (account from
 * this address, this address, the account from anywhere), and refused at any key's
 * limit: parallel guesses cannot pass it, and a stranger's failures lock the account
 * only for the stranger's address. A success clears the account's counts.
 */
export async function login(db: Db, actor: Actor, usernameOrPhone: string, password: string, ttlHours: number, userAgent?: string): Promise<LoginResult> {
  return openSession(db, actor, await checkPassword(db, actor, usernameOrPhone, password), ttlHours, userAgent, 'password');
}

/** The account whose password this is (see login), before any session is opened: a second factor may follow. */
export async function checkPassword(db: Db, actor: Actor, usernameOrPhone: string, password: string): Promise<{ id: number; username: string }> {
  const account = await db.selectFrom('accounts').selectAll()
    .where((eb) => eb.or([eb('username', '=', usernameOrPhone), eb('phone', '=', usernameOrPhone)]))
    .executeTakeFirst();
  const net = clientNetwork(actor.ip);
  // An unknown name is counted like a real one, so a lock does not tell which names exist.
  const pair = account ? `login:${account.id}@${net}` : `login:?${usernameOrPhone.toLowerCase()}@${net}`;
  const whole = account ? `login:${account.id}` : null;
  const attempt = await takeAttempt(db, [
    { key: pair, limit: MAX_FAILED_LOGINS, minutes: LOCK_MINUTES, accountId: account?.id },
    { key: addressKey(actor.ip), limit: MAX_FAILED_PER_ADDRESS, minutes: LOCK_MINUTES },
    ...(whole ? [{ key: whole, limit: MAX_FAILED_PER_ACCOUNT, minutes: LOCK_MINUTES, accountId: account!.id }] : []),
  ]);
  if (!attempt.ok) throw refusal(attempt);
  const pairCount = attempt.counts.get(pair)!;
  const lockedNow = [pair, whole].map((k) => (k ? attempt.counts.get(k) : undefined)).find(atLimit);

  if (!account) {
    // Same work as a real check so timing does not reveal which usernames exist.
    await verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    if (atLimit(pairCount)) throw new AppError(423, 'account_locked', 'account_locked', { minutes: pairCount.minutes });
    throw new AppError(401, 'bad_credentials');
  }
  if (!account.active) throw new AppError(403, 'account_disabled');

  if (!(await verifyPassword(password, account.password_hash))) {
    await db.transaction().execute(async (tx) => {
      // failed_logins / locked_until mirror the counters for the console's "locked" flag.
      const r = await tx.updateTable('accounts')
        .set({
          failed_logins: sql`failed_logins + 1`,
          ...(lockedNow && { locked_until: sql`greatest(coalesce(locked_until, now()), now() + make_interval(mins => ${lockedNow.minutes}::integer))` }),
        })
        .where('id', '=', account.id)
        .returning(['failed_logins'])
        .executeTakeFirstOrThrow();
      await appendAudit(tx, { ...actor, id: account.id, name: account.username }, {
        action: 'auth.login_failed', targetType: 'account', targetId: account.id,
        summary: { failedLogins: r.failed_logins, locked: !!lockedNow },
      });
    });
    if (lockedNow) throw new AppError(423, 'account_locked', 'account_locked', { minutes: lockedNow.minutes });
    throw new AppError(401, 'bad_credentials');
  }

  await clearAttempts(db, [pair, whole!], [addressKey(actor.ip)]);
  return account;
}

/** A new session for an account whose secret (password or SMS code) was just checked; audited as auth.login. */
export async function openSession(db: Db, actor: Actor, account: { id: number; username: string }, ttlHours: number, userAgent: string | undefined, method: 'password' | 'sms' | 'password+sms' | 'wechat'): Promise<LoginResult> {
  const now = new Date();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', account.id).execute();
    await tx.insertInto('sessions').values({
      token_hash: tokenHash(token), csrf_token: csrfToken, account_id: account.id, expires_at: expiresAt,
      ip: actor.ip, user_agent: userAgent?.slice(0, 300) ?? null,
    }).execute();
    const roles = await tx.selectFrom('account_roles').select('role_code').where('account_id', '=', account.id).execute();
    await appendAudit(tx, { ...actor, id: account.id, name: account.username, role: roles[0]?.role_code ?? null }, {
      action: 'auth.login', targetType: 'account', targetId: account.id, ...(method !== 'password' && { summary: { method } }),
    });
  });
  return { token, csrfToken, expiresAt, accountId: account.id };
}

export async function logout(db: Db, actor: Actor, sessionId: number) {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await appendAudit(tx, actor, { action: 'auth.logout', targetType: 'session', targetId: sessionId });
  });
}

export async function purgeExpiredSessions(db: Db) {
  await db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
  await db.deleteFrom('sms_codes').where('expires_at', '<', new Date(Date.now() - 86400_000)).execute();
  await db.deleteFrom('sign_in_challenges').where('expires_at', '<', new Date(Date.now() - 86400_000)).execute();
  await purgeThrottle(db);
}

/**
 * The current-password check before a password change, under the same limit as
 * sign-in (per account and per address, counted before the check); false when wrong.
 */
export async function checkOwnPassword(db: Db, accountId: number, ip: string | null, password: string): Promise<boolean> {
  const own = `password:${accountId}`;
  const attempt = await takeAttempt(db, [
    { key: own, limit: MAX_FAILED_LOGINS, minutes: LOCK_MINUTES, accountId },
    { key: addressKey(ip), limit: MAX_FAILED_PER_ADDRESS, minutes: LOCK_MINUTES },
  ]);
  if (!attempt.ok) throw new AppError(429, 'too_many_attempts', 'too_many_attempts', { minutes: attempt.minutes });
  const account = await db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(password, account.password_hash))) return false;
  await clearAttempts(db, [own], [addressKey(ip)]);
  return true;
}

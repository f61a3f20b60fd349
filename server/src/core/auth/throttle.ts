import { isIPv6 } from 'node:net';
import { sql } from 'kysely';
import type { Db, Executor } from '../db.js';

/**
 * Attempt counters in the database (table auth_throttle), so that every instance sees
 * the same count. An attempt is counted before the secret is checked: the check runs
 * only if every key was still under its limit, decided by one conditional upsert, so
 * parallel requests cannot slip past the limit. A success then clears or gives back
 * the attempt (clearAttempts).
 */

export interface ThrottleKey {
  key: string;
  /** Attempts allowed per window; the one that reaches it is still checked, the next is refused. */
  limit: number;
  /** Length of the window, counted from the first attempt in it. */
  minutes: number;
  /** Set for keys about one account (lets an unlock clear them). */
  accountId?: number | null;
}

export interface KeyCount { attempts: number; limit: number; minutes: number }
export type Attempt =
  | { ok: true; counts: Map<string, KeyCount> }
  | { ok: false; key: string; minutes: number };

class Refused extends Error {
  constructor(readonly key: string, readonly minutes: number) { super('throttled'); }
}

/** Whole minutes left until an expiry (at least one). */
const minutesLeft = (expiresAt: Date | string) => Math.max(1, Math.ceil((new Date(expiresAt).getTime() - Date.now()) / 60_000));

/**
 * Counts one attempt against all the keys, or against none of them if any is at its
 * limit (the transaction is rolled back). The refusing key is the first in the
 * caller's order; rows are locked in key order so that callers never deadlock.
 */
export async function takeAttempt(db: Db, keys: ThrottleKey[]): Promise<Attempt> {
  const sorted = [...new Map(keys.map((k) => [k.key, k])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (Math.random() < 0.01) await purgeThrottle(db);
  try {
    return await db.transaction().execute(async (tx) => {
      const values = sql.join(sorted.map((k) =>
        sql`(${k.key}, ${k.accountId ?? null}::integer, 1, ${k.limit}::integer, now() + make_interval(mins => ${k.minutes}::integer))`));
      const { rows } = await sql<{ key: string; attempts: number; max_attempts: number; expires_at: Date }>`
        insert into auth_throttle as t (key, account_id, attempts, max_attempts, expires_at) values ${values}
        on conflict (key) do update set
          attempts = case when t.expires_at <= now() then 1 else t.attempts + 1 end,
          expires_at = case when t.expires_at <= now() then excluded.expires_at else t.expires_at end,
          max_attempts = excluded.max_attempts
        where t.expires_at <= now() or t.attempts < excluded.max_attempts
        returning t.key, t.attempts, t.max_attempts, t.expires_at`.execute(tx);
      const got = new Map(rows.map((r) => [r.key, r]));
      const refused = keys.find((k) => !got.has(k.key));
      if (refused) {
        const row = await tx.selectFrom('auth_throttle').select('expires_at').where('key', '=', refused.key).executeTakeFirst();
        throw new Refused(refused.key, row ? minutesLeft(row.expires_at) : refused.minutes);
      }
      return {
        ok: true as const,
        counts: new Map(rows.map((r) => [r.key, { attempts: Number(r.attempts), limit: Number(r.max_attempts), minutes: minutesLeft(r.expires_at) }])),
      };
    });
  } catch (err) {
    if (err instanceof Refused) return { ok: false, key: err.key, minutes: err.minutes };
    throw err;
  }
}

/**
 * After a success: forget the failures on `clear`, and give back this attempt on
 * `release` (shared keys such as an address). Rows are touched in key order, as
 * takeAttempt locks them, so the two never wait on each other in a cycle.
 */
export async function clearAttempts(db: Executor, clear: string[], release: string[] = []) {
  const ops = [...clear.map((key) => ({ key, release: false })), ...release.map((key) => ({ key, release: true }))]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const op of ops) {
    if (op.release) await db.updateTable('auth_throttle').set({ attempts: sql`greatest(attempts - 1, 0)` }).where('key', '=', op.key).execute();
    else await db.deleteFrom('auth_throttle').where('key', '=', op.key).execute();
  }
}

/** An administrator's unlock or password reset: every counter about this account. */
export async function clearAccountThrottle(db: Executor, accountId: number) {
  await db.deleteFrom('auth_throttle').where('account_id', '=', accountId).execute();
}

/** Did this attempt use the last one its key allows (so the next is refused)? */
export const atLimit = (c: KeyCount | undefined) => !!c && c.attempts >= c.limit;

export async function purgeThrottle(db: Executor) {
  await db.deleteFrom('auth_throttle').where('expires_at', '<=', new Date()).execute();
}

/**
 * The unit one client is counted by: an IPv4 address, or the /64 of an IPv6 address
 * (one subscriber holds a whole /64, so single v6 addresses are free to rotate).
 */
export function clientNetwork(ip: string | null): string {
  if (!ip) return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [], t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

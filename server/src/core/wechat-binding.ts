import { randomInt } from 'node:crypto';
import type { Executor } from './db.js';

/**
 * Binding a WeChat OpenID to an account, a channel that notifications use (core/notify.ts):
 * the account asks for a six-digit code on the H5 and sends it to the Official Account.
 */
export async function issueBindCode(db: Executor, accountId: number, ttlMinutes = 10) {
  const code = String(randomInt(100000, 1000000));
  const expiresAt = new Date(Date.now() + ttlMinutes * 60_000);
  await db.deleteFrom('wechat_bind_codes').where((eb) => eb.or([eb('account_id', '=', accountId), eb('expires_at', '<', new Date())])).execute();
  await db.insertInto('wechat_bind_codes').values({ code, account_id: accountId, expires_at: expiresAt })
    .onConflict((oc) => oc.column('code').doUpdateSet({ account_id: accountId, expires_at: expiresAt })).execute();
  return { code, expiresAt };
}

/** Redeems a code for an OpenID; taking the code is the check, so of two messages with one code, one binds. */
export async function redeemBindCode(tx: Executor, openid: string, code: string): Promise<number | null> {
  const row = await tx.deleteFrom('wechat_bind_codes').where('code', '=', code).where('expires_at', '>', new Date()).returningAll().executeTakeFirst();
  if (!row) return null;
  await tx.insertInto('wechat_bindings').values({ openid, account_id: row.account_id })
    .onConflict((oc) => oc.column('openid').doUpdateSet({ account_id: row.account_id })).execute();
  return row.account_id;
}

/** Binds an OpenID to an account (WeChat sign-in's first visit); an OpenID bound before moves to this account. */
export async function bindOpenid(tx: Executor, openid: string, accountId: number) {
  await tx.insertInto('wechat_bindings').values({ openid, account_id: accountId })
    .onConflict((oc) => oc.column('openid').doUpdateSet({ account_id: accountId })).execute();
}

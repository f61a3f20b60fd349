/**
 * SMS as a second factor for district and street accounts, when the district's sign-in policy
 * asks for it: a right password then opens no session but a challenge, and a code goes to the
 * account's phone; the challenge and the code together sign in. The challenge token and the code
 * are stored only as MACs; a challenge is good for 5 minutes, once, and for 5 tries.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { sharedSecret } from '../../core/auth/secrets.js';
import { clientNetwork, takeAttempt } from '../../core/auth/throttle.js';
import { queueSms } from '../../core/notify.js';
import { maskPhone } from '../../core/identity.js';
import { codeMac, LOGINS_PER_ADDRESS_HOUR, newCode, SEND_GAP_MINUTES, SENDS_PER_DAY, SMS_CODE_MINUTES, SMS_CODE_TRIES, tooSoon } from './sms-sign-in.js';

/** The roles whose accounts are "district and street accounts" for the policy. */
export const SECOND_FACTOR_ROLES = ['district_admin', 'data_admin', 'street_worker'];

export interface Challenge { challenge: string; method: 'sms'; phone: string; expiresAt: Date; code: string }

export async function signInPolicy(db: Db) {
  const row = await db.selectFrom('sign_in_policy').select(['staff_sms', 'updated_at']).executeTakeFirst();
  return { staffSms: row?.staff_sms ?? false, updatedAt: row?.updated_at ?? null, roles: SECOND_FACTOR_ROLES };
}

export async function setSignInPolicy(db: Db, actor: Actor, staffSms: boolean) {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('sign_in_policy').values({ id: true, staff_sms: staffSms, updated_at: new Date(), updated_by: actor.id })
      .onConflict((oc) => oc.column('id').doUpdateSet({ staff_sms: staffSms, updated_at: new Date(), updated_by: actor.id })).execute();
    await appendAudit(tx, actor, { action: 'auth.policy', targetType: 'sign_in_policy', targetId: null, summary: { staffSms } });
  });
  return signInPolicy(db);
}

const tokenMac = (secret: string, token: string) => createHmac('sha256', secret).update(`challenge:${token}`).digest('base64url');

/**
 * After a right password: null when the account signs in straight away, else a challenge with
 * its code queued to the account's phone. A district or street account without a phone is told
 * so (it cannot sign in until an administrator records one).
 */
export async function secondFactorChallenge(db: Db, account: { id: number }): Promise<Challenge | null> {
  const policy = await signInPolicy(db);
  if (!policy.staffSms) return null;
  const roles = await db.selectFrom('account_roles').select('role_code').where('account_id', '=', account.id).execute();
  if (!roles.some((r) => SECOND_FACTOR_ROLES.includes(r.role_code))) return null;
  const { phone } = await db.selectFrom('accounts').select('phone').where('id', '=', account.id).executeTakeFirstOrThrow();
  if (!phone) throw new AppError(403, 'second_factor_no_phone');
  const attempt = await takeAttempt(db, [
    { key: `sms:${phone}`, limit: 1, minutes: SEND_GAP_MINUTES },
    { key: `smsday:${phone}`, limit: SENDS_PER_DAY, minutes: 24 * 60 },
  ]);
  if (!attempt.ok) throw tooSoon(attempt);
  const secret = await sharedSecret(db, 'sms_code_mac');
  const token = randomBytes(32).toString('base64url');
  const code = newCode();
  const expiresAt = new Date(Date.now() + SMS_CODE_MINUTES * 60_000);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('sign_in_challenges').values({ token_mac: tokenMac(secret, token), account_id: account.id, code_mac: codeMac(secret, phone, code), expires_at: expiresAt }).execute();
    await queueSms(tx, phone, {
      kind: 'second_factor', title: '登录验证码',
      body: `【红色社区】您正在登录管理后台，验证码为 ${code}，${SMS_CODE_MINUTES} 分钟内有效。如非本人操作，请立即修改密码。`, params: { code },
    });
  });
  return { challenge: token, method: 'sms', phone: maskPhone(phone) ?? '', expiresAt, code };
}

/**
 * The account of a challenge answered with its code: the try is counted before the code is
 * compared, and the challenge is used by a conditional update, so it signs in once. Every failure answers the same.
 */
export async function completeChallenge(db: Db, actor: Actor, token: string, code: string): Promise<{ id: number; username: string }> {
  const attempt = await takeAttempt(db, [{ key: `smslogin:${clientNetwork(actor.ip)}`, limit: LOGINS_PER_ADDRESS_HOUR, minutes: 60 }]);
  if (!attempt.ok) throw tooSoon(attempt);
  const wrong = new AppError(401, 'sms_code_invalid');
  const secret = await sharedSecret(db, 'sms_code_mac');
  const tried = await db.updateTable('sign_in_challenges').set({ tries: sql`tries + 1` })
    .where('token_mac', '=', tokenMac(secret, token)).where('used_at', 'is', null).where('expires_at', '>', new Date()).where('tries', '<', SMS_CODE_TRIES)
    .returning(['id', 'account_id', 'code_mac']).executeTakeFirst();
  if (!tried) throw wrong;
  const account = await db.selectFrom('accounts').select(['id', 'username', 'phone', 'active']).where('id', '=', tried.account_id).executeTakeFirstOrThrow();
  if (!account.phone || !timingSafeEqual(Buffer.from(codeMac(secret, account.phone, code)), Buffer.from(tried.code_mac))) throw wrong;
  if (!account.active) throw new AppError(403, 'account_disabled');
  const used = await db.updateTable('sign_in_challenges').set({ used_at: new Date() }).where('id', '=', tried.id).where('used_at', 'is', null).returning('id').executeTakeFirst();
  if (!used) throw wrong;
  return account;
}

/**
 * Phone + SMS code sign-in for residents and volunteers. Staff keep their passwords: a code is
 * sent only to an active account whose every role is a resident's kind. Whoever asks gets the
 * same answer whether or not the phone has such an account (no account enumeration); the
 * limits are counted before anything is sent, in the shared throttle table, so parallel
 * requests and several instances cannot pass them.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import type { Actor } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import { sharedSecret } from '../../core/auth/secrets.js';
import { queueSms } from '../../core/notify.js';
import { clientNetwork, takeAttempt } from '../../core/auth/throttle.js';
import { openSession, type LoginResult } from './sign-in.js';

export const SMS_CODE_MINUTES = 5;
export const SMS_CODE_TRIES = 5;
/** Sends per phone: one a minute, ten a day. */
export const SEND_GAP_MINUTES = 1;
export const SENDS_PER_DAY = 10;
/** Sends and sign-in attempts per address (network) an hour: a household or an office shares one. */
const SENDS_PER_ADDRESS_HOUR = 30;
export const LOGINS_PER_ADDRESS_HOUR = 60;

/** Roles that sign in by phone; any other role on the account means staff, who use a password. */
const SMS_ROLES = new Set(['resident', 'volunteer', 'party_member', 'owners_committee']);

/** "+86 138-0013-8000" → "13800138000"; null when it is not a mainland mobile. */
export function normalisePhone(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** A six-digit code. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export const codeMac = (secret: string, phone: string, code: string) => createHmac('sha256', secret).update(`${phone}:${code}`).digest('base64url');

export function tooSoon(a: { key: string; minutes: number }): AppError {
  if (a.key.startsWith('smsday:')) return new AppError(429, 'sms_daily_limit', 'sms_daily_limit', { minutes: a.minutes });
  if (a.key.startsWith('sms:')) return new AppError(429, 'sms_too_soon', 'sms_too_soon', { minutes: a.minutes });
  return new AppError(429, 'too_many_attempts', 'too_many_attempts', { minutes: a.minutes });
}

/** The account a phone signs in to by code, or null (unknown, disabled, or staff). */
async function smsAccount(db: Db, phone: string) {
  const account = await db.selectFrom('accounts').select(['id', 'username', 'active']).where('phone', '=', phone).executeTakeFirst();
  if (!account?.active) return null;
  const roles = await db.selectFrom('account_roles').select('role_code').where('account_id', '=', account.id).execute();
  return roles.length > 0 && roles.every((r) => SMS_ROLES.has(r.role_code)) ? account : null;
}

/**
 * Makes a code for the phone and, when the phone belongs to an account that signs in by code,
 * queues the SMS on the outbox. The answer is the same either way; `devCode` is for
 * development only (the caller leaves it out in production).
 */
export async function sendLoginCode(db: Db, actor: Actor, rawPhone: string): Promise<{ expiresAt: Date; resendAfter: number; code: string }> {
  const phone = normalisePhone(rawPhone);
  if (!phone) throw fieldError('phone', 'invalid_phone');
  const attempt = await takeAttempt(db, [
    { key: `sms:${phone}`, limit: 1, minutes: SEND_GAP_MINUTES },
    { key: `smsday:${phone}`, limit: SENDS_PER_DAY, minutes: 24 * 60 },
    { key: `smsip:${clientNetwork(actor.ip)}`, limit: SENDS_PER_ADDRESS_HOUR, minutes: 60 },
  ]);
  if (!attempt.ok) throw tooSoon(attempt);
  const code = newCode();
  const secret = await sharedSecret(db, 'sms_code_mac');
  const expiresAt = new Date(Date.now() + SMS_CODE_MINUTES * 60_000);
  const account = await smsAccount(db, phone);
  await db.transaction().execute(async (tx) => {
    // A new code replaces the phone's earlier ones.
    await tx.updateTable('sms_codes').set({ used_at: new Date() }).where('phone', '=', phone).where('used_at', 'is', null).execute();
    await tx.insertInto('sms_codes').values({ phone, code_mac: codeMac(secret, phone, code), expires_at: expiresAt }).execute();
    if (account) {
      await queueSms(tx, phone, { kind: 'login_code', title: '登录验证码', body: `【红色社区】您的登录验证码为 ${code}，${SMS_CODE_MINUTES} 分钟内有效。如非本人操作，请忽略。`, params: { code } });
    }
  });
  return { expiresAt, resendAfter: SEND_GAP_MINUTES * 60, code };
}

/**
 * Signs in with the phone's latest code: counted before it is compared (at most SMS_CODE_TRIES
 * per code, by a conditional update), used once (a second conditional update, so two requests
 * with the same code cannot both open a session). Every failure answers the same.
 */
export async function loginWithCode(db: Db, actor: Actor, rawPhone: string, code: string, ttlHours: number, userAgent?: string): Promise<LoginResult> {
  const account = await useLoginCode(db, actor, rawPhone, code);
  return openSession(db, actor, account, ttlHours, userAgent, 'sms');
}

/** The account whose phone the code was sent to, with the code now used (WeChat binding proves the phone this way too). */
export async function useLoginCode(db: Db, actor: Actor, rawPhone: string, code: string): Promise<{ id: number; username: string }> {
  const phone = normalisePhone(rawPhone);
  if (!phone) throw fieldError('phone', 'invalid_phone');
  const attempt = await takeAttempt(db, [{ key: `smslogin:${clientNetwork(actor.ip)}`, limit: LOGINS_PER_ADDRESS_HOUR, minutes: 60 }]);
  if (!attempt.ok) throw tooSoon(attempt);
  const wrong = new AppError(401, 'sms_code_invalid');
  const latest = await db.selectFrom('sms_codes').select('id').where('phone', '=', phone).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!latest) throw wrong;
  const tried = await db.updateTable('sms_codes').set({ tries: sql`tries + 1` })
    .where('id', '=', latest.id).where('used_at', 'is', null).where('expires_at', '>', new Date()).where('tries', '<', SMS_CODE_TRIES)
    .returning(['id', 'code_mac']).executeTakeFirst();
  if (!tried) throw wrong;
  const secret = await sharedSecret(db, 'sms_code_mac');
  const given = Buffer.from(codeMac(secret, phone, code));
  if (!timingSafeEqual(given, Buffer.from(tried.code_mac))) throw wrong;
  const account = await smsAccount(db, phone);
  if (!account) throw wrong;
  const used = await db.updateTable('sms_codes').set({ used_at: new Date() }).where('id', '=', tried.id).where('used_at', 'is', null).returning('id').executeTakeFirst();
  if (!used) throw wrong;
  return account;
}

/**
 * Sign-in inside WeChat's browser by the Official Account's web authorisation (OAuth2):
 * authorize → WeChat → callback with a code → openid. A bound openid signs in; a new one gets a
 * short-lived signed ticket, and the H5 proves a phone by SMS code to bind it to that phone's
 * account. The state is signed, expires, and is tied to the browser by a cookie (so nobody can
 * complete a sign-in in another's browser); WeChat itself refuses a code used twice.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../core/db.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import type { SecretBox } from '../../core/secret-box.js';
import { bindOpenid } from '../../core/wechat-binding.js';
import { WechatError, type WechatApi } from '../../core/wechat-api.js';
import { useLoginCode } from './sms-sign-in.js';

export const STATE_MINUTES = 10;
export const TICKET_MINUTES = 15;
/** The cookie that ties a state to the browser that asked for it. */
export const STATE_COOKIE = 'rc_wx_state';

/** A 400 whose code says what went wrong, naming the field. */
const refused = (field: string, code: string) => new AppError(400, code, code, {}, { [field]: { key: code } });

/** A payload signed with the hub's key for one purpose: base64url(JSON).mac, with its expiry inside. */
function seal(secrets: SecretBox, purpose: string, payload: object, minutes: number): string {
  const data = Buffer.from(JSON.stringify({ ...payload, exp: Date.now() + minutes * 60_000 })).toString('base64url');
  return `${data}.${secrets.mac(purpose, data)}`;
}

function unseal<T>(secrets: SecretBox, purpose: string, token: string): T | null {
  const [data, mac] = token.split('.');
  if (!data || !mac) return null;
  const want = Buffer.from(secrets.mac(purpose, data));
  if (want.length !== Buffer.byteLength(mac) || !timingSafeEqual(want, Buffer.from(mac))) return null;
  try {
    const payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as T & { exp: number };
    return payload.exp > Date.now() ? payload : null;
  } catch {
    return null;
  }
}

/** A path on this site to return to ("/me", "/m/wishes/3"); anything else (another site, "//x") is home. */
export function safeReturnPath(p: string | undefined): string {
  return p && /^\/(?![/\\])[^\s]*$/.test(p) ? p : '/';
}

/** The URL to send the browser to, and the nonce for the state cookie. */
export function startAuthorisation(api: WechatApi, secrets: SecretBox, callbackUrl: string, redirect: string, userinfo: boolean) {
  const nonce = randomBytes(16).toString('base64url');
  const scope = userinfo ? 'snsapi_userinfo' as const : 'snsapi_base' as const;
  const state = seal(secrets, 'wechat-oauth-state', { n: nonce, r: safeReturnPath(redirect), s: scope }, STATE_MINUTES);
  return { url: api.authorizeUrl(callbackUrl, state, scope), nonce };
}

export type CallbackOutcome =
  | { kind: 'signed_in'; account: { id: number; username: string }; redirect: string }
  | { kind: 'bind'; ticket: string; redirect: string; nickname: string | null };

/** The openid behind the code, if the state is this browser's and fresh: a bound account, or a ticket to bind one. */
export async function handleCallback(db: Db, api: WechatApi, secrets: SecretBox, code: string, state: string, cookieNonce: string | undefined): Promise<CallbackOutcome> {
  const st = unseal<{ n: string; r: string; s: string }>(secrets, 'wechat-oauth-state', state);
  if (!st || !cookieNonce || st.n !== cookieNonce) throw refused('state', 'wechat_state_invalid');
  let got: Awaited<ReturnType<WechatApi['exchangeCode']>>;
  try {
    got = await api.exchangeCode(code);
  } catch (err) {
    // 40029 invalid code, 40163 code already used, 40030/42003 expired: the browser should start again.
    if (err instanceof WechatError && [40029, 40163, 40030, 42003].includes(err.errcode)) throw refused('code', 'wechat_code_invalid');
    throw new AppError(502, 'wechat_unavailable');
  }
  const bound = await db.selectFrom('wechat_bindings').innerJoin('accounts', 'accounts.id', 'wechat_bindings.account_id')
    .select(['accounts.id', 'accounts.username', 'accounts.active']).where('wechat_bindings.openid', '=', got.openid).executeTakeFirst();
  if (bound) {
    if (!bound.active) throw new AppError(403, 'account_disabled');
    return { kind: 'signed_in', account: bound, redirect: st.r };
  }
  let nickname: string | null = null;
  if (got.scope?.includes('snsapi_userinfo')) {
    // Only to greet the person on the binding step; a failure here does not stop the binding.
    nickname = (await api.userInfo(got.access_token, got.openid).catch(() => null))?.nickname ?? null;
  }
  return { kind: 'bind', ticket: seal(secrets, 'wechat-bind-ticket', { o: got.openid }, TICKET_MINUTES), redirect: st.r, nickname };
}

/** Binds the ticket's openid to the account of the phone the code was sent to; the caller then opens the session. */
export async function bindWithCode(db: Db, actor: Actor, secrets: SecretBox, ticket: string, phone: string, code: string) {
  const t = unseal<{ o: string }>(secrets, 'wechat-bind-ticket', ticket);
  if (!t) throw refused('ticket', 'wechat_ticket_invalid');
  const account = await useLoginCode(db, actor, phone, code);
  await db.transaction().execute(async (tx) => {
    await bindOpenid(tx, t.o, account.id);
    await appendAudit(tx, { ...actor, id: account.id, name: account.username }, { action: 'auth.wechat_bind', targetType: 'account', targetId: account.id });
  });
  return account;
}

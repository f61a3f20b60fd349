/**
 * The WeChat Official Account's HTTPS API: web authorisation (OAuth2 code → openid, user info)
 * and template messages with the account's access token. The token is kept in the database,
 * encrypted, for every instance to share — WeChat retires the previous token a few minutes after
 * a new one is fetched, so instances fetching their own would knock each other's out — and is
 * fetched again when it expires or WeChat answers 40001/42001 (invalid/expired).
 */
import type { Config } from '../config.js';
import type { Db } from './db.js';
import type { ChannelSender } from './notify.js';
import type { SecretBox } from './secret-box.js';

/** An answer of WeChat's with errcode other than 0. */
export class WechatError extends Error {
  constructor(readonly errcode: number, readonly errmsg: string, where: string) {
    super(`WeChat ${where}: errcode ${errcode} ${errmsg}`);
  }
}

/** Token errcodes after which a fresh access token is worth one retry. */
const STALE_TOKEN = new Set([40001, 40014, 42001]);
/** Take a new token this long before WeChat's stated expiry. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

async function call<T>(url: string, where: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: { errcode?: number; errmsg?: string };
  try { body = JSON.parse(text); } catch { throw new Error(`WeChat ${where}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`); }
  if (body.errcode) throw new WechatError(body.errcode, body.errmsg ?? '', where);
  if (!res.ok) throw new Error(`WeChat ${where}: HTTP ${res.status}`);
  return body as T;
}

export type WechatConfig = Pick<Config, 'wechatAppId' | 'wechatSecret' | 'wechatOauthBase' | 'wechatApiBase' | 'wechatTemplateId' | 'wechatTemplateKeys'>;

export const wechatLoginConfigured = (c: WechatConfig) => !!(c.wechatAppId && c.wechatSecret);
export const wechatTemplateConfigured = (c: WechatConfig) => wechatLoginConfigured(c) && !!c.wechatTemplateId;

export function wechatApi(config: WechatConfig, db: Db, secrets: SecretBox) {
  const appid = config.wechatAppId ?? '';
  const secret = config.wechatSecret ?? '';
  const api = config.wechatApiBase;
  const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
  const tokenName = `wechat:${appid}`;

  /** The shared access token; `stale` is one WeChat just refused: a different stored one is used, else a new one fetched. */
  async function accessToken(stale?: string): Promise<string> {
    const row = await db.selectFrom('provider_tokens').select(['value', 'expires_at']).where('name', '=', tokenName).executeTakeFirst();
    if (row && row.expires_at.getTime() - EXPIRY_MARGIN_MS > Date.now()) {
      const token = secrets.decrypt(row.value);
      if (token !== stale) return token;
    }
    const got = await call<{ access_token: string; expires_in: number }>(`${api}/cgi-bin/token?${q({ grant_type: 'client_credential', appid, secret })}`, 'cgi-bin/token');
    const value = secrets.encrypt(got.access_token);
    const expiresAt = new Date(Date.now() + got.expires_in * 1000);
    await db.insertInto('provider_tokens').values({ name: tokenName, value, expires_at: expiresAt })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, expires_at: expiresAt })).execute();
    return got.access_token;
  }

  return {
    accessToken,

    /** Where the browser goes to authorise: snsapi_base (silent, openid only) or snsapi_userinfo (asks, gives nickname and avatar). */
    authorizeUrl(redirectUri: string, state: string, scope: 'snsapi_base' | 'snsapi_userinfo') {
      return `${config.wechatOauthBase}/connect/oauth2/authorize?${q({ appid, redirect_uri: redirectUri, response_type: 'code', scope, state })}#wechat_redirect`;
    },

    /** The openid behind a code the browser brought back (a code is good once, for five minutes: WeChat answers 40029/40163 otherwise). */
    async exchangeCode(code: string) {
      return call<{ access_token: string; openid: string; scope: string; unionid?: string }>(
        `${api}/sns/oauth2/access_token?${q({ appid, secret, code, grant_type: 'authorization_code' })}`, 'sns/oauth2/access_token');
    },

    /** Nickname and avatar (snsapi_userinfo only). */
    async userInfo(accessTokenOfUser: string, openid: string) {
      return call<{ openid: string; nickname?: string; headimgurl?: string }>(`${api}/sns/userinfo?${q({ access_token: accessTokenOfUser, openid, lang: 'zh_CN' })}`, 'sns/userinfo');
    },

    /** The outbox's WeChat channel: the notice's title and text in the template's two data keys. */
    templateSender(): ChannelSender {
      const [titleKey, bodyKey] = config.wechatTemplateKeys;
      // A template's "thing" values hold at most 20 characters.
      const cut = (s: string) => ([...s].length > 20 ? `${[...s].slice(0, 19).join('')}…` : s);
      return async (openid, message) => {
        const body = JSON.stringify({ touser: openid, template_id: config.wechatTemplateId, data: { [titleKey]: { value: cut(message.title) }, [bodyKey]: { value: cut(message.body) } } });
        const send = (token: string) => call<{ msgid?: number }>(`${api}/cgi-bin/message/template/send?${q({ access_token: token })}`, 'message/template/send',
          { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const token = await accessToken();
        try {
          await send(token);
        } catch (err) {
          if (!(err instanceof WechatError && STALE_TOKEN.has(err.errcode))) throw err;
          await send(await accessToken(token));
        }
      };
    },
  };
}

export type WechatApi = ReturnType<typeof wechatApi>;

import { isIP } from 'node:net';
import path from 'node:path';

/** Process configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** DATABASE_REPLICA_URL: a streaming replica for the cockpit's aggregates and the public reads; unset: everything reads the primary. */
  databaseReplicaUrl?: string;
  /** REPLICA_STICKY_SECONDS: after a write, that caller's reads stay on the primary this long (read-your-writes across replica lag). */
  replicaStickySeconds: number;
  /** SWEEP_EVERY_MS: one interval for every background sweep (tests); unset: each sweep's own. */
  sweepEveryMs?: number;
  production: boolean;
  /** Where the built web apps are served from. */
  webDist: string;
  sessionTtlHours: number;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); empty: none, the client is the TCP peer. */
  trustProxy: string[];
  /** Signs the visitor cookie; unset: a secret made once and kept in the database (shared by all instances). */
  cookieSecret?: string;
  /** WeChat Official Account endpoint: token; safe-mode EncodingAESKey and the AppID it is bound to. */
  wechatOaToken?: string;
  wechatOaAesKey?: string;
  wechatOaAppId?: string;
  /** REDCOM_SECRET_KEY: encrypts stored credentials and derives the exchange log's signing key; unset in development: generated into DATA_DIR. */
  secretKey?: string;
  /** METRICS_TOKEN: the bearer token /metrics asks for; unset in production: /metrics is not served. */
  metricsToken?: string;
  /** RATE_LIMIT_PUBLIC_PER_MIN: requests a minute one client address may make to the public API; 0: no limit (benchmarks from one address). */
  rateLimitPublicPerMin: number;
  /** RESPONSE_CACHE=off: public pages are computed on every request (core/response-cache.ts; for measuring the uncached path). */
  responseCache: boolean;
  /** WECHAT_APPID / WECHAT_SECRET: the Official Account's web authorisation (sign-in in WeChat's browser) and its API token; unset: WeChat sign-in is off. */
  wechatAppId?: string;
  wechatSecret?: string;
  /** WECHAT_OAUTH_BASE / WECHAT_API_BASE: WeChat's endpoints (tests point them at a protocol peer). */
  wechatOauthBase: string;
  wechatApiBase: string;
  /** WECHAT_TEMPLATE_ID: the template notifications are sent with; WECHAT_TEMPLATE_KEYS: its two data keys for title and text. */
  wechatTemplateId?: string;
  wechatTemplateKeys: [string, string];
  /** SMS_PROVIDER=log|aliyun, with Aliyun SMS's endpoint, AccessKey, signature name and template codes (core/sms-aliyun.ts). */
  sms: SmsConfig;
  /** ALLOW_LOG_SENDERS=1: production may start with messages only written to the log (otherwise it refuses). */
  allowLogSenders: boolean;
}

export type SmsConfig =
  | { provider: 'log' }
  | { provider: 'aliyun'; endpoint: string; accessKeyId: string; accessKeySecret: string; signName: string; templateCode: string; noticeTemplateCode: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReplicaUrl: env.DATABASE_REPLICA_URL || undefined,
    replicaStickySeconds: Number(env.REPLICA_STICKY_SECONDS ?? 10),
    sweepEveryMs: env.SWEEP_EVERY_MS ? Number(env.SWEEP_EVERY_MS) : undefined,
    production: env.NODE_ENV === 'production',
    webDist: path.resolve(env.WEB_DIST ?? path.join(import.meta.dirname, '../../web/dist')),
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 12),
    trustProxy: parseTrustProxy(env.TRUST_PROXY ?? ''),
    cookieSecret: env.COOKIE_SECRET || undefined,
    wechatOaToken: env.WECHAT_OA_TOKEN || undefined,
    wechatOaAesKey: parseAesKey(env.WECHAT_OA_AES_KEY || undefined, env.WECHAT_OA_APPID || undefined),
    wechatOaAppId: env.WECHAT_OA_APPID || undefined,
    secretKey: env.REDCOM_SECRET_KEY || undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
    rateLimitPublicPerMin: parseLimit('RATE_LIMIT_PUBLIC_PER_MIN', env.RATE_LIMIT_PUBLIC_PER_MIN, 600),
    responseCache: env.RESPONSE_CACHE !== 'off',
    wechatAppId: env.WECHAT_APPID || undefined,
    wechatSecret: env.WECHAT_SECRET || undefined,
    wechatOauthBase: (env.WECHAT_OAUTH_BASE || 'https://open.weixin.qq.com').replace(/\/+$/, ''),
    wechatApiBase: (env.WECHAT_API_BASE || 'https://api.weixin.qq.com').replace(/\/+$/, ''),
    wechatTemplateId: env.WECHAT_TEMPLATE_ID || undefined,
    wechatTemplateKeys: parseTemplateKeys(env.WECHAT_TEMPLATE_KEYS),
    sms: parseSms(env),
    allowLogSenders: env.ALLOW_LOG_SENDERS === '1' || env.ALLOW_LOG_SENDERS === 'true',
  };
}

/** "thing1,thing2": the template's data keys that get the message's title and text. */
function parseTemplateKeys(value: string | undefined): [string, string] {
  const keys = (value || 'thing1,thing2').split(',').map((k) => k.trim());
  if (keys.length !== 2 || !keys.every((k) => /^[A-Za-z][A-Za-z0-9_]*$/.test(k))) throw new Error(`WECHAT_TEMPLATE_KEYS: "${value}" should be two data keys of the template, e.g. thing1,thing2`);
  return [keys[0], keys[1]];
}

/** The SMS sender: log (development) or aliyun; a provider without its keys stops the start and names what is missing. */
function parseSms(env: NodeJS.ProcessEnv): SmsConfig {
  const provider = env.SMS_PROVIDER || 'log';
  if (provider === 'log') return { provider };
  if (provider !== 'aliyun') throw new Error(`SMS_PROVIDER: "${provider}" is not known (log or aliyun)`);
  const need = { SMS_ACCESS_KEY_ID: env.SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET: env.SMS_ACCESS_KEY_SECRET, SMS_SIGN_NAME: env.SMS_SIGN_NAME, SMS_TEMPLATE_CODE: env.SMS_TEMPLATE_CODE, SMS_TEMPLATE_NOTICE: env.SMS_TEMPLATE_NOTICE };
  const missing = Object.entries(need).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new Error(`SMS_PROVIDER=aliyun needs ${missing.join(', ')}`);
  return {
    provider, endpoint: (env.SMS_ENDPOINT || 'https://dysmsapi.aliyuncs.com').replace(/\/+$/, ''),
    accessKeyId: need.SMS_ACCESS_KEY_ID!, accessKeySecret: need.SMS_ACCESS_KEY_SECRET!, signName: need.SMS_SIGN_NAME!,
    templateCode: need.SMS_TEMPLATE_CODE!, noticeTemplateCode: need.SMS_TEMPLATE_NOTICE!,
  };
}

/** A non-negative whole number from the environment; a typo stops the start rather than silently lifting a limit. */
function parseLimit(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value.trim())) throw new Error(`${name}: "${value}" is not a whole number (0 turns the limit off)`);
  return Number(value);
}

/** "10.0.0.1, 10.1.0.0/16, loopback" → entries for Fastify's trustProxy; a typo stops the start, never trusts everyone. */
export function parseTrustProxy(value: string): string[] {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of entries) {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(e)) continue;
    const [addr, bits, ...rest] = e.split('/');
    const kind = isIP(addr);
    const ok = kind && !rest.length && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (kind === 4 ? 32 : 128)));
    if (!ok) throw new Error(`TRUST_PROXY: "${e}" is not an IP address or CIDR (e.g. 10.0.0.1 or 10.0.0.0/8)`);
  }
  return entries;
}

/** WeChat's EncodingAESKey: 43 base64 characters that decode to a 32-byte key; safe mode needs the AppID as well. */
function parseAesKey(key: string | undefined, appId: string | undefined): string | undefined {
  if (!key) return undefined;
  if (!/^[A-Za-z0-9+/]{43}$/.test(key) || Buffer.from(`${key}=`, 'base64').length !== 32) {
    throw new Error('WECHAT_OA_AES_KEY must be the 43-character EncodingAESKey from the WeChat console');
  }
  if (!appId) throw new Error('WECHAT_OA_AES_KEY is set: set WECHAT_OA_APPID too (the AppID the messages are encrypted for)');
  return key;
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { redeemBindCode } from '../../core/wechat-binding.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { clearAttempts, takeAttempt } from '../../core/auth/throttle.js';
import { AppError } from '../../core/errors.js';
import { createWish, type WishDeps } from './service.js';
import { decryptMessage, encryptMessage } from './wechat-crypto.js';
import { wechatResponses as res } from './schemas.js';

/** The demo token; production must set WECHAT_OA_TOKEN (the endpoint is off without it). */
export const DEMO_WECHAT_TOKEN = 'redcom-demo-token';

/** WeChat's signatures: SHA-1 of the parts sorted and joined (token, timestamp, nonce; in safe mode also the Encrypt field). */
export function wechatSignature(...parts: string[]) {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

function sameSignature(expected: string, given: string | undefined) {
  const a = Buffer.from(expected), b = Buffer.from(given ?? '');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** How far a request's signed timestamp may be from our clock: a captured request is useless after this. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/** Bind codes are six digits: guesses are counted per OpenID, per code and overall, before the code is looked up. */
const BIND_LIMIT_PER_OPENID = 5, BIND_LIMIT_PER_CODE = 5, BIND_LIMIT_OVERALL = 60, BIND_WINDOW_MINUTES = 15;

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
export function textReply(to: string, from: string, content: string, now = Math.floor(Date.now() / 1000)) {
  return `<xml><ToUserName>${cdata(to)}</ToUserName><FromUserName>${cdata(from)}</FromUserName><CreateTime>${now}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content></xml>`;
}

export const BIND_HELP = '您的微信尚未绑定红色社区账号。请在红色社区 H5“我的”页面获取绑定码，然后向本公众号发送“绑定 六位绑定码”完成绑定，再发送“心愿 + 内容”提交微心愿。';
const HELP = '发送“心愿 + 您的心愿内容”即可提交微心愿，例如：心愿 想要一台收音机听戏。';

/** The account behind a bound OpenID, as an auth context for the services. */
async function contextFor(db: Db, accountId: number): Promise<AuthContext | null> {
  const a = await db.selectFrom('accounts').select(['id', 'username', 'display_name', 'person_id', 'organisation_id', 'active']).where('id', '=', accountId).executeTakeFirst();
  if (!a?.active) return null;
  const roles = (await db.selectFrom('account_roles').select('role_code').where('account_id', '=', accountId).execute()).map((r) => r.role_code);
  const perms = (await sql<{ p: string }>`select distinct unnest(r.permissions) as p from roles r join account_roles ar on ar.role_code = r.code where ar.account_id = ${accountId}`.execute(db)).rows.map((r) => r.p);
  return { accountId: a.id, username: a.username, displayName: a.display_name, personId: a.person_id, organisationId: a.organisation_id, roles, permissions: new Set(perms), scope: null, sessionId: 0, via: 'bearer' };
}

/** Handles one text message; returns the reply text. */
export async function handleWechatText(d: WishDeps, actor: Actor, openid: string, content: string): Promise<string> {
  const text = content.trim();
  const bind = /^绑定\s*(\d{6})$/.exec(text);
  if (bind) {
    const byOpenid = `wxbind:openid:${openid}`, byCode = `wxbind:code:${bind[1]}`, overall = 'wxbind:all';
    const attempt = await takeAttempt(d.db, [
      { key: byOpenid, limit: BIND_LIMIT_PER_OPENID, minutes: BIND_WINDOW_MINUTES },
      { key: byCode, limit: BIND_LIMIT_PER_CODE, minutes: BIND_WINDOW_MINUTES },
      { key: overall, limit: BIND_LIMIT_OVERALL, minutes: BIND_WINDOW_MINUTES },
    ]);
    if (!attempt.ok) return `绑定尝试次数过多，请 ${attempt.minutes} 分钟后再试。`;
    return d.db.transaction().execute(async (tx) => {
      // Taking the code is the check: of two messages with one code, one binds.
      const accountId = await redeemBindCode(tx, openid, bind[1]);
      if (!accountId) return '绑定码无效或已过期，请在 H5“我的”页面重新获取。';
      await clearAttempts(tx, [byOpenid, byCode], [overall]);
      await appendAudit(tx, { ...actor, id: accountId }, { action: 'wechat.bind', targetType: 'account', targetId: accountId, summary: { openid: `${openid.slice(0, 6)}…` } });
      const a = await tx.selectFrom('accounts').select('display_name').where('id', '=', accountId).executeTakeFirstOrThrow();
      return `绑定成功：${a.display_name}。现在可以发送“心愿 + 内容”提交微心愿。`;
    });
  }
  if (!text.startsWith('心愿')) return HELP;
  const binding = await d.db.selectFrom('wechat_bindings').select('account_id').where('openid', '=', openid).executeTakeFirst();
  if (!binding) return BIND_HELP;
  const auth = await contextFor(d.db, binding.account_id);
  if (!auth || !auth.permissions.has('wish:submit')) return '您的账号暂不能提交心愿，请联系社区。';
  const story = text.replace(/^心愿[\s:：,，]*/, '').trim();
  if (story.length < 5) return '心愿内容太短，请说明想要什么、为什么，例如：心愿 想要一台收音机听戏。';
  try {
    // Category and value are set by the community worker at review; the text is the story.
    const wish = await createWish(d, auth, { ...actor, id: auth.accountId, name: auth.username, role: auth.roles[0] ?? null },
      { title: story.slice(0, 20), story: story.slice(0, 1000), category: 'goods', targetGroup: 'other', estimatedValue: 0 }, 'wechat');
    return `心愿已收到，编号 ${wish.code}。社区审核后将发布到心愿墙，请留意通知。`;
  } catch (err) {
    if (err instanceof AppError) return '暂时无法提交：当前没有进行中的心愿季，或您的居民信息不完整，请联系社区。';
    throw err;
  }
}

const sigQuery = z.object({ signature: z.string().regex(/^[0-9a-f]{40}$/), timestamp: z.string().regex(/^\d{1,12}$/), nonce: z.string().min(1).max(64) });
const messageQuery = sigQuery.extend({
  openid: z.string().max(64).optional(),
  encrypt_type: z.enum(['raw', 'aes']).optional(),
  msg_signature: z.string().regex(/^[0-9a-f]{40}$/).optional(),
});

/**
 * Records a delivery once: by its signed request (timestamp + nonce: one captured URL
 * cannot carry a second body) and by its MsgId (WeChat retries a message with a new
 * URL). Returns the keys it recorded, or null when either was seen before.
 */
async function firstDelivery(db: Db, q: { timestamp: string; nonce: string }, msg: Record<string, unknown>): Promise<string[] | null> {
  if (Math.random() < 0.01) await db.deleteFrom('wechat_messages').where('received_at', '<', new Date(Date.now() - 86400_000)).execute();
  const keys = [`req:${q.timestamp}:${q.nonce}`,
    msg.MsgId ? `msg:${String(msg.MsgId)}` : `event:${String(msg.FromUserName)}:${String(msg.CreateTime ?? '')}:${String(msg.Event ?? msg.MsgType ?? '')}`];
  const done: string[] = [];
  for (const key of keys) {
    const ins = await db.insertInto('wechat_messages').values({ key }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
    if (!ins) return null;
    done.push(key);
  }
  return done;
}

const parseXml = (parser: XMLParser, text: string): Record<string, unknown> => {
  try {
    return (parser.parse(text) as { xml?: Record<string, unknown> }).xml ?? {};
  } catch {
    throw new AppError(400, 'invalid_xml');
  }
};

/**
 * WeChat Official Account server endpoint: GET verifies the server, POST receives messages.
 * Every request is signed and must be within TIMESTAMP_WINDOW_SECONDS; each delivery is
 * handled once. With WECHAT_OA_AES_KEY set (safe mode) only encrypted messages, whose
 * signature covers the body, are accepted, and replies are encrypted.
 */
export async function wechatRoutes(app: FastifyInstance) {
  const { wechatOaAesKey: aesKey, wechatOaAppId: appId } = app.config;
  const token = app.config.wechatOaToken || (app.config.production ? '' : DEMO_WECHAT_TOKEN);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const parser = new XMLParser({ processEntities: false, parseTagValue: false });
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
  const tags = ['wechat'];
  const check = (q: z.infer<typeof sigQuery>) => {
    if (!token) throw new AppError(404, 'route_not_found');
    if (!sameSignature(wechatSignature(token, q.timestamp, q.nonce), q.signature)) throw new AppError(403, 'bad_signature');
    if (Math.abs(Date.now() / 1000 - Number(q.timestamp)) > TIMESTAMP_WINDOW_SECONDS) throw new AppError(403, 'stale_request');
  };

  r.get('/api/wechat/oa', {
    config: { public: true },
    schema: { tags, summary: '公众号服务器验证（signature = SHA1(sort(token, timestamp, nonce))，时间戳 ±5 分钟）', response: res.verify, querystring: sigQuery.extend({ echostr: z.string().min(1).max(128) }) },
  }, async (req, reply) => {
    check(req.query);
    return reply.type('text/plain').send(req.query.echostr);
  });

  r.post('/api/wechat/oa', {
    config: { public: true },
    schema: { tags, summary: '公众号消息（XML；安全模式下为加密消息，msg_signature 覆盖消息体；“心愿…”提交心愿，“绑定 123456”绑定账号）', querystring: messageQuery, response: res.message },
  }, async (req, reply) => {
    const q = req.query;
    check(q);
    const outer = parseXml(parser, String(req.body ?? ''));
    let msg = outer;
    if (aesKey) {
      // Safe mode: the plaintext fields of a compatibility-mode message are ignored, and a message without Encrypt refused.
      const encrypted = typeof outer.Encrypt === 'string' ? outer.Encrypt : '';
      if (!encrypted) throw new AppError(403, 'encryption_required');
      if (!sameSignature(wechatSignature(token, q.timestamp, q.nonce, encrypted), q.msg_signature)) throw new AppError(403, 'bad_signature');
      let inner: { xml: string; appId: string };
      try {
        inner = decryptMessage(aesKey, encrypted);
      } catch {
        throw new AppError(403, 'bad_signature');
      }
      if (inner.appId !== appId) throw new AppError(403, 'bad_signature');
      msg = parseXml(parser, inner.xml);
    }
    const from = String(msg.FromUserName ?? ''), to = String(msg.ToUserName ?? '');
    if (!from || !to || from.length > 64) throw new AppError(400, 'invalid_xml');

    const recorded = await firstDelivery(app.dbh.db, q, msg);
    // A repeat: WeChat's documented "nothing more to say".
    if (!recorded) return reply.type('text/plain').send('success');
    const actor: Actor = { id: null, name: 'wechat', role: 'wechat', ip: req.ip, requestId: req.id };
    let replyText: string;
    try {
      replyText = msg.MsgType === 'text'
        ? await handleWechatText({ db: app.dbh.db, bus: app.events, files: app.files }, actor, from, String(msg.Content ?? ''))
        : HELP;
    } catch (err) {
      // Not handled: let WeChat's retry through.
      await app.dbh.db.deleteFrom('wechat_messages').where('key', 'in', recorded).execute();
      throw err;
    }
    const xml = textReply(from, to, replyText);
    if (!aesKey) return reply.type('application/xml; charset=utf-8').send(xml);
    const encrypted = encryptMessage(aesKey, appId!, xml);
    const timestamp = String(Math.floor(Date.now() / 1000)), nonce = randomBytes(8).toString('hex');
    return reply.type('application/xml; charset=utf-8').send(
      `<xml><Encrypt>${cdata(encrypted)}</Encrypt><MsgSignature>${cdata(wechatSignature(token, timestamp, nonce, encrypted))}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`);
  });
}

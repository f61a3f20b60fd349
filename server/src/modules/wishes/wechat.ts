import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { AppError } from '../../core/errors.js';
import { createWish, type WishDeps } from './service.js';

/** The demo token; production must set WECHAT_OA_TOKEN (the endpoint is off without it). */
export const DEMO_WECHAT_TOKEN = 'redcom-demo-token';

/** WeChat's server signature: SHA-1 of token, timestamp and nonce, sorted and joined. */
export function wechatSignature(token: string, timestamp: string, nonce: string) {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

function signatureOk(token: string, q: { signature: string; timestamp: string; nonce: string }) {
  const expected = Buffer.from(wechatSignature(token, q.timestamp, q.nonce));
  const given = Buffer.from(q.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

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
    return d.db.transaction().execute(async (tx) => {
      const code = await tx.selectFrom('wechat_bind_codes').selectAll().where('code', '=', bind[1]).where('expires_at', '>', new Date()).executeTakeFirst();
      if (!code) return '绑定码无效或已过期，请在 H5“我的”页面重新获取。';
      await tx.deleteFrom('wechat_bind_codes').where('code', '=', code.code).execute();
      await tx.insertInto('wechat_bindings').values({ openid, account_id: code.account_id }).onConflict((oc) => oc.column('openid').doUpdateSet({ account_id: code.account_id })).execute();
      await appendAudit(tx, { ...actor, id: code.account_id }, { action: 'wechat.bind', targetType: 'account', targetId: code.account_id, summary: { openid: `${openid.slice(0, 6)}…` } });
      const a = await tx.selectFrom('accounts').select('display_name').where('id', '=', code.account_id).executeTakeFirstOrThrow();
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

/** WeChat Official Account server endpoint: GET verifies the server, POST receives messages. */
export async function wechatRoutes(app: FastifyInstance) {
  const token = process.env.WECHAT_OA_TOKEN || (app.config.production ? '' : DEMO_WECHAT_TOKEN);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const parser = new XMLParser({ processEntities: false, parseTagValue: false });
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
  const tags = ['wechat'];
  const check = (q: z.infer<typeof sigQuery>) => {
    if (!token) throw new AppError(404, 'route_not_found');
    if (!signatureOk(token, q)) throw new AppError(403, 'bad_signature');
  };

  r.get('/api/wechat/oa', {
    config: { public: true },
    schema: { tags, summary: '公众号服务器验证（signature = SHA1(sort(token, timestamp, nonce))）', querystring: sigQuery.extend({ echostr: z.string().min(1).max(128) }) },
  }, async (req, reply) => {
    check(req.query);
    return reply.type('text/plain').send(req.query.echostr);
  });

  r.post('/api/wechat/oa', {
    config: { public: true },
    schema: { tags, summary: '公众号消息（XML 文本消息；“心愿…”提交心愿，“绑定 123456”绑定账号）', querystring: sigQuery.extend({ openid: z.string().optional() }) },
  }, async (req, reply) => {
    check(req.query);
    let msg: Record<string, string>;
    try {
      msg = (parser.parse(String(req.body ?? '')) as { xml?: Record<string, string> }).xml ?? {};
    } catch {
      throw new AppError(400, 'invalid_xml');
    }
    const from = String(msg.FromUserName ?? ''), to = String(msg.ToUserName ?? '');
    if (!from || !to) throw new AppError(400, 'invalid_xml');
    const actor: Actor = { id: null, name: 'wechat', role: 'wechat', ip: req.ip, requestId: req.id };
    const replyText = msg.MsgType === 'text'
      ? await handleWechatText({ db: app.dbh.db, bus: app.events, files: app.files }, actor, from, String(msg.Content ?? ''))
      : HELP;
    return reply.type('application/xml; charset=utf-8').send(textReply(from, to, replyText));
  });
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { SESSION_COOKIE, requireAuth } from '../../core/auth/plugin.js';
import { login, logout, type LoginResult } from './sign-in.js';
import { loginWithCode, sendLoginCode } from './sms-sign-in.js';
import { describeAccount } from './accounts.js';
import { authResponses as res } from './schemas.js';

const phone = z.string().trim().min(1).max(20).describe('手机号（11 位大陆手机号）');
const smsSendBody = z.object({ phone });
const smsLoginBody = z.object({ phone, code: z.string().trim().regex(/^\d{6}$/, { message: 'invalid_format' }).describe('6 位短信验证码') });

const loginBody = z.object({
  username: z.string().trim().min(1).max(64).describe('用户名或手机号'),
  password: z.string().min(1).max(128),
});

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;

  r.post('/api/auth/login', {
    config: { public: true },
    schema: { tags: ['auth'], summary: '登录（用户名或手机号 + 密码）', body: loginBody, response: res.login },
  }, async (req, reply) => {
    const { username, password } = req.body;
    return signedIn(reply, req.protocol, await login(db, actorFromRequest(req), username, password, app.config.sessionTtlHours, req.headers['user-agent']));
  });

  /** The session cookie and the same answer for every way of signing in. */
  async function signedIn(reply: FastifyReply, protocol: string, res: LoginResult) {
    reply.setCookie(SESSION_COOKIE, res.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: protocol === 'https', expires: res.expiresAt });
    const me = await describeAccount(db, res.accountId);
    return { token: res.token, csrfToken: res.csrfToken, expiresAt: res.expiresAt.toISOString(), ...me };
  }

  r.post('/api/auth/sms/send', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: '发送登录验证码（居民、志愿者）',
      description: '同一手机号 60 秒 1 次、每天 10 次；未注册的号码得到相同的答复。非生产环境答复中带 devCode。',
      body: smsSendBody, response: res.smsSent,
    },
  }, async (req) => {
    const sent = await sendLoginCode(db, actorFromRequest(req), req.body.phone);
    return { sent: true as const, expiresAt: sent.expiresAt.toISOString(), resendAfter: sent.resendAfter, ...(!app.config.production && { devCode: sent.code }) };
  });

  r.post('/api/auth/sms/login', {
    config: { public: true },
    schema: { tags: ['auth'], summary: '手机号 + 短信验证码登录', body: smsLoginBody, response: res.login },
  }, async (req, reply) => {
    const { phone, code } = req.body;
    return signedIn(reply, req.protocol, await loginWithCode(db, actorFromRequest(req), phone, code, app.config.sessionTtlHours, req.headers['user-agent']));
  });

  r.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录', response: res.ok } }, async (req, reply) => {
    const auth = requireAuth(req);
    await logout(db, actorFromRequest(req), auth.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  r.get('/api/auth/me', { schema: { tags: ['auth'], summary: '当前账号、人员、角色、权限与数据范围', response: res.me } }, async (req) => {
    const auth = requireAuth(req);
    return describeAccount(db, auth.accountId);
  });

  /** The CSRF token for the current cookie session (a reloaded page needs it again). */
  r.get('/api/auth/csrf', { schema: { tags: ['auth'], response: res.csrf } }, async (req) => {
    const auth = requireAuth(req);
    const s = await db.selectFrom('sessions').select('csrf_token').where('id', '=', auth.sessionId).executeTakeFirstOrThrow();
    return { csrfToken: s.csrf_token };
  });
}

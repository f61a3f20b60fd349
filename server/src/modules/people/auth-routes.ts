import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { SESSION_COOKIE, requireAuth } from '../../core/auth/plugin.js';
import { checkPassword, logout, openSession, type LoginResult } from './sign-in.js';
import { loginWithCode, sendLoginCode } from './sms-sign-in.js';
import { completeChallenge, secondFactorChallenge, setSignInPolicy, signInPolicy } from './second-factor.js';
import { bindWithCode, handleCallback, STATE_COOKIE, STATE_MINUTES, startAuthorisation } from './wechat-sign-in.js';
import { AppError } from '../../core/errors.js';
import { wechatApi, wechatLoginConfigured } from '../../core/wechat-api.js';
import { describeAccount } from './accounts.js';
import { authResponses as res } from './schemas.js';

const phone = z.string().trim().min(1).max(20).describe('手机号（11 位大陆手机号）');
const smsSendBody = z.object({ phone });
const smsCode = z.string().trim().regex(/^\d{6}$/, { message: 'invalid_format' }).describe('6 位短信验证码');
const smsLoginBody = z.object({ phone, code: smsCode });
const signedToken = (what: string) => z.string().trim().min(1).max(600).describe(what);

const loginBody = z.object({
  username: z.string().trim().min(1).max(64).describe('用户名或手机号'),
  password: z.string().min(1).max(128),
});

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;

  r.post('/api/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: '登录（用户名或手机号 + 密码）', body: loginBody, response: res.loginOrChallenge,
      description: '登录安全策略要求短信验证的区级、街道账号：答复为 secondFactor（不含会话），随验证码提交到 /api/auth/sms/verify。',
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const actor = actorFromRequest(req);
    const account = await checkPassword(db, actor, username, password);
    // District and street accounts may have to confirm by SMS (the sign-in policy): no session until they do.
    const challenge = await secondFactorChallenge(db, account);
    if (challenge) {
      const { code, expiresAt, ...rest } = challenge;
      return { secondFactor: { ...rest, expiresAt: expiresAt.toISOString(), ...(!app.config.production && { devCode: code }) } };
    }
    return signedIn(reply, req.protocol, await openSession(db, actor, account, app.config.sessionTtlHours, req.headers['user-agent'], 'password'));
  });

  r.post('/api/auth/sms/verify', {
    config: { public: true },
    schema: { tags: ['auth'], summary: '短信验证码完成登录（第二因素）', body: z.object({ challenge: signedToken('密码登录返回的 secondFactor.challenge'), code: smsCode }), response: res.login },
  }, async (req, reply) => {
    const actor = actorFromRequest(req);
    const account = await completeChallenge(db, actor, req.body.challenge, req.body.code);
    return signedIn(reply, req.protocol, await openSession(db, actor, account, app.config.sessionTtlHours, req.headers['user-agent'], 'password+sms'));
  });

  r.get('/api/auth/methods', {
    config: { public: true },
    schema: { tags: ['auth'], summary: '可用的登录方式', response: res.methods },
  }, async () => ({ password: true as const, sms: true as const, wechat: wechatLoginConfigured(app.config) }));

  r.get('/api/auth/policy', {
    config: { permission: 'auth:policy' },
    schema: { tags: ['auth'], summary: '登录安全策略', response: res.policy },
  }, async () => signInPolicy(db));

  r.put('/api/auth/policy', {
    config: { permission: 'auth:policy' },
    schema: { tags: ['auth'], summary: '设置登录安全策略（区级、街道账号短信验证）', body: z.object({ staffSms: z.boolean() }).strict(), response: res.policy },
  }, async (req) => setSignInPolicy(db, actorFromRequest(req), req.body.staffSms));

  // WeChat web authorisation (the H5 inside WeChat); off, with a clear answer, when WECHAT_APPID/WECHAT_SECRET are not set.
  const wechat = () => {
    if (!wechatLoginConfigured(app.config)) throw new AppError(404, 'wechat_off');
    return wechatApi(app.config, db, app.secrets);
  };
  const callbackUrl = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}/api/auth/wechat/callback`;

  r.get('/api/auth/wechat/authorize', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: '微信网页授权：跳转到微信', response: res.redirect,
      querystring: z.object({
        redirect: z.string().max(500).optional().describe('登录后回到的本站路径，如 /me'),
        userinfo: z.enum(['0', '1']).optional().describe('1：snsapi_userinfo（取昵称头像，需用户确认）；默认 snsapi_base（静默）'),
      }),
    },
  }, async (req, reply) => {
    const start = startAuthorisation(wechat(), app.secrets, callbackUrl(req), req.query.redirect ?? '/', req.query.userinfo === '1');
    reply.setCookie(STATE_COOKIE, start.nonce, { path: '/api/auth/wechat', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', maxAge: STATE_MINUTES * 60 });
    return reply.redirect(start.url, 302);
  });

  r.get('/api/auth/wechat/callback', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: '微信网页授权回调：已绑定则登录，否则跳转到绑定手机号', response: res.redirect,
      querystring: z.object({ code: z.string().trim().min(1).max(200), state: signedToken('authorize 签发的 state') }),
    },
  }, async (req, reply) => {
    const api = wechat();
    const outcome = await handleCallback(db, api, app.secrets, req.query.code, req.query.state, req.cookies[STATE_COOKIE]);
    reply.clearCookie(STATE_COOKIE, { path: '/api/auth/wechat' });
    if (outcome.kind === 'signed_in') {
      const session = await openSession(db, actorFromRequest(req), outcome.account, app.config.sessionTtlHours, req.headers['user-agent'], 'wechat');
      reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', expires: session.expiresAt });
      return reply.redirect(outcome.redirect, 302);
    }
    const loginPage = outcome.redirect.startsWith('/m/') ? '/m/login' : '/login';
    const q = new URLSearchParams({ wechatTicket: outcome.ticket, redirect: outcome.redirect, ...(outcome.nickname && { nickname: outcome.nickname }) });
    return reply.redirect(`${loginPage}?${q}`, 302);
  });

  r.post('/api/auth/wechat/bind', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: '首次微信登录：以手机号 + 短信验证码绑定账号并登录',
      body: z.object({ ticket: signedToken('回调跳转时带的 wechatTicket'), phone, code: smsCode }), response: res.login,
    },
  }, async (req, reply) => {
    wechat(); // off: 404 before anything is checked
    const actor = actorFromRequest(req);
    const account = await bindWithCode(db, actor, app.secrets, req.body.ticket, req.body.phone, req.body.code);
    return signedIn(reply, req.protocol, await openSession(db, actor, account, app.config.sessionTtlHours, req.headers['user-agent'], 'wechat'));
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

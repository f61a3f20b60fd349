import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { SESSION_COOKIE, requireAuth } from '../../core/auth/plugin.js';
import { login, logout } from './sign-in.js';
import { describeAccount } from './accounts.js';
import { authResponses as res } from './schemas.js';

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
    const res = await login(db, actorFromRequest(req), username, password, app.config.sessionTtlHours, req.headers['user-agent']);
    reply.setCookie(SESSION_COOKIE, res.token, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', expires: res.expiresAt,
    });
    const me = await describeAccount(db, res.accountId);
    return { token: res.token, csrfToken: res.csrfToken, expiresAt: res.expiresAt.toISOString(), ...me };
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

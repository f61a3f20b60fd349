import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { requireAuth } from '../../core/auth/plugin.js';
import { notFound } from '../../core/errors.js';
import { idParam } from '../../core/http.js';
import { pageQuery, paginate } from '../../core/paging.js';
import { markNotificationRead } from '../../core/notify.js';
import { issueBindCode } from '../../core/wechat-binding.js';
import { codeSendLimit } from '../../core/rate-limit.js';
import { notificationResponses as res } from './schemas.js';

/** The signed-in user's in-app messages, and the code that binds their WeChat account. */
export async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['me'];

  r.get('/api/me/notifications', { schema: { tags, summary: '我的消息', querystring: pageQuery, response: res.list } }, async (req) => {
    const auth = requireAuth(req);
    const res = await paginate(db.selectFrom('notifications').select(['id', 'kind', 'title', 'body', 'wish_id as wishId', 'read_at as readAt', 'created_at as createdAt'])
      .where('account_id', '=', auth.accountId).orderBy('id', 'desc'), req.query);
    const unread = await db.selectFrom('notifications').select(sql<number>`count(*)`.as('n')).where('account_id', '=', auth.accountId).where('read_at', 'is', null).executeTakeFirst();
    return { ...res, unread: Number(unread?.n ?? 0) };
  });

  r.post('/api/me/notifications/:id/read', { schema: { tags, summary: '标记已读', params: idParam, response: res.ok } }, async (req) => {
    const auth = requireAuth(req);
    if (!(await markNotificationRead(db, auth.accountId, req.params.id))) throw notFound();
    return { ok: true };
  });

  r.post('/api/me/wechat-bind-code', { config: { rateLimit: codeSendLimit }, schema: { tags, summary: '获取微信公众号绑定码（10 分钟内发送“绑定 123456”到公众号）', response: res.bindCode } }, async (req) => {
    const auth = requireAuth(req);
    const { code, expiresAt } = await db.transaction().execute((tx) => issueBindCode(tx, auth.accountId));
    return { code, expiresAt: expiresAt.toISOString() };
  });
}

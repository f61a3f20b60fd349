import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { requireAuth } from '../../core/auth/plugin.js';
import { notFound } from '../../core/errors.js';
import { idParam } from '../../core/http.js';
import { pageQuery, paginate } from '../../core/paging.js';

/** The signed-in user's in-app messages, and the code that binds their WeChat account. */
export async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['me'];

  r.get('/api/me/notifications', { schema: { tags, summary: '我的消息', querystring: pageQuery } }, async (req) => {
    const auth = requireAuth(req);
    const res = await paginate(db.selectFrom('notifications').select(['id', 'kind', 'title', 'body', 'wish_id as wishId', 'read_at as readAt', 'created_at as createdAt'])
      .where('account_id', '=', auth.accountId).orderBy('id', 'desc'), req.query);
    const unread = await db.selectFrom('notifications').select(sql<number>`count(*)`.as('n')).where('account_id', '=', auth.accountId).where('read_at', 'is', null).executeTakeFirst();
    return { ...res, unread: Number(unread?.n ?? 0) };
  });

  r.post('/api/me/notifications/:id/read', { schema: { tags, summary: '标记已读', params: idParam } }, async (req) => {
    const auth = requireAuth(req);
    const res = await db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', req.params.id).where('account_id', '=', auth.accountId).executeTakeFirst();
    if (!res.numUpdatedRows) throw notFound();
    return { ok: true };
  });

  r.post('/api/me/wechat-bind-code', { schema: { tags, summary: '获取微信公众号绑定码（10 分钟内发送“绑定 123456”到公众号）' } }, async (req) => {
    const auth = requireAuth(req);
    const code = String(randomInt(100000, 1000000));
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('wechat_bind_codes').where((eb) => eb.or([eb('account_id', '=', auth.accountId), eb('expires_at', '<', new Date())])).execute();
      await tx.insertInto('wechat_bind_codes').values({ code, account_id: auth.accountId, expires_at: expiresAt }).onConflict((oc) => oc.column('code').doUpdateSet({ account_id: auth.accountId, expires_at: expiresAt })).execute();
    });
    return { code, expiresAt: expiresAt.toISOString() };
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { bodyId, dbId, idParam, isoDateTime, nonEmpty, optionalId } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { addNoticeAttachments, MAX_NOTICE_ATTACHMENTS, removeNoticeAttachment } from './attachments.js';
import { markNoticeRead, myNotices, unreadNotices } from './feed.js';
import { createNotice, getNotice, listNotices, updateNotice, withdrawNotice } from './notices.js';
import { noticeResponses as res } from './schemas.js';
import { NOTICE_STATUSES } from './tables.js';

const fields = {
  regionId: bodyId, title: z.string().trim().min(1).max(100), body: z.string().trim().min(1).max(5000), pinned: z.boolean(),
  expiresAt: isoDateTime.nullable(),
};

/** 社区公告: the publishing side (notice:manage within scope) and the residents' feed. */
export async function noticeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const d = { db, bus: app.events, files: app.files };
  const tags = ['notices'];

  r.get('/api/notices', {
    config: { permission: 'notice:manage' },
    schema: {
      tags, summary: '公告管理列表：辖区内发布的公告（置顶在前、新的在前），含阅读率', response: res.list,
      querystring: pageQuery.extend({ q: z.string().trim().max(50).optional(), status: z.enum(NOTICE_STATUSES).optional(), regionId: optionalId, pinned: z.enum(['0', '1']).optional() }),
    },
  }, async (req) => listNotices(db, requireAuth(req), req.query, req.query));

  r.post('/api/notices', {
    config: { permission: 'notice:manage' },
    schema: {
      tags, summary: '发布公告（范围为辖区内的区、街道、社区、小区或楼栋；标题与正文中的手机号、身份证号、门牌号会被遮挡）', response: res.created,
      body: z.object({ ...fields, pinned: fields.pinned.optional(), expiresAt: fields.expiresAt.optional() }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createNotice(d, requireAuth(req), actorFromRequest(req), req.body)));

  r.get('/api/notices/mine', {
    schema: { tags, summary: '我的社区公告：范围包含本人住址、未过期未撤回的公告（置顶在前、新的在前）', querystring: pageQuery.extend({ unread: z.enum(['0', '1']).optional() }), response: res.feed },
  }, async (req) => myNotices(db, requireAuth(req), req.query, req.query));

  r.get('/api/notices/unread-count', {
    schema: { tags, summary: '我的未读公告数', response: res.unread },
  }, async (req) => unreadNotices(db, requireAuth(req)));

  r.get('/api/notices/:id', {
    schema: { tags, summary: '公告详情（发布方含阅读统计；居民可看本人范围内未过期的公告）', params: idParam, response: res.detail },
  }, async (req) => getNotice(db, requireAuth(req), req.params.id));

  r.patch('/api/notices/:id', {
    config: { permission: 'notice:manage' },
    schema: { tags, summary: '修改公告（未撤回的；改范围须仍在辖区内）', params: idParam, body: nonEmpty(z.object(fields).partial().strict()), response: res.updated },
  }, async (req) => updateNotice(d, requireAuth(req), actorFromRequest(req), req.params.id, req.body));

  r.delete('/api/notices/:id', {
    config: { permission: 'notice:manage' },
    schema: { tags, summary: '撤回公告（保留记录，居民不再看到；重复撤回不变）', params: idParam, response: res.updated },
  }, async (req) => withdrawNotice(d, requireAuth(req), actorFromRequest(req), req.params.id));

  r.post('/api/notices/:id/read', {
    schema: { tags, summary: '标记已读（本人范围内的公告；重复标记只记一次）', params: idParam, response: res.read },
  }, async (req) => markNoticeRead(db, requireAuth(req), req.params.id));

  r.post('/api/notices/:id/attachments', {
    config: { permission: 'notice:manage' },
    schema: {
      tags, summary: `上传公告附件（multipart 字段 files：图片或 PDF，每个不超过 10 MB；每条公告至多 ${MAX_NOTICE_ATTACHMENTS} 个）`, params: idParam,
      consumes: ['multipart/form-data'], response: res.attachments,
    },
  }, async (req) => addNoticeAttachments(d, requireAuth(req), actorFromRequest(req), req.params.id, (await readMultipart(req, 'files', MAX_NOTICE_ATTACHMENTS)).files));

  r.delete('/api/notices/:id/attachments/:fileId', {
    config: { permission: 'notice:manage' },
    schema: { tags, summary: '删除公告附件', params: z.object({ id: dbId, fileId: dbId }), response: res.ok },
  }, async (req) => removeNoticeAttachment(db, requireAuth(req), actorFromRequest(req), req.params.id, req.params.fileId));
}

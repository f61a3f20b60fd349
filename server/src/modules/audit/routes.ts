import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyAudit } from '../../core/audit.js';
import { optionalId, isoDate, isoDateTime } from '../../core/http.js';
import { pageQuery, paginate } from '../../core/paging.js';
import { auditResponses as res } from './schemas.js';

const when = isoDateTime.or(isoDate).optional();

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['audit'];

  r.get('/api/audit', {
    config: { permission: 'audit:read' },
    schema: {
      tags, summary: '审计日志（筛选：操作、操作人、对象、时间）', response: res.list,
      querystring: pageQuery.extend({ action: z.string().max(60).optional(), actorId: optionalId, actor: z.string().max(40).optional(), targetType: z.string().max(40).optional(), targetId: z.string().max(40).optional(), from: when, to: when }),
    },
  }, async (req) => {
    const f = req.query;
    let q = db.selectFrom('audit_log').select(['id', 'at', 'actor_id as actorId', 'actor_name as actorName', 'actor_role as actorRole', 'action', 'target_type as targetType', 'target_id as targetId', 'summary', 'ip', 'request_id as requestId', 'hash']).orderBy('id', 'desc');
    if (f.action) q = q.where('action', 'like', `${f.action}%`);
    if (f.actorId) q = q.where('actor_id', '=', f.actorId);
    if (f.actor) q = q.where('actor_name', '=', f.actor);
    if (f.targetType) q = q.where('target_type', '=', f.targetType);
    if (f.targetId) q = q.where('target_id', '=', f.targetId);
    if (f.from) q = q.where('at', '>=', new Date(f.from));
    if (f.to) q = q.where('at', '<', f.to.length === 10 ? new Date(new Date(f.to).getTime() + 86400_000) : new Date(f.to));
    return paginate(q, f);
  });

  r.get('/api/audit/verify', {
    config: { permission: 'audit:read' },
    schema: { tags, summary: '校验审计日志哈希链', response: res.verify },
  }, async () => verifyAudit(db));

  r.get('/api/audit/pi-access', {
    config: { permission: 'audit:read' },
    schema: { tags, summary: '个人信息查看与导出记录', response: res.piAccess, querystring: pageQuery.extend({ actorId: optionalId }) },
  }, async (req) => {
    let q = db.selectFrom('pi_access_log as l').leftJoin('accounts as a', 'a.id', 'l.actor_id')
      .select(['l.id', 'l.at', 'l.actor_id as actorId', 'a.username as actorName', 'l.kind', 'l.target_type as targetType', 'l.target_id as targetId', 'l.fields', 'l.purpose', 'l.ip'])
      .orderBy('l.id', 'desc');
    if (req.query.actorId) q = q.where('l.actor_id', '=', req.query.actorId);
    return paginate(q, req.query);
  });
}

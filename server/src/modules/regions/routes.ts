import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { idParam, optionalId, nonEmpty, bodyId } from '../../core/http.js';
import { pageQuery } from '../../core/paging.js';
import { REGION_LEVELS } from '../../core/schema.js';
import { createRegion, listGrids, regionChildren, regionDetail, regionTree, updateRegion } from './service.js';
import { regionResponses as res } from './schemas.js';

const area = z.number().positive().max(100000).multipleOf(0.01).nullable().optional().describe('专有部分面积 m²，两位小数');
const floor = z.number().int().min(-5).max(200).nullable().optional();

export async function regionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['regions'];

  r.get('/api/regions/tree', {
    config: { permission: 'region:read' },
    schema: { tags, summary: '本人数据范围内的区域树', response: res.tree, querystring: z.object({ maxLevel: z.enum(REGION_LEVELS as [string, ...string[]]).default('compound') }) },
  }, async (req) => ({ items: await regionTree(db, requireAuth(req), req.query.maxLevel as any) }));

  r.get('/api/regions/:id', {
    config: { permission: 'region:read' },
    schema: { tags, summary: '区域详情（含上级与统计）', params: idParam, response: res.detail },
  }, async (req) => regionDetail(db, requireAuth(req), req.params.id));

  r.get('/api/regions/:id/children', {
    config: { permission: 'region:read' },
    schema: { tags, summary: '下级区域（分页）', params: idParam, querystring: pageQuery, response: res.children },
  }, async (req) => regionChildren(db, requireAuth(req), req.params.id, req.query));

  r.post('/api/regions', {
    config: { permission: 'region:write' },
    schema: {
      tags, summary: '新增下级区域（层级由上级决定）', response: res.created,
      body: z.object({
        parentId: bodyId, name: z.string().trim().min(1).max(50), code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/),
        floor, area, sort: z.number().int().min(-1_000_000).max(1_000_000).optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createRegion(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.patch('/api/regions/:id', {
    config: { permission: 'region:write' },
    schema: {
      tags, summary: '修改区域', params: idParam, response: res.updated,
      body: nonEmpty(z.object({ name: z.string().trim().min(1).max(50).optional(), floor, area, sort: z.number().int().min(-1_000_000).max(1_000_000).optional() }).strict()),
    },
  }, async (req) => updateRegion(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body));

  r.get('/api/grids', {
    config: { permission: 'region:read' },
    schema: { tags, summary: '网格列表', querystring: pageQuery.extend({ communityId: optionalId }), response: res.grids },
  }, async (req) => listGrids(db, requireAuth(req), req.query.communityId, req.query));
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { idParam, bodyId } from '../../core/http.js';
import { createOrg, orgTree, updateOrg } from './service.js';
import { orgResponses as res } from './schemas.js';

const kinds = ['party_working_committee', 'party_committee', 'general_branch', 'branch', 'enterprise', 'social_org', 'institution'] as const;

export async function orgRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['organisations'];

  r.get('/api/orgs/tree', {
    config: { permission: 'org:read' },
    schema: { tags, summary: '组织树（党组织、企业、社会组织）', response: res.tree },
  }, async (req) => ({ items: await orgTree(db, requireAuth(req)) }));

  r.post('/api/orgs', {
    config: { permission: 'org:write' },
    schema: {
      tags, summary: '新增组织', response: res.created,
      body: z.object({
        parentId: bodyId.nullable().optional(), kind: z.enum(kinds), name: z.string().trim().min(1).max(80),
        code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/), regionId: bodyId,
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createOrg(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.patch('/api/orgs/:id', {
    config: { permission: 'org:write' },
    schema: { tags, summary: '修改组织', params: idParam, response: res.updated, body: z.object({ name: z.string().trim().min(1).max(80) }).strict() },
  }, async (req) => updateOrg(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body));
}

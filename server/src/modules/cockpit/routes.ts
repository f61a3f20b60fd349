import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireAuth } from '../../core/auth/plugin.js';
import { cockpitOverview } from './overview.js';
import { cockpitResponses as res } from './schemas.js';

export async function cockpitRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/cockpit/overview', {
    config: { permission: 'cockpit:read' },
    schema: { tags: ['cockpit'], summary: '驾驶舱：区域树的实时计数（街道、社区、小区、户、居民）及按街道分布', response: res.overview },
  }, async (req) => cockpitOverview(app.dbh.db, requireAuth(req), app.modules.flatMap((m) => (m.cockpit ? [m.cockpit] : []))));
}

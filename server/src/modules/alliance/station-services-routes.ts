import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { idParam, optionalId } from '../../core/http.js';
import { pageOf, pageQuery } from '../../core/paging.js';
import { stationServiceRecord } from './station-services-schemas.js';
import { finishService, getService, listServices, rateService, requestService, takeService } from './station-services.js';
import { STATION_SERVICE_CODES, STATION_SERVICE_STATUSES } from './stations-tables.js';

const note = z.string().trim().max(200).transform((s) => s || null).nullable().optional();

const one = { 200: stationServiceRecord };

/** Station services (站点服务): a resident asks, a party member or the station's side takes and finishes, the resident rates. */
export async function stationServiceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['stations'];

  r.post('/api/stations/:id/services', {
    schema: {
      tags, summary: '向便民服务站申请服务（居民本人；须为站点提供的服务）', params: idParam, response: { 201: stationServiceRecord },
      body: z.object({ service: z.enum(STATION_SERVICE_CODES), note }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await requestService(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body)));

  r.get('/api/station-services', {
    schema: {
      tags, summary: '站点服务：本人申请的（mine）、本人服务的（handling）、待接单的（open：党员看全区开放站点的，站点管理方看辖区的）、辖区站点的全部（managed）',
      querystring: pageQuery.extend({ view: z.enum(['mine', 'handling', 'open', 'managed']).optional(), status: z.enum(STATION_SERVICE_STATUSES).optional(), stationId: optionalId }),
      response: { 200: pageOf(stationServiceRecord) },
    },
  }, async (req) => listServices(db, requireAuth(req), req.query, req.query));

  r.get('/api/station-services/:id', {
    schema: { tags, summary: '站点服务详情（申请人、服务者、站点管理方；待接单的党员也可看）', params: idParam, response: one },
  }, async (req) => getService(db, requireAuth(req), req.params.id));

  r.post('/api/station-services/:id/take', {
    schema: { tags, summary: '接单（党员或站点管理方；先到先得，重复接单返回同一结果）', params: idParam, response: one },
  }, async (req) => takeService(db, requireAuth(req), actorFromRequest(req), req.params.id));

  r.post('/api/station-services/:id/done', {
    schema: { tags, summary: '服务完成（接单人；党员完成时按积分规则计分一次，重复提交返回同一结果）', params: idParam, body: z.object({ note }).strict(), response: one },
  }, async (req) => finishService(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.note ?? null));

  r.post('/api/station-services/:id/rating', {
    schema: {
      tags, summary: '评价站点服务（仅申请服务的居民本人，服务完成后，一次；1–5 星）', params: idParam, response: one,
      body: z.object({ rating: z.number().int().min(1).max(5), comment: note }).strict(),
    },
  }, async (req) => rateService(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.rating, req.body.comment ?? null));
}

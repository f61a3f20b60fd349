import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { readDbFor } from '../../core/read-replica.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { sendXlsx } from '../../core/excel.js';
import { bodyId, idParam, isoDate, nonEmpty, optionalId } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { visitorOf } from '../../core/visitor.js';
import { stationResponses as res } from './schemas.js';
import { importStations, STATION_PHONE, stationExport, stationTemplate } from './stations-excel.js';
import { closeStation, createStation, listManagedStations, reopenStation, updateStation } from './stations-manage.js';
import { stationStats } from './stations-stats.js';
import { STATION_KINDS, STATION_SERVICE_CODES, STATION_STATUSES } from './stations-tables.js';
import { checkIn, listStations } from './stations.js';

/** Degrees to 1e-7 (about 1 cm): a subnormal like 5e-324 is out of range for PostgreSQL's double precision. */
const coordinate = (limit: number) => z.coerce.number().min(-limit).max(limit).transform((n) => Math.round(n * 1e7) / 1e7 || 0);
const bodyCoordinate = (limit: number) => z.number().min(-limit).max(limit).transform((n) => Math.round(n * 1e7) / 1e7 || 0);
const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const optionalText = (max: number) => z.string().trim().max(max).transform((s) => s || null).nullable().optional();

const stationBody = z.object({
  name: text(2, 60), kind: z.enum(STATION_KINDS), regionId: bodyId.describe('所在社区'), address: text(1, 200),
  lat: bodyCoordinate(90), lng: bodyCoordinate(180), openingHours: text(1, 100).describe('如：08:00—20:00、全天'),
  services: z.array(z.enum(STATION_SERVICE_CODES)).min(1).max(STATION_SERVICE_CODES.length).transform((a) => [...new Set(a)]),
  ownerUnitId: bodyId.nullable().optional().describe('所属联盟单位（已认证）'), contactName: optionalText(40),
  contactPhone: z.string().trim().transform((s) => s.replace(/\s/g, '')).refine((s) => !s || STATION_PHONE.test(s), { message: 'invalid_format' })
    .transform((s) => s || null).nullable().optional().describe('手机号或座机'),
  description: optionalText(1000),
}).strict();

const listFilter = z.object({
  q: z.string().trim().min(1).max(40).optional(), kind: z.enum(STATION_KINDS).optional(), status: z.enum(STATION_STATUSES).optional(),
  service: z.enum(STATION_SERVICE_CODES).optional(), regionId: optionalId.describe('街道或社区'),
  from: isoDate.optional().describe('到站人次的统计起始日（默认近 30 天）'), to: isoDate.optional(),
});
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'invalid_format' }).refine((m) => Number(m.slice(0, 4)) >= 2000, { message: 'invalid_format' });
const statsQuery = z.object({ by: z.enum(['station', 'community']).default('station'), from: month.optional().describe('YYYY-MM（默认近 6 个月）'), to: month.optional() });

/**
 * Convenience stations (锋小巢, 歇歇脚): the public map and check-in, and the console's management
 * (station:manage, in the caller's scope): list, create, edit, close and reopen, Excel, check-in statistics.
 */
export async function stationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['stations'];
  const auth = (req: FastifyRequest) => requireAuth(req);
  const manage = { permission: 'station:manage' } as const;

  r.get('/api/stations', {
    config: { public: true, responseCache: { ns: ['stations'], signedIn: true } },
    schema: {
      tags, summary: '便民服务站（锋小巢、歇歇脚；仅开放中的；可按服务筛选，按距离排序）', response: res.stations,
      querystring: pageQuery.extend({ service: z.enum(STATION_SERVICE_CODES).optional(), kind: z.enum(STATION_KINDS).optional(), lat: coordinate(90).optional(), lng: coordinate(180).optional() }),
    },
  }, async (req) => listStations(readDbFor(req), req.query, req.query));

  r.post('/api/stations/:id/checkin', {
    config: { public: true },
    schema: { tags, summary: '到站签到（每位访客每天计一次；已关闭的站点 404）', params: idParam, response: res.checkin },
  }, async (req, reply) => checkIn(db, req.params.id, visitorOf(req, reply)));

  r.get('/api/stations/managed', {
    config: manage,
    schema: { tags, summary: '本人辖区内的便民服务站（后台列表，含已关闭的；附统计期与累计到站人次）', querystring: pageQuery.extend(listFilter.shape), response: res.managed },
  }, async (req) => listManagedStations(db, auth(req), req.query, req.query));

  r.post('/api/stations', {
    config: manage,
    schema: { tags, summary: '新建便民服务站（所在社区须在本人辖区内；同一社区内名称不重复）', body: stationBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createStation(db, auth(req), actorFromRequest(req), req.body)));

  r.patch('/api/stations/:id', {
    config: manage,
    schema: { tags, summary: '修改便民服务站（开放与关闭另有接口）', params: idParam, body: nonEmpty(stationBody.partial()), response: res.updated },
  }, async (req) => updateStation(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/stations/:id/close', {
    config: manage,
    schema: { tags, summary: '关闭便民服务站（须填写原因；关闭后不在居民端显示，到站记录保留）', params: idParam, body: z.object({ reason: text(2, 200) }).strict(), response: res.state },
  }, async (req) => closeStation(db, auth(req), actorFromRequest(req), req.params.id, req.body.reason));

  r.post('/api/stations/:id/reopen', {
    config: manage,
    schema: { tags, summary: '重新开放便民服务站（无请求体）', params: idParam, response: res.state },
  }, async (req) => reopenStation(db, auth(req), actorFromRequest(req), req.params.id));

  r.get('/api/stations/export.xlsx', {
    config: manage,
    schema: { tags, summary: '导出便民服务站 Excel（与列表筛选相同；前几列即导入模板，可修改后导回）', querystring: listFilter, response: res.export },
  }, async (req, reply) => stationExport(db, auth(req), req.query, reply));

  r.get('/api/stations/import-template.xlsx', {
    config: manage,
    schema: { tags, summary: '便民服务站导入模板', response: res.template },
  }, async (_req, reply) => stationTemplate(reply));

  r.post('/api/stations/import', {
    config: manage,
    schema: { tags, summary: '导入便民服务站（编号为空新建、有编号修改；整表导入，任一行有误则全部不导入并逐行报告）', consumes: ['multipart/form-data'], response: res.imported },
  }, async (req, reply) => reply.status(201).send(await importStations(db, auth(req), actorFromRequest(req), await readMultipart(req, 'file', 1))));

  r.get('/api/stations/stats', {
    config: manage,
    schema: { tags, summary: '到站统计：按站点或按社区，逐月（含已关闭站点的历史）', querystring: statsQuery, response: res.stats },
  }, async (req) => stationStats(db, auth(req), req.query.by, req.query));

  r.get('/api/stations/stats.xlsx', {
    config: manage,
    schema: { tags, summary: '导出到站统计 Excel', querystring: statsQuery, response: res.statsExport },
  }, async (req, reply) => {
    const s = await stationStats(db, auth(req), req.query.by, req.query);
    const byStation = s.by === 'station';
    type Row = (typeof s.items)[number];
    return sendXlsx(reply, `便民服务站到站统计-${s.from}至${s.to}.xlsx`, '统计', [
      { header: byStation ? '服务站' : '社区', key: 'name', width: 26, value: (x: Row) => x.name },
      ...(byStation
        ? [{ header: '所在社区', key: 'community', width: 12, value: (x: Row) => x.communityName }, { header: '状态', key: 'status', width: 8, value: (x: Row) => (x.status === 'closed' ? '已关闭' : '开放') }]
        : [{ header: '服务站数', key: 'stations', width: 10, value: (x: Row) => x.stations }, { header: '其中开放', key: 'open', width: 10, value: (x: Row) => x.openStations }]),
      ...s.months.map((m, i) => ({ header: m, key: `m${i}`, width: 10, value: (x: Row) => x.months[i] })),
      { header: '合计', key: 'total', width: 10, value: (x: Row) => x.total },
    ], s.items);
  });
}

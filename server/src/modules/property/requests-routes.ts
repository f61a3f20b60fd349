import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../../core/audit.js';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { sendXlsx } from '../../core/excel.js';
import { fieldError } from '../../core/errors.js';
import { bodyId, idParam, isoDate, optionalId } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { listOpen311Keys, revokeOpen311Key } from './open311-keys.js';
import { requestStreams } from './request-events.js';
import { acceptRequest, assignRequest, closeRequest, finishRequest, listAssignees, rateRequest, reopenRequest, startRequest, urgeRequest } from './request-flow.js';
import { requestOutcome, requestResponses, requestStatus } from './schemas.js';
import { addRequestPhotos, createRequest, getRequest, listRequests, listServiceAreas, listServiceTypes, myRequests, requestStats, type RequestDeps } from './service-requests.js';

const serviceCode = z.string().trim().min(2).max(40).regex(/^[a-z][a-z0-9_.-]+$/);
const text = (max: number) => z.string().trim().min(1).max(max);
const statsQuery = z.object({ by: z.enum(['compound', 'team', 'category']).default('compound'), from: isoDate.optional(), to: isoDate.optional() });

const createBody = z.object({
  serviceCode, description: text(2000), roomId: bodyId.optional(),
  lat: z.number().min(-90).max(90).optional(), lng: z.number().min(-180).max(180).optional(),
  attributes: z.record(z.string().max(40), z.union([z.string().max(500), z.number()])).optional(),
  preferredTime: text(100).optional(),
  requesterPersonId: bodyId.optional().describe('代居民提交（网格员、物业人员）：居民的人员编号'),
  contactName: text(40).optional(), contactPhone: z.string().regex(/^1[3-9]\d{9}$/, { message: 'invalid_phone' }).optional(),
}).strict().refine((b) => b.roomId != null || (b.lat != null && b.lng != null), { message: 'location_required', path: ['roomId'] })
  .refine((b) => (b.lat == null) === (b.lng == null), { message: 'required', path: ['lng'] });

export async function requestRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = (): RequestDeps => ({ db: app.dbh.db, files: app.files, bus: app.events });
  const stream = requestStreams(app);
  const db = app.dbh.db;
  const tags = ['service-requests'];
  const auth = (req: FastifyRequest) => requireAuth(req);
  const res = requestResponses;

  r.get('/api/service-types', { schema: { tags, summary: '报事类别（编码、名称、分组、时限、处理单位、附加字段）', response: res.types } },
    async () => ({ items: await listServiceTypes(db) }));

  r.get('/api/service-areas', {
    schema: { tags, summary: '可在地图上选点报事的小区中心（本人辖区内；选点归属最近的小区中心，3 公里内）', response: res.areas },
  }, async (req) => ({ items: await listServiceAreas(db, auth(req)) }));

  r.post('/api/service-requests', {
    schema: {
      tags, summary: '提交报事报修 / 家政 / 投诉建议（居民本人；网格员、物业人员可带 requesterPersonId 代居民提交）。位置：roomId 或 lat+lng', body: createBody, response: res.created,
    },
  }, async (req, reply) => reply.status(201).send(await createRequest(deps(), auth(req), actorFromRequest(req), req.body)));

  r.get('/api/service-requests', {
    config: { permission: 'request:handle' },
    schema: {
      tags, summary: '派单台：辖区内的报事（超时的在前；view=unassigned 待派、mine 我的、overdue 超时；按小区、类别筛选）', response: res.list,
      querystring: pageQuery.extend({
        view: z.enum(['all', 'unassigned', 'mine', 'overdue']).default('all'), status: requestStatus.optional(), compoundId: optionalId, communityId: optionalId,
        serviceCode: serviceCode.optional(), group: z.string().trim().min(1).max(20).optional(),
      }),
    },
  }, async (req) => listRequests(db, auth(req), req.query, req.query));

  // Live status for the H5: each stream hears only the steps of requests its caller may read.
  r.get('/api/service-requests/events', {
    schema: {
      tags, summary: '报事实时状态（SSE，事件 request：{requestId, kind, status, at}；仅本人可查看的报事；requestId= 只听一件）',
      querystring: z.object({ requestId: optionalId }), response: res.events,
    },
  }, async (req, reply) => stream(auth(req), reply, req.query.requestId));

  r.get('/api/me/service-requests', { schema: { tags, summary: '我的报事', querystring: pageQuery, response: res.list } },
    async (req) => myRequests(db, auth(req), req.query));

  r.get('/api/service-requests/stats', {
    config: { permission: 'request:dispatch' },
    schema: { tags, summary: '报事统计：按小区、处理单位或类别（数量、办结中位时长、按时办结率、评分）', querystring: statsQuery, response: res.stats },
  }, async (req) => requestStats(db, auth(req), req.query.by, req.query));

  r.get('/api/service-requests/stats.xlsx', {
    config: { permission: 'request:dispatch' },
    schema: { tags, summary: '导出报事统计 Excel', querystring: statsQuery, response: res.statsExport },
  }, async (req, reply) => {
    const s = await requestStats(db, auth(req), req.query.by, req.query);
    const head = { compound: '小区', team: '处理单位', category: '类别' }[req.query.by];
    return sendXlsx(reply, `报事统计-按${head}.xlsx`, '统计', [
      { header: head, key: 'key', width: 24, value: (x) => x.key },
      { header: '数量', key: 'volume', width: 10, value: (x) => x.volume },
      { header: '未办结', key: 'open', width: 10, value: (x) => x.open },
      { header: '已完成', key: 'done', width: 10, value: (x) => x.done },
      { header: '完成用时中位数(小时)', key: 'median', width: 20, value: (x) => x.medianHoursToDone },
      { header: '按时完成率(%)', key: 'sla', width: 14, value: (x) => x.slaMetPercent },
      { header: '评价数', key: 'rated', width: 10, value: (x) => x.rated },
      { header: '平均评分', key: 'rating', width: 10, value: (x) => x.averageRating },
    ], s.items);
  });

  r.get('/api/service-requests/:id', { schema: { tags, summary: '报事详情、处理时间线与当前可执行的操作', params: idParam, response: res.detail } },
    async (req) => getRequest(db, auth(req), req.params.id));

  r.post('/api/service-requests/:id/photos', {
    schema: { tags, summary: '补充报事照片（提交后、受理前；共不超过 9 张，multipart 字段 photos）', params: idParam, consumes: ['multipart/form-data'], response: res.photos },
  }, async (req) => {
    const form = await readMultipart(req, 'photos', 9);
    return { photos: await addRequestPhotos(deps(), auth(req), actorFromRequest(req), req.params.id, form.files) };
  });

  r.post('/api/service-requests/:id/accept', { config: { permission: 'request:handle' }, schema: { tags, summary: '受理', params: idParam, response: res.moved } },
    async (req) => acceptRequest(deps(), auth(req), actorFromRequest(req), req.params.id));

  r.post('/api/service-requests/:id/assign', {
    config: { permission: 'request:handle' },
    schema: { tags, summary: '派单（调度员指定处理人 assigneeId）或抢单（处理单位成员，body 为 {}）', params: idParam, body: z.object({ assigneeId: bodyId.optional() }).strict(), response: res.assigned },
  }, async (req) => assignRequest(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.assigneeId));

  r.get('/api/service-requests/:id/assignees', {
    config: { permission: 'request:dispatch' },
    schema: { tags, summary: '可派单的处理人：处理单位中辖区覆盖该报事的在岗账号（须当前可派单）', params: idParam, response: res.assignees },
  }, async (req) => ({ items: await listAssignees(db, auth(req), req.params.id) }));

  r.post('/api/service-requests/:id/start', { config: { permission: 'request:handle' }, schema: { tags, summary: '开始处理（处理人）', params: idParam, response: res.moved } },
    async (req) => startRequest(deps(), auth(req), actorFromRequest(req), req.params.id));

  r.post('/api/service-requests/:id/done', {
    config: { permission: 'request:handle' },
    schema: { tags, summary: '处理完成：JSON {"note"}，或 multipart（note 与 0–9 张 photos）', params: idParam, consumes: ['application/json', 'multipart/form-data'], response: res.moved },
  }, async (req) => {
    let note: unknown, files: Buffer[] = [];
    if (req.isMultipart()) { const form = await readMultipart(req, 'photos', 9); note = form.fields.note; files = form.files; } else note = (req.body as { note?: unknown } | undefined)?.note;
    const parsed = text(1000).safeParse(note);
    if (!parsed.success) throw fieldError('note', note == null ? 'required' : 'invalid');
    return finishRequest(deps(), auth(req), actorFromRequest(req), req.params.id, parsed.data, files);
  });

  r.post('/api/service-requests/:id/rate', {
    schema: { tags, summary: '评价（报事人，1–5 星与文字）', params: idParam, body: z.object({ rating: z.number().int().min(1).max(5), text: text(500).optional() }).strict(), response: res.moved },
  }, async (req) => rateRequest(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.rating, req.body.text));

  r.post('/api/service-requests/:id/close', {
    config: { permission: 'request:dispatch' },
    schema: {
      tags, summary: '办结并记录结果：fixed 已解决 / not_ours 非本单位职责 / duplicate 重复件（duplicateOf）/ referred 转交（referredTo）', params: idParam, response: res.moved,
      body: z.object({ outcome: requestOutcome, duplicateOf: bodyId.optional(), referredTo: text(100).optional(), note: text(500).optional() }).strict(),
    },
  }, async (req) => closeRequest(deps(), auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/service-requests/:id/reopen', {
    schema: { tags, summary: '重新打开（报事人，完成后 7 天内）', params: idParam, body: z.object({ reason: text(500) }).strict(), response: res.moved },
  }, async (req) => reopenRequest(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.reason));

  r.post('/api/service-requests/:id/urge', { schema: { tags, summary: '催办（报事人，每 30 分钟至多一次；过早 429）', params: idParam, response: res.urged } },
    async (req) => urgeRequest(deps(), auth(req), actorFromRequest(req), req.params.id));

  r.post('/api/open311/keys', {
    config: { permission: 'open311:keys' },
    schema: { tags: ['open311'], summary: '为 Open311 客户端签发 api_key（只显示一次；库中只存哈希）', body: z.object({ name: text(60) }).strict(), response: res.key },
  }, async (req, reply) => {
    const apiKey = `o311_${randomBytes(24).toString('base64url')}`;
    const row = await db.transaction().execute(async (tx) => {
      const c = await tx.insertInto('open311_clients').values({ name: req.body.name, key_hash: hashApiKey(apiKey), created_by: auth(req).accountId }).returning(['id', 'name']).executeTakeFirstOrThrow();
      await appendAudit(tx, actorFromRequest(req), { action: 'open311.key_issue', targetType: 'open311_client', targetId: c.id, summary: { name: c.name } });
      return c;
    });
    return reply.status(201).send({ ...row, apiKey });
  });

  r.get('/api/open311/keys', {
    config: { permission: 'open311:keys' },
    schema: { tags: ['open311'], summary: '已签发的 Open311 客户端（不含密钥）', querystring: pageQuery, response: res.keys },
  }, async (req) => listOpen311Keys(db, req.query));

  r.post('/api/open311/keys/:id/revoke', {
    config: { permission: 'open311:keys' },
    schema: { tags: ['open311'], summary: '吊销 Open311 客户端密钥（此后用它提交报事返回 403）', params: idParam, response: res.keyRevoked },
  }, async (req) => revokeOpen311Key(db, actorFromRequest(req), req.params.id));
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

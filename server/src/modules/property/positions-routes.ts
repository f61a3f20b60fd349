import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { sendXlsx } from '../../core/excel.js';
import { dbId, idParam, isoDate, isoDateTime, nonEmpty, optionalId } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { bookingStats } from './booking-stats.js';
import { bookRoom, cancelBooking, checkInBooking, decideBooking, getBooking, listBookings, myBookings } from './bookings.js';
import { addPositionPhotos, deletePositionPhoto, publicPositionPhoto } from './position-photos.js';
import { BOOKING_STATUSES, POSITION_LEVELS, ROOM_KINDS, WHO_MAY_BOOK } from './positions-tables.js';
import { createPosition, createRoom, getPosition, listManagedPositions, listPositions, roomCheckinCode, roomSlots, staffCandidates, updatePosition, updateRoom } from './positions.js';
import { positionResponses } from './schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'invalid_format' });

const positionBody = z.object({
  level: z.enum(POSITION_LEVELS), name: text(60), regionId: z.number().int().positive().max(2147483647), address: text(200),
  lat: z.number().min(-90).max(90).nullable().optional(), lng: z.number().min(-180).max(180).nullable().optional(),
  hours: z.string().trim().max(100).optional(), opensAt: clock.optional(), closesAt: clock.optional(), description: z.string().trim().max(2000).nullable().optional(),
  staffAccountIds: z.array(z.number().int().positive().max(2147483647)).max(50).optional(), active: z.boolean().optional(),
}).strict();
const roomFields = {
  name: text(60), kind: z.enum(ROOM_KINDS), capacity: z.number().int().min(1).max(10000), equipment: z.array(text(40)).max(30).optional(),
  whoMayBook: z.enum(WHO_MAY_BOOK).optional().describe('compound_residents 本小区居民 / any_resident 居民 / units 联盟单位 / workers 仅工作人员'),
  advanceDays: z.number().int().min(0).max(365).optional().describe('最多提前几天预约'), maxMinutes: z.number().int().min(15).max(1440).optional().describe('单次最长（分钟）'),
  needsApproval: z.boolean().optional(), active: z.boolean().optional(),
};
const statsQuery = z.object({ by: z.enum(['room', 'position']).default('room'), from: isoDate.optional(), to: isoDate.optional() });

export async function positionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['positions'];
  const auth = (req: FastifyRequest) => requireAuth(req);
  const res = positionResponses;

  r.get('/api/positions', {
    config: { public: true, responseCache: { ns: ['positions'], signedIn: true } },
    schema: {
      tags, summary: '党群服务阵地（1+1+N：街道中心、社区中心、小区服务站）及其功能室与预约规则（公开）', response: res.positions,
      querystring: pageQuery.extend({ level: z.enum(POSITION_LEVELS).optional(), regionId: optionalId, q: z.string().trim().min(1).max(40).optional() }),
    },
  }, async (req) => listPositions(db, req.query, req.query));

  r.get('/api/rooms/:id/slots', {
    config: { public: true },
    schema: { tags, summary: '功能室某日（北京时间）的 30 分钟时段与占用情况（不含预约人信息）', params: idParam, querystring: z.object({ date: isoDate }), response: res.slots },
  }, async (req) => roomSlots(db, req.params.id, req.query.date));

  r.post('/api/positions', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '新建阵地（层级须与所在区域一致，区域须在本人辖区内）', body: positionBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createPosition(db, auth(req), actorFromRequest(req), req.body)));

  r.get('/api/positions/managed', {
    config: { permission: 'property:manage' },
    schema: {
      tags, summary: '本人辖区内的阵地（后台列表，含已停用的阵地与功能室）', response: res.managed,
      querystring: pageQuery.extend({ level: z.enum(POSITION_LEVELS).optional(), q: z.string().trim().min(1).max(40).optional(), active: z.enum(['true', 'false']).optional() }),
    },
  }, async (req) => listManagedPositions(db, auth(req), { ...req.query, active: req.query.active == null ? undefined : req.query.active === 'true' }, req.query));

  r.get('/api/positions/:id', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '阵地详情（后台）：全部功能室与值班人员', params: idParam, response: res.position },
  }, async (req) => getPosition(db, auth(req), req.params.id));

  r.patch('/api/positions/:id', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '修改阵地（停用：active=false）', params: idParam, body: nonEmpty(positionBody.omit({ level: true, regionId: true }).partial()), response: res.updated },
  }, async (req) => updatePosition(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.get('/api/positions/:id/photos/:fileId', {
    config: { public: true },
    schema: { tags, summary: '阵地照片（公开；仅在其所属阵地下提供）', params: z.object({ id: dbId, fileId: dbId }), querystring: z.object({ thumb: z.enum(['0', '1']).optional() }), response: res.photo },
  }, async (req, reply) => {
    const f = await publicPositionPhoto(db, app.files, req.params.id, req.params.fileId, req.query.thumb === '1');
    return reply.type(f.mime).header('cache-control', 'public, max-age=86400').send(f.bytes);
  });

  r.post('/api/positions/:id/photos', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '上传阵地照片（multipart 字段 photos，1–9 张；每个阵地至多 9 张）', params: idParam, consumes: ['multipart/form-data'], response: res.photos },
  }, async (req) => {
    const form = await readMultipart(req, 'photos', 9);
    return { photos: await addPositionPhotos({ db, files: app.files }, auth(req), actorFromRequest(req), req.params.id, form.files) };
  });

  r.post('/api/positions/:id/photos/:fileId/delete', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '删除阵地照片', params: z.object({ id: dbId, fileId: dbId }), response: res.updated },
  }, async (req) => deletePositionPhoto(db, auth(req), actorFromRequest(req), req.params.id, req.params.fileId));

  r.get('/api/positions/:id/staff-candidates', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '可设为值班人员的工作人员账号（本人辖区内、辖区在该阵地区域内或其上级社区/街道；PATCH staffAccountIds 设置）', params: idParam, response: res.staffCandidates },
  }, async (req) => staffCandidates(db, auth(req), req.params.id));

  r.post('/api/positions/:id/rooms', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '新建功能室（生成签到二维码密钥）', params: idParam, body: z.object(roomFields).strict(), response: res.created },
  }, async (req, reply) => reply.status(201).send(await createRoom(db, auth(req), actorFromRequest(req), req.params.id, req.body)));

  r.patch('/api/rooms/:id', {
    config: { permission: 'property:manage' },
    schema: {
      tags, summary: '修改功能室与预约规则（rotateCode=true 更换签到二维码）', params: idParam, response: res.updated,
      body: nonEmpty(z.object({ ...roomFields, rotateCode: z.boolean().optional() }).strict().partial()),
    },
  }, async (req) => updateRoom(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.get('/api/rooms/:id/qr', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '功能室门口签到二维码的内容（阵地工作人员）', params: idParam, response: res.qr },
  }, async (req) => {
    const c = await roomCheckinCode(db, auth(req), req.params.id);
    return { ...c, url: `${req.protocol}://${req.host}/checkin?room=${c.roomId}&code=${encodeURIComponent(c.code)}` };
  });

  r.post('/api/rooms/:id/bookings', {
    schema: {
      tags, summary: '预约功能室（ISO 时间；与已有预约时段重叠返回 409 booking_overlap）', params: idParam, response: res.booked,
      body: z.object({ startsAt: isoDateTime, endsAt: isoDateTime, purpose: text(200), headcount: z.number().int().min(1).max(10000) }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await bookRoom(db, auth(req), actorFromRequest(req), req.params.id, req.body)));

  r.get('/api/me/bookings', { schema: { tags, summary: '我的预约（含当前可执行的操作）', querystring: pageQuery, response: res.bookings } },
    async (req) => myBookings(db, auth(req), req.query));

  r.get('/api/bookings', {
    config: { permission: 'property:manage' },
    schema: {
      tags, summary: '辖区内的预约（status=pending 为待审批；positionId + from/to 为阵地的周日历）', response: res.bookings,
      querystring: pageQuery.extend({ status: z.enum(BOOKING_STATUSES).optional(), positionId: optionalId, roomId: optionalId, from: isoDate.optional(), to: isoDate.optional() }),
    },
  }, async (req) => listBookings(db, auth(req), req.query, req.query));

  r.get('/api/bookings/stats', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '功能室使用统计：按功能室或阵地（预约时长、使用时长、占用率）', querystring: statsQuery, response: res.stats },
  }, async (req) => bookingStats(db, auth(req), req.query.by, req.query));

  r.get('/api/bookings/stats.xlsx', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '导出功能室使用统计 Excel', querystring: statsQuery, response: res.statsExport },
  }, async (req, reply) => {
    const s = await bookingStats(db, auth(req), req.query.by, req.query);
    const room = s.by === 'room';
    return sendXlsx(reply, `功能室使用统计-${s.from}至${s.to}.xlsx`, '统计', [
      { header: room ? '功能室' : '阵地', key: 'name', width: 24, value: (x) => x.name },
      ...(room ? [{ header: '所属阵地', key: 'position', width: 24, value: (x: (typeof s.items)[number]) => x.positionName }] : []),
      { header: '预约次数', key: 'bookings', width: 10, value: (x) => x.bookings },
      { header: '爽约次数', key: 'noShows', width: 10, value: (x) => x.noShows },
      { header: '开放时长(小时)', key: 'open', width: 14, value: (x) => x.openHours },
      { header: '预约时长(小时)', key: 'booked', width: 14, value: (x) => x.hoursBooked },
      { header: '使用时长(小时)', key: 'used', width: 14, value: (x) => x.hoursUsed },
      { header: '占用率(%)', key: 'occupancy', width: 12, value: (x) => x.occupancyPercent },
    ], s.items);
  });

  r.get('/api/bookings/:id', { schema: { tags, summary: '预约详情与当前可执行的操作', params: idParam, response: res.booking } },
    async (req) => getBooking(db, auth(req), req.params.id));

  r.post('/api/bookings/:id/cancel', {
    schema: {
      tags, summary: '取消预约（预约人：开始前；阵地工作人员：须填写原因）', params: idParam, response: res.moved,
      body: z.object({ reason: text(200).optional() }).strict().optional(),
    },
  }, async (req) => cancelBooking(db, auth(req), actorFromRequest(req), req.params.id, req.body?.reason));

  r.post('/api/bookings/:id/checkin', {
    schema: { tags, summary: '扫码签到（功能室门口二维码中的 code；开始前后 15 分钟内）', params: idParam, body: z.object({ code: z.string().min(1).max(64) }).strict(), response: res.moved },
  }, async (req) => checkInBooking(db, auth(req), actorFromRequest(req), req.params.id, req.body.code));

  r.post('/api/bookings/:id/approve', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '审批通过（需审批的功能室）', params: idParam, body: z.object({ note: text(200).optional() }).strict().optional(), response: res.moved },
  }, async (req) => decideBooking(db, auth(req), actorFromRequest(req), req.params.id, true, req.body?.note));

  r.post('/api/bookings/:id/reject', {
    config: { permission: 'property:manage' },
    schema: { tags, summary: '审批不通过（须填写原因）', params: idParam, body: z.object({ reason: text(200) }).strict(), response: res.moved },
  }, async (req) => decideBooking(db, auth(req), actorFromRequest(req), req.params.id, false, req.body.reason));
}

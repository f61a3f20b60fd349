import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { sendXlsx } from '../../core/excel.js';
import { bodyId, idParam, isoDate, isoDateTime, optionalId } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { binary, XLSX } from '../../core/response.js';
import { addActivityPhotos, createActivity, getActivity, listActivities, recordMinutes } from './activities.js';
import { attendanceStats } from './attendance-stats.js';
import { checkIn } from './checkin.js';
import { listRules, memberPoints, myParty, pointRankings, type RankItem, updateRules } from './points.js';
import { activityResponses as res } from './schemas.js';
import { ACTIVITY_KINDS, POINT_RULES } from './tables.js';
import { memberRatings } from './service-credits.js';
import { createPost, decideOffer, listPosts, recordHours, volunteer } from './volunteer-posts.js';

const statsQuery = z.object({ organisationId: optionalId, from: isoDate.optional(), to: isoDate.optional() });
const rankQuery = z.object({ by: z.enum(['member', 'organisation', 'community']).default('member'), organisationId: optionalId });

/** Organisation life (三会一课) with QR sign-in and attendance, points (积分): rules, ledgers, rankings, and 请缨 posts. */
export async function partyActivityRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['party'];

  r.get('/api/party/activities', {
    schema: {
      tags, summary: '组织生活（三会一课、主题党日）：组织一方看辖区党组织的，党员看本人应参加的（mine=1 只看本人的）', response: res.activities,
      querystring: pageQuery.extend({ organisationId: optionalId, kind: z.enum(ACTIVITY_KINDS).optional(), from: isoDate.optional(), to: isoDate.optional(), mine: z.enum(['0', '1']).optional() }),
    },
  }, async (req) => listActivities(db, requireAuth(req), { ...req.query, mine: req.query.mine === '1' }, req.query));

  r.post('/api/party/activities', {
    config: { permission: 'party:manage' },
    schema: {
      tags, summary: '安排组织生活（辖区内党组织；该组织及其下级组织的党员参加，另可邀请其他党员）', response: res.activityCreated,
      body: z.object({
        organisationId: bodyId, kind: z.enum(ACTIVITY_KINDS), topic: z.string().trim().min(1).max(100), place: z.string().trim().min(1).max(100),
        startsAt: isoDateTime, endsAt: isoDateTime, invitedMemberIds: z.array(bodyId).max(200).optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createActivity(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.get('/api/party/activities/stats', {
    config: { permission: 'party:read' },
    schema: { tags, summary: '出勤率统计：按党组织与按党员（已开始的活动；日期按开始时间）', querystring: statsQuery, response: res.stats },
  }, async (req) => attendanceStats(db, requireAuth(req), req.query));

  r.get('/api/party/activities/stats.xlsx', {
    config: { permission: 'party:read' },
    schema: { tags, summary: '导出党员出勤率 Excel', querystring: statsQuery, response: { 200: binary(XLSX, '党员出勤率') } },
  }, async (req, reply) => {
    const s = await attendanceStats(db, requireAuth(req), req.query);
    return sendXlsx(reply, `党员出勤率-${new Date().toISOString().slice(0, 10)}.xlsx`, '党员出勤率', [
      { header: '编号', key: 'id', width: 8, value: (m) => m.id },
      { header: '姓名', key: 'name', width: 12, value: (m) => m.name },
      { header: '所在党组织', key: 'organisation', width: 28, value: (m) => m.organisation },
      { header: '应到次数', key: 'expected', width: 10, value: (m) => m.expected },
      { header: '实到次数', key: 'attended', width: 10, value: (m) => m.attended },
      { header: '出勤率(%)', key: 'rate', width: 10, value: (m) => m.rate },
    ], s.members);
  });

  r.get('/api/party/activities/:id', {
    schema: { tags, summary: '组织生活详情（组织一方含签到名单、会议记录与签到二维码；参加的党员可看活动与本人签到）', params: idParam, response: res.activity },
  }, async (req) => getActivity(db, app.secrets, requireAuth(req), req.params.id, `${req.protocol}://${req.host}`));

  r.post('/api/party/activities/:id/minutes', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '填写会议记录', params: idParam, body: z.object({ minutes: z.string().trim().min(1).max(5000) }).strict(), response: res.updated },
  }, async (req) => recordMinutes(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.minutes));

  r.post('/api/party/activities/:id/photos', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '上传活动照片（multipart 字段 photos，1–9 张；每个活动至多 9 张）', params: idParam, consumes: ['multipart/form-data'], response: res.photos },
  }, async (req) => addActivityPhotos({ db, files: app.files }, requireAuth(req), actorFromRequest(req), req.params.id, (await readMultipart(req, 'photos', 9)).files));

  r.post('/api/party/activities/:id/checkin', {
    schema: {
      tags, summary: '扫码签到（二维码中的签名令牌；活动开始前后 30 分钟内；本组织及受邀党员；重复签到返回同一结果）', params: idParam, response: res.checkin,
      body: z.object({ token: z.string().trim().min(1).max(200) }).strict(),
    },
  }, async (req) => checkIn(db, app.secrets, requireAuth(req), actorFromRequest(req), req.params.id, req.body.token));

  r.get('/api/party/me', {
    schema: { tags, summary: '我的组织：本人党员信息、所在党组织与积分合计（账号须关联党员）', response: res.me },
  }, async (req) => myParty(db, requireAuth(req)));

  r.get('/api/party/members/:id/points', {
    schema: { tags, summary: '党员积分明细（每条含规则、来源与分值）与合计，及居民对其服务的评价（组织一方在辖区内，或党员本人）', params: idParam, response: res.ledger },
  }, async (req) => {
    const ledger = await memberPoints(db, requireAuth(req), req.params.id); // decides who may read it
    return { ...ledger, ratings: await memberRatings(db, req.params.id) };
  });

  r.get('/api/party/points/rankings', {
    config: { permission: 'party:read' },
    schema: { tags, summary: '积分排行：按党员、党组织或社区（辖区内党员）', querystring: rankQuery, response: res.rankings },
  }, async (req) => pointRankings(db, requireAuth(req), req.query));

  r.get('/api/party/points/rankings.xlsx', {
    config: { permission: 'party:read' },
    schema: { tags, summary: '导出积分排行 Excel', querystring: rankQuery, response: { 200: binary(XLSX, '积分排行') } },
  }, async (req, reply) => {
    const s = await pointRankings(db, requireAuth(req), req.query);
    const what = { member: '党员', organisation: '党组织', community: '社区' }[s.by];
    return sendXlsx(reply, `积分排行-${what}-${new Date().toISOString().slice(0, 10)}.xlsx`, `积分排行（${what}）`, [
      { header: '名次', key: 'rank', width: 6, value: (x) => x.rank },
      { header: what, key: 'name', width: 24, value: (x) => x.name },
      ...(s.by === 'member' ? [{ header: '所在党组织', key: 'organisation', width: 28, value: (x: RankItem) => x.organisation }] : [{ header: '党员数', key: 'members', width: 8, value: (x: RankItem) => x.members }]),
      { header: '积分', key: 'points', width: 8, value: (x) => x.points },
    ], s.items);
  });

  r.get('/api/party/points/rules', {
    config: { permission: 'party:read' },
    schema: { tags, summary: '积分规则（区级设定）', response: res.rules },
  }, async () => listRules(db));

  r.put('/api/party/points/rules', {
    config: { permission: 'party:rules' },
    schema: {
      tags, summary: '修改积分规则（仅区级；此后的事件按新分值计分，已记积分不变）', response: res.rules,
      body: z.object({ rules: z.array(z.object({ code: z.enum(POINT_RULES), points: z.number().int().min(0).max(1000).optional(), active: z.boolean().optional() }).strict()).min(1).max(POINT_RULES.length) }).strict(),
    },
  }, async (req) => updateRules(db, actorFromRequest(req), req.body.rules));

  r.get('/api/party/posts', {
    schema: { tags, summary: '请缨岗位：党员看全区招募中的岗位（含本人请缨），组织一方看辖区党组织的岗位与请缨名单', querystring: pageQuery, response: res.posts },
  }, async (req) => listPosts(db, requireAuth(req), req.query));

  r.post('/api/party/posts', {
    config: { permission: 'party:manage' },
    schema: {
      tags, summary: '发布请缨岗位（辖区内党组织，如防疫卡口值守、志愿服务岗）', response: res.postCreated,
      body: z.object({
        organisationId: bodyId, title: z.string().trim().min(1).max(100), description: z.string().trim().max(1000).optional(), place: z.string().trim().min(1).max(100),
        startsOn: isoDate, endsOn: isoDate, slots: z.number().int().min(1).max(500),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createPost(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.post('/api/party/posts/:id/volunteer', {
    schema: { tags, summary: '我要请缨（党员；每个岗位一次，重复请缨返回同一结果）', params: idParam, body: z.object({ note: z.string().trim().max(200).nullable().optional() }).strict(), response: res.offer },
  }, async (req) => volunteer(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.note || null));

  r.post('/api/party/offers/:id/hours', {
    config: { permission: 'party:manage' },
    schema: {
      tags, summary: '登记志愿服务时长（岗位所属党组织一方；已接受的请缨、岗位开始后；登记一次，按积分规则每小时计分；重复提交相同时长返回同一结果）', params: idParam, response: res.offerHours,
      body: z.object({ hours: z.number().multipleOf(0.5).min(0.5).max(500) }).strict(),
    },
  }, async (req) => recordHours(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.hours));

  r.post('/api/party/offers/:id/decide', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '接受或婉拒请缨（岗位所属党组织一方；只能处理一次；接受不超过名额）', params: idParam, body: z.object({ decision: z.enum(['accepted', 'declined']) }).strict(), response: res.offerDecided },
  }, async (req) => decideOffer(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.decision));
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { bodyId, dbId, idParam, isoDate, nonEmpty } from '../../core/http.js';
import { pageQuery } from '../../core/paging.js';
import { CHECKLIST, getAssessment, myRating, rateCompound, saveAssessment, type ChecklistScores } from './compound-assessment.js';
import { compoundRanking } from './compound-figures.js';
import { createMeeting, finishFollowUp, listMeetings, myFollowUps } from './compound-meetings.js';
import { compoundParties, createParty, createPost, updateParty, updatePost } from './compound-parties.js';
import { compoundResponses as res } from './compound-schemas.js';
import { FOLLOW_UP_STATUSES, PARTY_KINDS } from './compound-tables.js';
import { myGridWorker } from './my-grid-worker.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
export const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'invalid_month' }).refine((m) => m >= '2000-01', { message: 'invalid_month' });
const compoundParam = z.object({ regionId: dbId });

const partyBody = z.object({
  kind: z.enum(PARTY_KINDS).describe('residents_committee 居委会 / owners_committee 业委会 / property_company 物业 / grid 网格'),
  name: text(60), organisationId: bodyId.nullable().optional().describe('物业公司等组织'), gridId: bodyId.nullable().optional().describe('网格（仅网格）'),
  office: optionalText(100).describe('办公地点'), hours: optionalText(100).describe('接待时间'), sort: z.number().int().min(0).max(1000).optional(),
}).strict();
const postBody = z.object({
  personId: bodyId.describe('任职人员（须在本人辖区内）'), title: text(30).describe('职务，如 主任、委员、项目经理、网格员'), since: isoDate.nullable().optional(),
  accountId: bodyId.nullable().optional().describe('该人员的系统账号：交办事项进入其待办'), sort: z.number().int().min(0).max(1000).optional(),
}).strict();
const followUpBody = z.object({
  task: text(500), dueOn: isoDate,
  ownerAccountId: bodyId.optional().describe('负责人账号'), ownerPostId: bodyId.optional().describe('或：本小区的任职（须关联账号）'),
}).strict().refine((f) => (f.ownerAccountId == null) !== (f.ownerPostId == null), { message: 'owner_one_of', path: ['ownerAccountId'] });
const meetingBody = z.object({
  heldOn: isoDate, title: text(100), place: text(100).optional(),
  topics: z.array(text(200)).min(1).max(20), decisions: z.array(text(500)).max(20).optional(),
  attendeePostIds: z.array(bodyId).min(1).max(100).describe('出席的本小区任职人员'), guests: z.array(text(40)).max(30).optional().describe('列席人员（无本小区任职）'),
  followUps: z.array(followUpBody).max(30).optional(),
}).strict();
const scores = z.object(Object.fromEntries(CHECKLIST.map((i) => [i.code, z.number().int().min(0).max(i.max).describe(`${i.name}（满分 ${i.max}）`)]))).strict();

export async function compoundRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['compounds'];
  const auth = (req: FastifyRequest) => requireAuth(req);

  r.get('/api/compounds/:regionId/parties', {
    schema: {
      tags, summary: '小区四方联动：居委会、业委会、物业、网格的人员与联系方式（电话脱敏）、党员亮身份、交叉任职（辖区工作人员与本小区居民可看）',
      params: compoundParam, response: res.parties,
    },
  }, async (req) => compoundParties(db, auth(req), req.params.regionId));

  r.post('/api/compounds/:regionId/parties', {
    config: { permission: 'compound:manage' },
    schema: { tags, summary: '新建小区的一方组织（居委会、业委会、物业、网格）', params: compoundParam, body: partyBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createParty(db, auth(req), actorFromRequest(req), req.params.regionId, req.body)));

  r.patch('/api/compound-parties/:id', {
    config: { permission: 'compound:manage' },
    schema: { tags, summary: '修改组织（名称、办公地点、接待时间等）', params: idParam, body: nonEmpty(partyBody.omit({ kind: true }).partial()), response: res.updated },
  }, async (req) => updateParty(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/compound-parties/:id/posts', {
    config: { permission: 'compound:manage' },
    schema: { tags, summary: '任职：某人在该组织担任职务（同一人可在多个组织任职，即交叉任职）', params: idParam, body: postBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createPost(db, auth(req), actorFromRequest(req), req.params.id, req.body)));

  r.patch('/api/compound-posts/:id', {
    config: { permission: 'compound:manage' },
    schema: {
      tags, summary: '修改任职（职务、任职日期、账号）；endedOn 为离任日期，离任后不再显示', params: idParam, response: res.updated,
      body: nonEmpty(postBody.omit({ personId: true }).extend({ endedOn: isoDate.optional() }).partial()),
    },
  }, async (req) => updatePost(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/compounds/:regionId/meetings', {
    config: { permission: 'compound:meet' },
    schema: { tags, summary: '记录四方联席会议：出席人员、议题、决定与交办事项（负责人、期限，进入负责人的待办）', params: compoundParam, body: meetingBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createMeeting(db, auth(req), actorFromRequest(req), req.params.regionId, req.body)));

  r.get('/api/compounds/:regionId/meetings', {
    config: { permission: 'compound:read' },
    schema: { tags, summary: '小区的四方联席会议记录（新的在前）与交办事项进度', params: compoundParam, querystring: pageQuery, response: res.meetings },
  }, async (req) => listMeetings(db, auth(req), req.params.regionId, req.query));

  r.get('/api/me/grid-worker', {
    schema: { tags, summary: '我的网格员：本人住所所在网格的网格员（无则本小区居委会）姓名与电话，供长辈一键拨打（记录查看）', response: res.myGridWorker },
  }, async (req) => myGridWorker(db, auth(req), actorFromRequest(req)));

  r.get('/api/me/follow-ups', {
    schema: { tags, summary: '我的待办：四方联席会议交办给我的事项（未完成的在前，按期限）', querystring: pageQuery.extend({ status: z.enum(FOLLOW_UP_STATUSES).optional() }), response: res.followUps },
  }, async (req) => myFollowUps(db, auth(req), req.query, req.query));

  r.post('/api/me/follow-ups/:id/done', {
    schema: { tags, summary: '标记交办事项已完成（仅负责人）', params: idParam, body: z.object({ note: text(500).optional() }).strict().optional(), response: res.followUpDone },
  }, async (req) => finishFollowUp(db, auth(req), actorFromRequest(req), req.params.id, req.body?.note));

  r.post('/api/compounds/:regionId/ratings', {
    schema: {
      tags, summary: '居民评价本小区本月的物业服务（1–5 分；每户每月一次，重复提交返回 409）', params: compoundParam, response: res.rated,
      body: z.object({ score: z.number().int().min(1).max(5), comment: text(500).optional() }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await rateCompound(db, auth(req), actorFromRequest(req), req.params.regionId, req.body)));

  r.get('/api/compounds/:regionId/ratings/mine', {
    schema: { tags, summary: '本户本月是否已评价本小区', params: compoundParam, response: res.myRating },
  }, async (req) => myRating(db, auth(req), req.params.regionId));

  r.put('/api/compounds/:regionId/assessments/:month', {
    config: { permission: 'compound:assess' },
    schema: {
      tags, summary: `社区考评表（每月）：${CHECKLIST.map((i) => `${i.name} ${i.max} 分`).join('、')}；本月及此前三个月可录入或更正`,
      params: compoundParam.extend({ month: monthString }), body: z.object({ scores, note: optionalText(500) }).strict(), response: res.assessed,
    },
  }, async (req) => saveAssessment(db, auth(req), actorFromRequest(req), req.params.regionId, req.params.month, { ...req.body, scores: req.body.scores as ChecklistScores }));

  r.get('/api/compounds/:regionId/assessments/:month', {
    config: { permission: 'compound:read' },
    schema: { tags, summary: '某月考评：考评表各项得分与居民评价汇总', params: compoundParam.extend({ month: monthString }), response: res.assessment },
  }, async (req) => getAssessment(db, auth(req), req.params.regionId, req.params.month));

  r.get('/api/compounds/ranking', {
    config: { permission: 'compound:read' },
    schema: {
      tags, summary: '红色物业示范小区排名（默认上月）：由居民评价、社区考评、报事按时办结率、实事满意度、联席会议事项完成率和逾期实事按公式实时计算，附公式与各项得分',
      querystring: z.object({ month: monthString.optional() }), response: res.ranking,
    },
  }, async (req) => compoundRanking(db, auth(req), req.query));
}

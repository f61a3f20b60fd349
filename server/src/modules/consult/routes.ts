import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { appendAudit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { prepareImage, saveImage } from '../../core/files.js';
import { idParam, nonEmpty, dbId, bodyId, isoDate, isoDateTime } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { addPost, createConsultation, getConsultation, listConsultations, loadConsultationFor, PARTIES, setStage, STAGES } from './consultations.js';
import { listOwners, updateRoomOwners } from './owners.js';
import { importOwners, ownersWorkbook } from './owners-import.js';
import { createProject, elevatorDashboard, ELEVATOR_STAGES, getProject, listProjects, myElevatorShares, recordStage } from './elevators.js';
import { castBallot, closeVote, createVote, getVote, listObjections, moveObjection, OBJECTION_STAGES, openVote, raiseObjection, updateVote, voteResult } from './votes.js';
import { consultResponses as res, elevatorResponses } from './schemas.js';

const threshold = z.object({ num: z.number().int().min(1).max(1000), den: z.number().int().min(1).max(1000), strict: z.boolean() }).strict().refine((t) => t.num <= t.den, { message: 'invalid' });
const custom = z.object({ participation: threshold, consent: threshold }).strict();
const when = isoDateTime.nullable().optional();
const voteSettings = z.object({
  title: z.string().trim().min(2).max(100), rule: z.enum(['major', 'ordinary', 'custom']), custom: custom.optional(), secret: z.boolean().optional(),
  opensAt: when, closesAt: when, noticeDays: z.number().int().min(0).max(90).optional(),
}).strict();

export async function consultRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['consultation'];
  const auth = requireAuth;

  r.get('/api/owners', {
    config: { permission: 'consult:read' },
    schema: { tags, summary: '业主名册：范围内每套房屋的面积、业主、投票人与开发商未售标记', querystring: pageQuery.extend({ regionId: dbId }), response: res.owners },
  }, async (req) => listOwners(db, auth(req), req.query.regionId, req.query));

  r.get('/api/owners/export.xlsx', {
    config: { permission: 'consult:read' },
    schema: { tags, summary: '导出业主名册（身份证号脱敏；记录导出）', querystring: z.object({ regionId: dbId }), response: res.ownersExport },
  }, async (req, reply) => ownersWorkbook(db, auth(req), req.query.regionId, reply, true));

  r.get('/api/owners/template.xlsx', {
    config: { permission: 'consult:manage' },
    schema: { tags, summary: '业主名册导入模板（列出范围内的房屋编码）', querystring: z.object({ regionId: dbId }), response: res.ownersTemplate },
  }, async (req, reply) => ownersWorkbook(db, auth(req), req.query.regionId, reply, false));

  r.post('/api/owners/import', {
    config: { permission: 'consult:manage' },
    schema: { tags, summary: '导入业主名册（整表导入，任一行有误则全部不导入并逐行报告）', consumes: ['multipart/form-data'], response: res.ownersImported },
  }, async (req, reply) => reply.status(201).send(await importOwners(db, auth(req), actorFromRequest(req), await readMultipart(req, 'file', 1))));

  r.put('/api/owners/:id', {
    config: { permission: 'consult:manage' },
    schema: {
      tags, summary: '修改一套房屋的业主登记（:id 为房屋 id）', params: idParam, response: res.ownerUpdated,
      body: z.object({
        ownerPersonIds: z.array(bodyId).max(10), voteHolderPersonId: bodyId.nullable().optional(),
        area: z.number().positive().max(100000).multipleOf(0.01).optional(), areaSource: z.enum(['registry', 'survey', 'contract']).optional(),
        unsoldDeveloperUnit: z.boolean().optional(),
      }).strict(),
    },
  }, async (req) => updateRoomOwners(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.get('/api/consultations', {
    schema: {
      tags, summary: '协商议题（工作人员：辖区内；居民：与本人房屋相关；可按议题、阶段筛选）', response: res.consultations,
      querystring: pageQuery.extend({ q: z.string().trim().max(50).optional().describe('议题包含的文字'), stage: z.enum(STAGES as [string, ...string[]]).optional() }),
    },
  },
    async (req) => listConsultations(db, auth(req), req.query));

  r.post('/api/consultations', {
    config: { permission: 'consult:manage' },
    schema: {
      tags, summary: '发起协商（范围为单元、楼栋或小区）', response: res.consultationCreated,
      body: z.object({ topic: z.string().trim().min(2).max(100), description: z.string().trim().max(5000).nullable().optional(), scopeRegionId: bodyId, parties: z.array(z.enum(PARTIES)).optional() }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createConsultation(db, auth(req), actorFromRequest(req), req.body)));

  r.get('/api/consultations/:id', { schema: { tags, summary: '协商详情与议事记录', params: idParam, response: res.consultation } }, async (req) => getConsultation(db, auth(req), req.params.id));

  r.post('/api/consultations/:id/posts', {
    schema: {
      tags, summary: '发言、回复、专家答疑、会议、现场查看、决定、跟进、评价', params: idParam, response: res.postAdded,
      body: z.object({
        kind: z.enum(['post', 'reply', 'expert_qa', 'meeting', 'site_visit', 'decision', 'follow_up', 'evaluation']), body: z.string().trim().min(1).max(5000),
        parentId: bodyId.nullable().optional(), meta: z.record(z.string(), z.unknown()).optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await addPost(db, auth(req), actorFromRequest(req), req.params.id, req.body)));

  r.post('/api/consultations/:id/stage', {
    config: { permission: 'consult:manage' },
    schema: { tags, summary: '推进阶段（提→议→定→办→督→评）', params: idParam, response: res.stage, body: z.object({ stage: z.enum(STAGES as [string, ...string[]]) }).strict() },
  }, async (req) => setStage(db, auth(req), actorFromRequest(req), req.params.id, req.body.stage as any));

  r.post('/api/votes', {
    config: { permission: 'consult:manage' },
    schema: { tags, summary: '新建表决（规则：major 重大事项、ordinary 一般事项、custom 自定义）', response: res.voteCreated, body: voteSettings.extend({ consultationId: bodyId }) },
  }, async (req, reply) => reply.status(201).send(await createVote(db, auth(req), actorFromRequest(req), req.body)));

  r.get('/api/votes/:id', { schema: { tags, summary: '表决详情（我的房屋与投票情况；工作人员可见参与名单）', params: idParam, response: res.vote } }, async (req) => getVote(db, auth(req), req.params.id));

  r.patch('/api/votes/:id', {
    config: { permission: 'consult:manage' },
    schema: { tags, summary: '修改表决设置（开始后锁定）', params: idParam, response: res.voteUpdated, body: nonEmpty(voteSettings.partial().strict()) },
  }, async (req) => updateVote(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/votes/:id/open', { config: { permission: 'consult:manage' }, schema: { tags, summary: '开始表决（冻结名册）', params: idParam, response: res.voteOpened } },
    async (req) => openVote(db, auth(req), actorFromRequest(req), req.params.id));

  r.post('/api/votes/:id/ballots', {
    schema: {
      tags, summary: '投票（每户一票；H5 由投票业主本人；纸质票由工作人员录入并附扫描件）', params: idParam, response: res.ballot,
      body: z.object({ roomId: bodyId, choice: z.enum(['agree', 'disagree', 'abstain']), channel: z.enum(['h5', 'paper']).optional(), scanFileId: bodyId.optional() }).strict(),
    },
  }, async (req) => castBallot(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/votes/:id/scans', {
    config: { permission: 'consult:manage' },
    schema: { tags, summary: '上传纸质选票扫描件（multipart 字段 scan）', params: idParam, consumes: ['multipart/form-data'], response: res.scan },
  }, async (req, reply) => {
    const a = auth(req);
    const v = await db.selectFrom('votes').select('consultation_id').where('id', '=', req.params.id).executeTakeFirst();
    if (!v) throw new AppError(404, 'not_found');
    const { worker } = await loadConsultationFor(db, a, v.consultation_id);
    if (!worker) throw new AppError(403, 'forbidden');
    const form = await readMultipart(req, 'scan', 1);
    if (form.files.length !== 1) throw new AppError(400, 'validation_failed', 'validation_failed', {}, { scan: { key: 'required' } });
    const scan = await prepareImage(form.files[0], 'scan'); // outside the transaction: CPU work holds no connection
    const file = await db.transaction().execute(async (tx) => {
      const f = await saveImage(tx, app.files, scan, a.accountId);
      await appendAudit(tx, actorFromRequest(req), { action: 'vote.scan', targetType: 'vote', targetId: req.params.id, summary: { fileId: f.id } });
      return f;
    });
    return reply.status(201).send({ fileId: file.id });
  });

  r.post('/api/votes/:id/close', { config: { permission: 'consult:manage' }, schema: { tags, summary: '结束表决并计票（开始公示）', params: idParam, response: res.voteClosed } },
    async (req) => closeVote(db, auth(req), actorFromRequest(req), req.params.id));

  r.get('/api/votes/:id/result', { schema: { tags, summary: '表决结果：四个比例（精确分数，面积单位 0.01㎡）与是否通过', params: idParam, response: res.voteResult } },
    async (req) => voteResult(db, auth(req), req.params.id));

  r.post('/api/votes/:id/objections', {
    schema: { tags, summary: '公示期内提出异议', params: idParam, response: res.objectionRaised, body: z.object({ body: z.string().trim().min(2).max(2000) }).strict() },
  }, async (req, reply) => reply.status(201).send(await raiseObjection(db, auth(req), actorFromRequest(req), req.params.id, req.body.body)));

  r.get('/api/votes/:id/objections', { schema: { tags, summary: '公示期异议及处理经过', params: idParam, response: res.objections } },
    async (req) => listObjections(db, auth(req), req.params.id));

  r.post('/api/votes/:id/objections/:objectionId/stage', {
    config: { permission: 'consult:manage' },
    schema: {
      tags, summary: '异议处理（协商→社区调解→街道调解→办结）', params: z.object({ id: dbId, objectionId: dbId }), response: res.objectionMoved,
      body: z.object({ stage: z.enum(OBJECTION_STAGES), note: z.string().trim().min(1).max(1000) }).strict(),
    },
  }, async (req) => moveObjection(db, auth(req), actorFromRequest(req), req.params.id, req.params.objectionId, req.body.stage, req.body.note));
}

export async function elevatorRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['elevators'];
  const auth = requireAuth;
  const money = z.number().min(0).max(100_000_000).multipleOf(0.01);

  r.get('/api/elevators', {
    config: { permission: 'consult:read' },
    schema: { tags, summary: '加装电梯项目列表', response: elevatorResponses.list, querystring: pageQuery.extend({ stage: z.enum(ELEVATOR_STAGES).optional(), communityId: dbId.optional() }) },
  }, async (req) => listProjects(db, auth(req), req.query, req.query));

  r.get('/api/elevators/dashboard', {
    config: { permission: 'consult:read' },
    schema: { tags, summary: '加装电梯看板：按阶段、按社区；已投用与已批/在建', response: elevatorResponses.dashboard },
  }, async (req) => elevatorDashboard(db, auth(req)));

  r.post('/api/elevators', {
    config: { permission: 'consult:manage' },
    schema: {
      tags, summary: '新建加装电梯项目（每单元一个）', response: elevatorResponses.created,
      body: z.object({
        unitId: bodyId, totalCost: money, subsidy: money.optional(),
        floorCoefficients: z.record(z.string().regex(/^\d{1,3}$/), z.number().min(0).max(10)).optional(),
        consultationId: bodyId.nullable().optional(), voteId: bodyId.nullable().optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createProject(db, auth(req), actorFromRequest(req), req.body)));

  r.get('/api/elevators/:id', { schema: { tags, summary: '项目详情：阶段记录与分摊（业主只见本户）', params: idParam, response: elevatorResponses.detail } }, async (req) => getProject(db, auth(req), req.params.id));

  r.post('/api/elevators/:id/stage', {
    config: { permission: 'consult:manage' },
    schema: {
      tags, summary: '推进或更新阶段（日期、文件、责任人）', params: idParam, response: elevatorResponses.stage,
      body: z.object({
        stage: z.enum(ELEVATOR_STAGES), voteId: bodyId.optional().describe('关联本单元已通过的业主表决（离开“业主表决”阶段时必需）'), startedOn: isoDate.optional(), completedOn: isoDate.nullable().optional(),
        responsible: z.string().trim().max(100).nullable().optional(), documents: z.array(z.object({ name: z.string().trim().min(1).max(200), url: z.string().max(500).optional() }).strict()).max(50).optional(),
        note: z.string().trim().max(2000).nullable().optional(),
      }).strict(),
    },
  }, async (req) => recordStage(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.get('/api/me/elevators', { schema: { tags, summary: '我家的加装电梯项目与分摊金额', response: elevatorResponses.mine } }, async (req) => ({ items: await myElevatorShares(db, auth(req)) }));
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { fieldError } from '../../core/errors.js';
import { sendXlsx } from '../../core/excel.js';
import { bodyId, dbId, idParam, isoDate, nonEmpty, optionalId } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { exportMatters, getMatter, getMatterForWorker, listManagedMatters, listMatters, matterDashboard } from './practical-matters.js';
import { practicalResponses } from './practical-schemas.js';
import { answerSurvey, mySurvey, publicMatterPhoto } from './practical-survey.js';
import { MATTER_CATEGORIES, MATTER_STATUSES, UNIT_KINDS, UNIT_ROLES } from './practical-tables.js';
import { addMatterPhotos, addMilestones, changeMatterStatus, completeMilestone, createMatter, recordSpending, updateMatter, type PracticalDeps } from './practical-work.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const fen = (min: number) => z.number().int().min(min).max(1_000_000_000_000).describe('分');

const filters = {
  status: z.enum(MATTER_STATUSES).optional(), category: z.enum(MATTER_CATEGORIES).optional(), year: z.coerce.number().int().min(2000).max(2100).optional(),
  regionId: optionalId.describe('街道、社区或小区：所属区域在其下，或受益小区在其下'), streetId: optionalId.describe('街道（同 regionId）'),
  q: z.string().trim().max(40).optional().describe('按名称搜索'), overdue: z.enum(['true', 'false']).optional(),
};
const milestoneBody = z.object({ title: text(100), weight: z.number().int().min(1).max(100).optional().describe('权重 1–100，默认 1'), dueOn: isoDate.nullable().optional() }).strict();
const unitBody = z.object({
  kind: z.enum(UNIT_KINDS).describe('department 职能部门 / street_community 属地街道社区 / property_company 物业企业 / alliance_unit 联盟单位（填 allianceUnitId）'),
  role: z.enum(UNIT_ROLES).optional().describe('lead 牵头 / partner 配合；都不填时第一个为牵头单位'), name: text(80).optional(), allianceUnitId: bodyId.optional(),
}).strict();
const matterBody = z.object({
  title: text(80), category: z.enum(MATTER_CATEGORIES), summary: z.string().trim().max(2000).nullable().optional(), year: z.number().int().min(2000).max(2100),
  regionId: bodyId.describe('所属区域：区、街道或社区（须在本人辖区内）'), compoundIds: z.array(bodyId).min(1).max(100).describe('受益小区（须在所属区域内）'),
  units: z.array(unitBody).min(1).max(20), budgetFen: fen(0), startsOn: isoDate.nullable().optional(), dueOn: isoDate.describe('计划完成日期'),
  milestones: z.array(milestoneBody).max(50).optional(),
}).strict();

export async function practicalRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const deps = (): PracticalDeps => ({ db, files: app.files });
  const tags = ['practical-matters'];
  const auth = (req: FastifyRequest) => requireAuth(req);
  const res = practicalResponses;
  const manage = { permission: 'practical:manage' } as const;

  r.get('/api/practical-matters', {
    config: { public: true, responseCache: { ns: ['practical'], signedIn: true } },
    schema: {
      tags, summary: '暖心实事清单（公开）：进度、状态，逾期与实施中的在前；按状态、类别、年度、街道或区域、名称筛选', response: res.list,
      querystring: pageQuery.extend(filters),
    },
  }, async (req) => listMatters(db, { ...req.query, q: req.query.q || undefined }, req.query));

  r.get('/api/practical-matters/dashboard', {
    config: manage,
    schema: { tags, summary: '暖心实事看板（辖区内）：按状态、类别、街道统计，逾期事项在前', querystring: z.object({ year: filters.year }), response: res.dashboard },
  }, async (req) => matterDashboard(db, auth(req), req.query));

  r.get('/api/practical-matters/managed', {
    config: manage,
    schema: { tags, summary: '本人辖区内的暖心实事（后台列表：所属区域或任一受益小区在辖区内；筛选同公开清单）', querystring: pageQuery.extend(filters), response: res.list },
  }, async (req) => listManagedMatters(db, auth(req), { ...req.query, q: req.query.q || undefined }, req.query));

  r.get('/api/practical-matters/export.xlsx', {
    config: manage,
    schema: { tags, summary: '导出辖区内的暖心实事清单 Excel（筛选同清单）', querystring: z.object(filters), response: res.export },
  }, async (req, reply) => {
    const rows = await exportMatters(db, auth(req), { ...req.query, q: req.query.q || undefined });
    const yuan = (fen: number) => fen / 100;
    return sendXlsx(reply, '暖心实事清单.xlsx', '暖心实事', [
      { header: '编号', key: 'id', width: 8, value: (x) => x.id },
      { header: '年度', key: 'year', width: 8, value: (x) => x.year },
      { header: '项目名称', key: 'title', width: 36, value: (x) => x.title },
      { header: '类别', key: 'category', width: 14, value: (x) => x.categoryName },
      { header: '状态', key: 'status', width: 10, value: (x) => x.statusName },
      { header: '是否逾期', key: 'overdue', width: 10, value: (x) => (x.overdue ? '逾期' : '') },
      { header: '进度(%)', key: 'progress', width: 10, value: (x) => x.progress },
      { header: '所属区域', key: 'region', width: 14, value: (x) => x.regionName },
      { header: '街道', key: 'street', width: 12, value: (x) => x.streetName ?? '跨街道' },
      { header: '受益小区', key: 'compounds', width: 30, value: (x) => x.compounds.map((c) => c.name).join('、') },
      { header: '牵头单位', key: 'lead', width: 24, value: (x) => x.leadUnits.join('、') },
      { header: '预算(元)', key: 'budget', width: 14, value: (x) => yuan(x.budgetFen) },
      { header: '已支出(元)', key: 'spent', width: 14, value: (x) => yuan(x.spentFen) },
      { header: '计划开工', key: 'startsOn', width: 12, value: (x) => x.startsOn },
      { header: '计划完成', key: 'dueOn', width: 12, value: (x) => x.dueOn },
      { header: '满意度', key: 'survey', width: 10, value: (x) => x.surveyAverage },
      { header: '参评户数', key: 'surveyCount', width: 10, value: (x) => x.surveyCount },
    ], rows);
  });

  r.get('/api/practical-matters/:id', {
    config: { public: true, responseCache: { ns: ['practical'], signedIn: true } },
    schema: { tags, summary: '暖心实事公开页：责任单位、受益小区、里程碑与佐证照片、前后对比照片、进度、满意度结果（不含个人信息）', params: idParam, response: res.detail },
  }, async (req) => getMatter(db, req.params.id));

  r.get('/api/practical-matters/:id/photos/:fileId', {
    config: { public: true },
    schema: { tags, summary: '实事项目照片（公开）', params: z.object({ id: dbId, fileId: dbId }), querystring: z.object({ thumb: z.enum(['0', '1']).optional() }), response: res.photo },
  }, async (req, reply) => {
    const f = await publicMatterPhoto(db, app.files, req.params.id, req.params.fileId, req.query.thumb === '1');
    return reply.type(f.mime).header('cache-control', 'public, max-age=86400').send(f.bytes);
  });

  r.get('/api/practical-matters/:id/manage', {
    config: manage,
    schema: { tags, summary: '实事项目后台详情：公开页内容，加支出明细、居民留言与当前可执行的操作', params: idParam, response: res.workerDetail },
  }, async (req) => getMatterForWorker(db, auth(req), req.params.id));

  r.post('/api/practical-matters', {
    config: manage,
    schema: { tags, summary: '新建暖心实事（所属区域须在本人辖区内，受益小区须在所属区域内；金额以分计）', body: matterBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createMatter(deps(), auth(req), actorFromRequest(req), req.body)));

  r.patch('/api/practical-matters/:id', {
    config: manage,
    schema: {
      tags, summary: '修改实事项目（所属区域、受益小区、责任单位仅所属区域的工作人员可改，且须在验收前）', params: idParam, response: res.updated,
      body: nonEmpty(matterBody.omit({ milestones: true }).partial()),
    },
  }, async (req) => updateMatter(deps(), auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/practical-matters/:id/milestones', {
    config: manage,
    schema: { tags, summary: '添加里程碑（验收前）', params: idParam, body: z.object({ milestones: z.array(milestoneBody).min(1).max(50) }).strict(), response: res.detail },
  }, async (req) => addMilestones(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.milestones));

  r.post('/api/practical-matters/:id/milestones/:milestoneId/complete', {
    config: manage,
    schema: {
      tags, summary: '完成里程碑：JSON {"note"}，或 multipart（note 与 0–9 张佐证照片 photos）；返回公开页（进度已更新）',
      params: z.object({ id: dbId, milestoneId: dbId }), consumes: ['application/json', 'multipart/form-data'], response: res.detail,
    },
  }, async (req) => {
    let note: unknown, files: Buffer[] = [];
    if (req.isMultipart()) { const form = await readMultipart(req, 'photos', 9); note = form.fields.note; files = form.files; } else note = (req.body as { note?: unknown } | null | undefined)?.note;
    const parsed = text(1000).optional().safeParse(note === '' ? undefined : note);
    if (!parsed.success) throw fieldError('note', 'invalid');
    return completeMilestone(deps(), auth(req), actorFromRequest(req), req.params.id, req.params.milestoneId, parsed.data ?? null, files);
  });

  r.post('/api/practical-matters/:id/photos', {
    config: manage,
    schema: { tags, summary: '上传施工前 / 完工后照片（multipart：kind=before|after，photos 1–9 张；每类至多 9 张）', params: idParam, consumes: ['multipart/form-data'], response: res.photos },
  }, async (req) => {
    const form = await readMultipart(req, 'photos', 9);
    const kind = z.enum(['before', 'after']).safeParse(form.fields.kind);
    if (!kind.success) throw fieldError('kind', form.fields.kind == null ? 'required' : 'invalid_value');
    const ids = await addMatterPhotos(deps(), auth(req), actorFromRequest(req), req.params.id, kind.data, form.files);
    const id = req.params.id;
    return { photos: ids.map((f) => ({ id: f, url: `/api/practical-matters/${id}/photos/${f}`, thumbUrl: `/api/practical-matters/${id}/photos/${f}?thumb=1` })) };
  });

  r.post('/api/practical-matters/:id/spending', {
    config: manage,
    schema: {
      tags, summary: '登记一笔支出（分；日期不晚于今天）', params: idParam, response: res.spending,
      body: z.object({ amountFen: fen(1), spentOn: isoDate, note: text(200).optional() }).strict(),
    },
  }, async (req) => recordSpending(deps(), auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/practical-matters/:id/status', {
    config: manage,
    schema: {
      tags, summary: '推进状态：in_progress 开工 / accepted 验收（里程碑须全部完成；满意度测评开放）/ closed 结项（测评截止）', params: idParam, response: res.moved,
      body: z.object({ status: z.enum(['in_progress', 'accepted', 'closed']), note: text(500).optional() }).strict(),
    },
  }, async (req) => changeMatterStatus(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.status, req.body.note));

  r.get('/api/practical-matters/:id/survey', {
    schema: { tags, summary: '本户对该实事的满意度测评：能否参评、是否已参评', params: idParam, response: res.mySurvey },
  }, async (req) => mySurvey(db, auth(req), req.params.id));

  r.post('/api/practical-matters/:id/survey', {
    schema: {
      tags, summary: '满意度测评（受益小区住户，每户一次；验收后开放）', params: idParam, response: res.answered,
      body: z.object({ score: z.number().int().min(1).max(5), comment: text(500).optional() }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await answerSurvey(db, auth(req), actorFromRequest(req), req.params.id, req.body)));
}

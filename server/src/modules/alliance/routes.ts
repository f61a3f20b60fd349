import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { idParam, optionalId, dbId, bodyId, isoDate } from '../../core/http.js';
import { isValidMobile } from '../../core/identity.js';
import { pageQuery } from '../../core/paging.js';
import { acceptProposal, createNeed, latestProposal, listNeeds, listResources, needsForMe, offerResource, proposeAssignment, suggestionsFor } from './matching.js';
import { sendXlsx } from '../../core/excel.js';
import { allianceStats, applyUnit, completeMilestone, createProject, getProject, listProjects, listUnits, reviewUnit, UNIT_KIND_NAMES } from './service.js';
import { allianceResponses as res, matchingResponses } from './schemas.js';

const unitKinds = Object.keys(UNIT_KIND_NAMES) as [keyof typeof UNIT_KIND_NAMES, ...(keyof typeof UNIT_KIND_NAMES)[]];

export async function allianceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['alliance'];
  const pub = { public: true };

  r.get('/api/alliance/units', {
    // Managers also see units awaiting review: only anonymous callers share the cached roster.
    config: { ...pub, responseCache: { ns: ['alliance'] } },
    schema: {
      tags, summary: '联盟成员单位（公开：已认证单位；管理人员可查看待审核）', response: res.units,
      querystring: pageQuery.extend({ committeeRegionId: optionalId, isCommitteeUnit: z.enum(['true', 'false']).optional(), kind: z.enum(unitKinds).optional(), status: z.enum(['pending', 'verified', 'rejected']).optional(), q: z.string().max(50).optional() }),
    },
  }, async (req) => {
    return listUnits(db, { ...req.query, isCommitteeUnit: req.query.isCommitteeUnit === undefined ? undefined : req.query.isCommitteeUnit === 'true' }, req.query, req.auth);
  });

  r.post('/api/alliance/units', {
    schema: {
      tags, summary: '单位申请加入联盟（待社区/街道审核）', response: res.applied,
      body: z.object({
        name: z.string().trim().min(2).max(80), kind: z.enum(unitKinds), committeeRegionId: bodyId,
        contactName: z.string().trim().min(1).max(40), contactPhone: z.string().trim().refine(isValidMobile, { message: 'invalid_phone' }),
        tags: z.array(z.string().trim().min(1).max(20)).max(20).optional(), serviceRegionId: bodyId.optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await applyUnit(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.post('/api/alliance/units/:id/review', {
    config: { permission: 'alliance:manage' },
    schema: {
      tags, summary: '审核联盟单位（认证后方可认领心愿）', params: idParam, response: res.reviewed,
      body: z.object({ decision: z.enum(['verify', 'reject']), reason: z.string().trim().max(500).optional(), isCommitteeUnit: z.boolean().optional(), committeeTerm: z.string().trim().max(40).optional() }).strict(),
    },
  }, async (req) => reviewUnit(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.decision, req.body.reason,
    req.body.isCommitteeUnit === undefined ? undefined : { isCommitteeUnit: req.body.isCommitteeUnit, term: req.body.committeeTerm }));

  r.get('/api/projects', {
    config: { ...pub, responseCache: { ns: ['alliance'], signedIn: true } },
    schema: { tags, summary: '共建项目（公开；progress 为里程碑加权完成度 0–100）', response: res.projects, querystring: pageQuery.extend({ status: z.enum(['planned', 'active', 'done', 'cancelled']).optional(), unitId: optionalId }) },
  }, async (req) => listProjects(db, req.query, req.query));

  r.get('/api/projects/:id', { config: { ...pub, responseCache: { ns: ['alliance'], signedIn: true } }, schema: { tags, summary: '共建项目详情与里程碑时间线', params: idParam, response: res.project } }, async (req) => getProject(db, req.params.id));

  r.post('/api/projects', {
    config: { permission: 'alliance:manage' },
    schema: {
      tags, summary: '新建共建项目', response: res.projectCreated,
      body: z.object({
        needId: bodyId.nullable().optional(), resourceId: bodyId.nullable().optional(),
        title: z.string().trim().min(2).max(100), description: z.string().trim().max(5000).nullable().optional(), ownerUnitId: bodyId,
        partnerUnitIds: z.array(bodyId).max(50).optional(), regionId: bodyId.nullable().optional(),
        budget: z.number().min(0).max(100_000_000).multipleOf(0.01).optional(),
        milestones: z.array(z.object({ title: z.string().trim().min(1).max(100), weight: z.number().int().min(1).max(100).optional(), dueOn: isoDate.nullable().optional() }).strict()).min(1).max(50),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createProject(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.post('/api/projects/:id/milestones/:milestoneId/complete', {
    config: { permission: 'alliance:manage' },
    schema: { tags, summary: '完成里程碑', response: res.project, params: z.object({ id: dbId, milestoneId: dbId }), body: z.object({ note: z.string().trim().max(1000).optional() }).strict() },
  }, async (req) => completeMilestone(db, requireAuth(req), actorFromRequest(req), req.params.id, req.params.milestoneId, req.body.note));

  r.get('/api/alliance/stats', {
    config: { permission: 'alliance:manage' },
    schema: { tags, summary: '联盟统计：按单位或按社区（资源、满足需求、项目、志愿时长、站点使用）', response: res.stats, querystring: z.object({ by: z.enum(['unit', 'community']).default('unit') }) },
  }, async (req) => ({ items: await allianceStats(db, requireAuth(req), req.query.by) }));

  r.get('/api/alliance/stats.xlsx', {
    config: { permission: 'alliance:manage' },
    schema: { tags, summary: '导出联盟统计 Excel', response: res.statsExport, querystring: z.object({ by: z.enum(['unit', 'community']).default('unit') }) },
  }, async (req, reply) => {
    const items = await allianceStats(db, requireAuth(req), req.query.by);
    return sendXlsx(reply, `联盟统计-${req.query.by === 'unit' ? '按单位' : '按社区'}.xlsx`, '统计', [
      { header: req.query.by === 'unit' ? '单位' : '社区', key: 'name', width: 32, value: (r) => r.name },
      { header: '提供资源', key: 'resources', width: 10, value: (r) => r.resources },
      { header: '满足需求', key: 'needsMet', width: 10, value: (r) => r.needsMet },
      { header: '共建项目', key: 'projects', width: 10, value: (r) => r.projects },
      { header: '志愿时长(小时)', key: 'volunteerHours', width: 14, value: (r) => r.volunteerHours },
      ...(req.query.by === 'community' ? [{ header: '站点使用次数', key: 'stationCheckins', width: 12, value: (r: any) => r.stationCheckins }] : []),
    ], items as any[]);
  });
}

const needCategories = ['goods', 'service', 'companionship', 'venue', 'tutoring', 'funds'] as const;

/** The three lists and matching: needs, resources, suggestions, season-end assignment. */
export async function matchingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['three lists'];
  const date = isoDate;

  r.get('/api/needs', {
    schema: { tags, summary: '需求清单（已发布心愿 + 社区集体需求）', response: matchingResponses.needs, querystring: pageQuery.extend({ status: z.enum(['open', 'matched', 'closed']).optional(), category: z.enum(needCategories).optional(), kind: z.enum(['wish', 'collective']).optional() }) },
  }, async (req) => listNeeds(db, requireAuth(req), req.query, req.query));

  r.post('/api/needs', {
    config: { permission: 'alliance:manage' },
    schema: {
      tags, summary: '登记社区集体需求', response: matchingResponses.needCreated,
      body: z.object({ title: z.string().trim().min(2).max(100), description: z.string().trim().max(2000).nullable().optional(), category: z.enum(needCategories), communityId: bodyId, urgency: z.number().int().min(1).max(3).optional(), quantity: z.number().int().min(1).max(10000).optional(), deadline: date.nullable().optional(), value: z.number().min(0).max(10_000_000).multipleOf(0.01).optional() }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await createNeed(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.get('/api/resources', {
    schema: { tags, summary: '资源清单（mine=true：本人发布的）', response: matchingResponses.resources, querystring: pageQuery.extend({ category: z.enum(needCategories).optional(), unitId: optionalId, mine: z.enum(['true', 'false']).optional() }) },
  }, async (req) => listResources(db, { ...req.query, offeredBy: req.query.mine === 'true' ? requireAuth(req).accountId : undefined }, req.query));

  r.post('/api/resources', {
    schema: {
      tags, summary: '发布资源（联盟单位或党员）', response: matchingResponses.resourceOffered,
      body: z.object({
        kind: z.enum(['goods', 'service', 'volunteer_hours', 'venue', 'funds', 'skills']), category: z.enum(needCategories), title: z.string().trim().min(2).max(100),
        description: z.string().trim().max(2000).nullable().optional(), capacity: z.number().int().min(1).max(100000), valueCap: z.number().min(0).max(10_000_000).multipleOf(0.01).nullable().optional(),
        availableFrom: date.nullable().optional(), availableUntil: date.nullable().optional(), conditions: z.string().trim().max(500).nullable().optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await offerResource(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.get('/api/needs/:id/suggestions', {
    config: { permission: 'alliance:manage' },
    schema: { tags, summary: '需求的匹配建议（按得分排序，附可读理由）', params: idParam, response: matchingResponses.suggestions, querystring: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }) },
  }, async (req) => suggestionsFor(db, requireAuth(req), req.params.id, req.query.limit));

  r.get('/api/me/matching-needs', { schema: { tags, summary: '附近适合本单位资源的需求', response: matchingResponses.forMe } }, async (req) => needsForMe(db, requireAuth(req)));

  r.post('/api/seasons/:id/assignment', {
    config: { permission: 'alliance:manage' },
    schema: { tags, summary: '季末批量分配方案（最小费用分配；不直接认领，须工作人员确认）', params: idParam, response: matchingResponses.proposed },
  }, async (req, reply) => reply.status(201).send(await proposeAssignment(db, requireAuth(req), actorFromRequest(req), req.params.id)));

  r.get('/api/seasons/:id/assignment', {
    config: { permission: 'alliance:manage' },
    schema: { tags, summary: '最新的季末分配方案', params: idParam, response: matchingResponses.proposal },
  }, async (req) => latestProposal(db, requireAuth(req), req.params.id));

  r.post('/api/seasons/:id/assignment/:proposalId/accept', {
    config: { permission: 'alliance:manage' },
    schema: {
      tags, summary: '确认分配方案（全部或部分；确认后才生成认领）', params: z.object({ id: dbId, proposalId: dbId }), response: matchingResponses.accepted,
      body: z.object({ wishIds: z.array(bodyId).max(10000).optional() }).strict(),
    },
  }, async (req) => acceptProposal({ db, bus: app.events, files: app.files }, requireAuth(req), actorFromRequest(req), req.params.id, req.params.proposalId, req.body.wishIds));
}

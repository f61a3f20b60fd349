import { logPersonalDataAccess } from '../../core/audit.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { sendXlsx } from '../../core/excel.js';
import { fieldError } from '../../core/errors.js';
import { idParam, nonEmpty, optionalId, bodyId, isoDate } from '../../core/http.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { claimWish, confirmWish, fulfilWish, revokeClaim, withdrawClaim } from './claims.js';
import { importWishes, wishImportTemplate } from './import.js';
import { CATEGORY_NAMES, STATUS_NAMES, TARGET_NAMES } from './present.js';
import { wishTree } from './public.js';
import { createSeason, listSeasons, seasonStats, updateSeason } from './seasons.js';
import { addWishPhotos, revealContact, createWish, editWish, getWish, listWishes, myWishes, reviewWish, withdrawWish, workerWishQuery, withWorkerRelations, presentForWorkers, type WishDeps } from './service.js';
import { wishResponses as res } from './schemas.js';

export const categories = ['goods', 'service', 'companionship'] as const;
export const targetGroups = ['elder', 'child', 'disabled', 'hardship', 'other'] as const;
export const statuses = ['pending_review', 'published', 'rejected', 'claimed', 'fulfilled', 'confirmed', 'withdrawn'] as const;
const date = isoDate;
const money = z.number().min(0).max(1_000_000).multipleOf(0.01).describe('元，两位小数');
const reason = z.string().trim().min(1).max(500);
const wishFilter = z.object({ seasonId: optionalId, status: z.enum(statuses).optional(), communityId: optionalId, category: z.enum(categories).optional(), q: z.string().max(50).optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(60).optional().describe('只看认领截止日在此天数内的（进行中的认领）') });

const wishBody = z.object({
  title: z.string().trim().min(2).max(40),
  story: z.string().trim().min(5).max(1000),
  category: z.enum(categories),
  targetGroup: z.enum(targetGroups),
  // Optional for service and companionship wishes (createWish requires it for goods).
  estimatedValue: money.optional(),
  seasonId: bodyId.optional(),
  beneficiaryPersonId: bodyId.optional(),
  visit: z.object({ date, visitor: z.string().trim().min(1).max(40) }).strict().optional(),
}).strict();

const seasonBody = z.object({
  name: z.string().trim().min(1).max(40), theme: z.string().trim().max(200).nullable().optional(), startsOn: date, endsOn: date,
  valueCap: z.number().positive().max(100000).multipleOf(0.01).optional(), claimDays: z.number().int().min(1).max(365).optional(),
  communityIds: z.array(bodyId).min(1).max(500),
}).strict();

export async function wishRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = (): WishDeps => ({ db: app.dbh.db, bus: app.events, files: app.files });
  const db = app.dbh.db;
  const tags = ['wishes'];
  const auth = (req: FastifyRequest) => requireAuth(req);

  r.post('/api/wishes', {
    schema: { tags, summary: '提交心愿（居民本人；工作人员带 beneficiaryPersonId 与 visit 代录入户走访心愿）', body: wishBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createWish(deps(), auth(req), actorFromRequest(req), req.body)));

  r.get('/api/wishes', {
    config: { permission: 'wish:read' },
    schema: { tags, summary: '辖区心愿列表（工作人员）', querystring: pageQuery.extend(wishFilter.shape), response: res.list },
  }, async (req) => listWishes(db, auth(req), req.query, req.query));

  r.get('/api/wishes/export.xlsx', {
    config: { permission: 'wish:read' },
    schema: { tags, summary: '导出心愿 Excel（记录用途）', querystring: wishFilter.extend({ purpose: z.string().trim().min(2).max(200) }), response: res.export },
  }, async (req, reply) => {
    const a = auth(req);
    const rows = (await withWorkerRelations(workerWishQuery(db, a, req.query).orderBy('w.id').limit(100_000)).execute()).map(presentForWorkers);
    await logPersonalDataAccess(db, { actor_id: a.accountId, kind: 'export', target_type: 'wish', target_id: null, fields: ['beneficiary_name', 'phone(masked)'], purpose: req.query.purpose, ip: req.ip, request_id: req.id });
    return sendXlsx(reply, `心愿清单-${new Date().toISOString().slice(0, 10)}.xlsx`, '心愿', [
      { header: '编号', key: 'code', width: 11, value: (w) => w.code },
      { header: '社区', key: 'community', width: 12, value: (w) => w.communityName },
      { header: '受益人', key: 'beneficiary', width: 10, value: (w) => w.beneficiaryName },
      { header: '手机号', key: 'phone', width: 14, value: (w) => w.beneficiaryPhone },
      { header: '标题', key: 'title', width: 24, value: (w) => w.title },
      { header: '类别', key: 'category', width: 8, value: (w) => CATEGORY_NAMES[w.category] },
      { header: '对象', key: 'target', width: 10, value: (w) => TARGET_NAMES[w.targetGroup] },
      { header: '预估价值(元)', key: 'value', width: 12, value: (w) => w.estimatedValue },
      { header: '状态', key: 'status', width: 8, value: (w) => STATUS_NAMES[w.status] },
      { header: '认领人', key: 'claimer', width: 20, value: (w) => w.claimerName },
      { header: '发布时间', key: 'publishedAt', width: 20, value: (w) => w.publishedAt && new Date(w.publishedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) },
      { header: '圆梦时间', key: 'fulfilledAt', width: 20, value: (w) => w.fulfilledAt && new Date(w.fulfilledAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) },
    ], rows);
  });

  r.get('/api/wishes/import-template.xlsx', {
    config: { permission: 'wish:enter' },
    schema: { tags, summary: '心愿征集表模板', response: res.importTemplate },
  }, async (_req, reply) => wishImportTemplate(reply));

  r.post('/api/wishes/import', {
    config: { permission: 'wish:enter' },
    schema: { tags, summary: '导入心愿征集表（整表导入，任一行有误则全部不导入并逐行报告）', consumes: ['multipart/form-data'], response: res.imported },
  }, async (req, reply) => {
    const form = await readMultipart(req, 'file', 1);
    return reply.status(201).send(await importWishes(deps(), auth(req), actorFromRequest(req), form));
  });

  r.get('/api/wishes/:id', {
    schema: { tags, summary: '心愿详情（按身份显示：社区工作者、认领人可见受益人联系方式并留痕）', params: idParam, response: res.detail },
  }, async (req) => getWish(db, auth(req), actorFromRequest(req), req.params.id));

  r.patch('/api/wishes/:id', {
    schema: { tags, summary: '修改心愿（仅未认领）', params: idParam, response: res.detail, body: nonEmpty(wishBody.pick({ title: true, story: true, category: true, targetGroup: true, estimatedValue: true }).partial().strict()) },
  }, async (req) => editWish(deps(), auth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/wishes/:id/photos', {
    schema: { tags, summary: '上传心愿照片（最多 3 张，multipart 字段 photos）', params: idParam, consumes: ['multipart/form-data'], response: res.photos },
  }, async (req) => {
    const form = await readMultipart(req, 'photos', 3);
    return { photos: await addWishPhotos(deps(), auth(req), actorFromRequest(req), req.params.id, form.files) };
  });

  r.post('/api/wishes/:id/review', {
    config: { permission: 'wish:review' },
    schema: { tags, summary: '审核心愿', params: idParam, response: res.reviewed, body: z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(500).optional() }).strict() },
  }, async (req) => reviewWish(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.decision, req.body.reason));

  r.post('/api/wishes/:id/withdraw', {
    schema: { tags, summary: '撤回心愿（未认领）', params: idParam, response: res.withdrawn, body: z.object({ reason }).strict() },
  }, async (req) => withdrawWish(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.reason));

  r.post('/api/wishes/:id/contact', {
    schema: { tags, summary: '联系受益人：认领满 30 分钟后，认领人查看受益人姓名、电话与地址（留痕）；社区工作人员随时可查', params: idParam, response: res.contact },
  }, async (req) => ({ contact: await revealContact(db, auth(req), actorFromRequest(req), req.params.id) }));

  r.post('/api/wishes/:id/claim', {
    config: { permission: 'wish:claim' },
    schema: { tags, summary: '认领心愿（同一心愿只能有一个有效认领；失败 409 已被认领）', params: idParam, response: res.claimed },
  }, async (req) => claimWish(deps(), auth(req), actorFromRequest(req), req.params.id));

  r.post('/api/wishes/:id/claim/withdraw', {
    config: { permission: 'wish:claim' },
    schema: { tags, summary: '认领人放弃认领', params: idParam, response: res.released, body: z.object({ reason }).strict() },
  }, async (req) => withdrawClaim(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.reason));

  r.post('/api/wishes/:id/revoke-claim', {
    config: { permission: 'wish:review' },
    schema: { tags, summary: '撤销认领（须填写原因，通知认领人）', params: idParam, response: res.released, body: z.object({ reason }).strict() },
  }, async (req) => revokeClaim(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.reason));

  r.post('/api/wishes/:id/fulfil', {
    config: { permission: 'wish:claim' },
    schema: { tags, summary: '提交圆梦（multipart：photos 1–9 张，note）', params: idParam, consumes: ['multipart/form-data'], response: res.fulfilled },
  }, async (req) => {
    const form = await readMultipart(req, 'photos', 9);
    const note = z.string().trim().min(1).max(1000).safeParse(form.fields.note ?? '');
    if (!note.success) throw fieldError('note', 'required');
    return fulfilWish(deps(), auth(req), actorFromRequest(req), req.params.id, note.data, form.files);
  });

  r.post('/api/wishes/:id/confirm', {
    schema: { tags, summary: '确认圆梦并评价', params: idParam, response: res.confirmed, body: z.object({ rating: z.number().int().min(1).max(5), comment: z.string().trim().min(1).max(200) }).strict() },
  }, async (req) => confirmWish(deps(), auth(req), actorFromRequest(req), req.params.id, req.body.rating, req.body.comment));

  r.get('/api/me/wishes', { schema: { tags, summary: '我的心愿与我的认领', response: res.mine } }, async (req) => myWishes(db, auth(req)));

  r.get('/api/seasons', { config: { permission: 'wish:read' }, schema: { tags, summary: '心愿季列表', response: res.seasons } }, async () => ({ items: await listSeasons(db) }));

  r.post('/api/seasons', {
    config: { permission: 'season:manage' },
    schema: { tags, summary: '新建心愿季', body: seasonBody, response: res.seasonCreated },
  }, async (req, reply) => reply.status(201).send(await createSeason(db, auth(req), actorFromRequest(req), req.body)));

  r.patch('/api/seasons/:id', {
    config: { permission: 'season:manage' },
    schema: { tags, summary: '修改心愿季', params: idParam, response: res.seasonUpdated, body: nonEmpty(seasonBody.partial().strict()) },
  }, async (req) => updateSeason(db, auth(req), actorFromRequest(req), req.params.id, req.body));

  r.get('/api/seasons/:id/stats', {
    config: { permission: 'wish:read' },
    schema: { tags, summary: '心愿季统计（按社区；排行按圆梦数）', params: idParam, response: res.seasonStats },
  }, async (req) => seasonStats(db, req.params.id, auth(req)));

  r.get('/api/cockpit/wishes', {
    config: { permission: 'cockpit:read' },
    schema: { tags: ['cockpit'], summary: '驾驶舱：心愿树（按社区点亮）', response: res.cockpit, querystring: z.object({ seasonId: optionalId }) },
  }, async (req) => ({ items: await wishTree(db, req.query.seasonId, auth(req)) }));
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { sendXlsx } from '../../core/excel.js';
import { bodyId, idParam, isoDate, optionalId } from '../../core/http.js';
import { isValidIdNumber, isValidMobile } from '../../core/identity.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { binary, XLSX } from '../../core/response.js';
import { createMember, exportMembers, getMember, listMembers, recordReport, reportMyself } from './members.js';
import { importMembers, MEMBER_SHEET } from './members-import.js';
import { partyResponses as res } from './schemas.js';
import { MEMBER_STATUSES, TRANSFER_STATUSES } from './tables.js';
import { decideTransfer, listTransfers, requestTransfer } from './transfers.js';

const filter = z.object({ q: z.string().max(50).optional(), organisationId: optionalId, status: z.enum(MEMBER_STATUSES).optional() });
const memberBody = z.object({
  name: z.string().trim().min(1).max(40),
  idNumber: z.string().trim().toUpperCase().refine(isValidIdNumber, { message: 'invalid_id_number' }),
  phone: z.string().trim().refine(isValidMobile, { message: 'invalid_phone' }).nullable().optional(),
  organisationId: bodyId,
  status: z.enum(MEMBER_STATUSES),
  joinedOn: isoDate,
  fullOn: isoDate.nullable().optional(),
  posts: z.array(z.string().trim().min(1).max(20)).max(10).optional(),
}).strict();
const decisionBody = z.object({ note: z.string().trim().max(200).nullable().optional() }).strict();

export async function partyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['party'];

  r.get('/api/party/members', {
    config: { permission: 'party:read' },
    schema: { tags, summary: '党员名册（辖区内：所在党组织在辖区，或已向辖区社区双报到；按姓名、拼音首字母、手机尾号搜索）', querystring: pageQuery.extend(filter.shape), response: res.members },
  }, async (req) => listMembers(db, requireAuth(req), req.query, req.query));

  r.get('/api/party/members/export.xlsx', {
    config: { permission: 'party:read' },
    schema: { tags, summary: '导出党员名册 Excel（脱敏；记录用途）', querystring: filter.extend({ purpose: z.string().trim().min(2).max(200) }), response: { 200: binary(XLSX, '党员名册（身份证号、手机号脱敏）') } },
  }, async (req, reply) => {
    const rows = await exportMembers(db, requireAuth(req), actorFromRequest(req), req.query, req.query.purpose);
    return sendXlsx(reply, `党员名册-${new Date().toISOString().slice(0, 10)}.xlsx`, '党员名册', [
      { header: '编号', key: 'id', width: 8, value: (m) => m.id },
      { header: '姓名', key: 'name', width: 12, value: (m) => m.name },
      { header: '性别', key: 'sex', width: 6, value: (m) => (m.sex === 'M' ? '男' : '女') },
      { header: '身份证号', key: 'idNumber', width: 22, value: (m) => m.idNumber },
      { header: '手机号', key: 'phone', width: 14, value: (m) => m.phone },
      { header: '所在党组织', key: 'organisation', width: 28, value: (m) => m.organisation.name },
      { header: '党员类别', key: 'status', width: 10, value: (m) => m.statusName },
      { header: '入党日期', key: 'joinedOn', width: 12, value: (m) => m.joinedOn },
      { header: '转正日期', key: 'fullOn', width: 12, value: (m) => m.fullOn },
      { header: '职务', key: 'posts', width: 20, value: (m) => m.posts.join('；') },
      { header: '双报到社区', key: 'report', width: 14, value: (m) => m.reportCommunity?.name ?? '' },
    ], rows);
  });

  r.get('/api/party/members/:id', {
    config: { permission: 'party:read' },
    schema: {
      tags, summary: '党员详情（默认脱敏；reveal=1 且填写 purpose 时查看完整信息并留痕）', params: idParam, response: res.member,
      querystring: z.object({ reveal: z.enum(['0', '1', 'true', 'false']).optional(), purpose: z.string().max(200).optional() }),
    },
  }, async (req) => {
    const reveal = req.query.reveal === '1' || req.query.reveal === 'true';
    return getMember(db, requireAuth(req), actorFromRequest(req), req.params.id, reveal ? { purpose: req.query.purpose } : undefined);
  });

  r.post('/api/party/members', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '登记党员（身份证号在人口库中时关联该人员，姓名须一致）', body: memberBody, response: res.memberCreated },
  }, async (req, reply) => reply.status(201).send(await createMember(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.get('/api/party/members/import-template.xlsx', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '党员名册导入模板（表头即导入格式；党组织填名称或编码，日期填 YYYY-MM-DD）', response: { 200: binary(XLSX, '党员名册导入模板') } },
  }, async (_req, reply) => sendXlsx(reply, '党员名册导入模板.xlsx', '党员名册', MEMBER_SHEET.map((c) => ({ ...c, value: () => '' })), []));

  r.post('/api/party/members/import', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '导入党员名册（整表导入，任一行有误则全部不导入并逐行报告）', consumes: ['multipart/form-data'], response: res.imported },
  }, async (req, reply) => reply.status(201).send(await importMembers(db, requireAuth(req), actorFromRequest(req), await readMultipart(req, 'file', 1))));

  r.post('/api/party/members/:id/report', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '登记双报到：党员向居住地社区报到（由所在党组织一方登记）', params: idParam, body: z.object({ communityId: bodyId }).strict(), response: res.member },
  }, async (req) => recordReport(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.communityId));

  r.post('/api/party/me/report', {
    schema: { tags, summary: '我要双报到：党员本人向居住地社区报到（默认为本人住址所在社区）', body: z.object({ communityId: bodyId.optional() }).strict(), response: res.member },
  }, async (req) => reportMyself(db, requireAuth(req), actorFromRequest(req), req.body.communityId));

  r.get('/api/party/transfers', {
    config: { permission: 'party:read' },
    schema: {
      tags, summary: '组织关系转接（转出或转入辖区党组织的；organisationId + direction=in&status=pending 为某组织待接收的）', response: res.transfers,
      querystring: pageQuery.extend({ organisationId: optionalId, direction: z.enum(['in', 'out']).optional(), status: z.enum(TRANSFER_STATUSES).optional() }),
    },
  }, async (req) => listTransfers(db, requireAuth(req), req.query, req.query));

  r.post('/api/party/transfers', {
    config: { permission: 'party:manage' },
    schema: {
      tags, summary: '发起组织关系转出（由党员所在党组织一方发起，转入组织接收后生效）', response: res.transferCreated,
      body: z.object({ memberId: bodyId, toOrganisationId: bodyId, reason: z.string().trim().max(200).nullable().optional() }).strict(),
    },
  }, async (req, reply) => reply.status(201).send(await requestTransfer(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.post('/api/party/transfers/:id/accept', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '接收组织关系转入（转入组织一方；只能处理一次）', params: idParam, body: decisionBody, response: res.transfer },
  }, async (req) => decideTransfer(db, requireAuth(req), actorFromRequest(req), req.params.id, 'accepted', req.body.note));

  r.post('/api/party/transfers/:id/reject', {
    config: { permission: 'party:manage' },
    schema: { tags, summary: '退回组织关系转入（转入组织一方；只能处理一次）', params: idParam, body: decisionBody, response: res.transfer },
  }, async (req) => decideTransfer(db, requireAuth(req), actorFromRequest(req), req.params.id, 'rejected', req.body.note));
}

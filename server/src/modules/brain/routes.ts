import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth as auth } from '../../core/auth/plugin.js';
import { fromJson } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { sendXlsx } from '../../core/excel.js';
import { saveDataFile } from '../../core/files.js';
import { bodyId, idParam, nonEmpty, optionalId } from '../../core/http.js';
import type { ModuleDeps } from '../../core/module.js';
import { readMultipart } from '../../core/multipart.js';
import { pageQuery } from '../../core/paging.js';
import { binary, XLSX } from '../../core/response.js';
import { decideApproval, getApproval, listApprovals, requestUse, withdrawApproval } from './approvals.js';
import { createConnector, getConnector, listConnectors, runConnectorNow, updateConnector } from './connectors.js';
import { listExchange, verifyExchangeLog } from './exchange-log.js';
import { headerOf, MAX_DATA_FILE_BYTES, previewFile, requireKeyMapped, resolveMapping, sniffDataFile } from './file-import.js';
import { requireSteward } from './policy.js';
import { createDataset, createDepartment, createSystem, getDataset, listDatasets, listDepartments, listSystems, setAccountDepartment, updateDataset } from './registry.js';
import { readDatasetRows, sampleRows } from './rows.js';
import { enqueueRun, getRun, kickRuns, listRuns, loadDatasetShape, runRejects } from './runs.js';
import { brainResponses as res, connectorKind, datasetField, departmentLevel, legalBasis, personalLevel, runStatus, shareType, updateCycle } from './schemas.js';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const ident = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, { message: 'invalid_format' }).describe('字母开头，字母、数字、下划线');
const fieldDecl = datasetField.extend({ name: ident, label: text(1, 40).optional(), personal: personalLevel.default('none') }).strict();
const datasetBody = z.object({
  name: text(2, 80), systemId: bodyId, description: text(1, 500).nullable().optional(), fields: z.array(fieldDecl).min(1).max(60), shareType,
  updateCycle: updateCycle.optional(), legalBasis: legalBasis.nullable().optional(), purpose: text(2, 500).nullable().optional(),
  retentionDays: z.number().int().min(1).max(3650).nullable().optional(), timeField: ident.nullable().optional(), consumerDepartmentIds: z.array(bodyId).max(100).optional(),
}).strict();
const datasetPatch = nonEmpty(z.object({
  name: text(2, 80).optional(), description: text(1, 500).nullable().optional(), shareType: shareType.optional(), updateCycle: updateCycle.optional(),
  legalBasis: legalBasis.nullable().optional(), purpose: text(2, 500).nullable().optional(), retentionDays: z.number().int().min(1).max(3650).nullable().optional(),
  timeField: ident.nullable().optional(), consumerDepartmentIds: z.array(bodyId).max(100).optional(),
}).strict());
const schedule = z.object({ everyMinutes: z.number().int().min(1).max(10080) }).strict();
const connectorBody = z.object({
  kind: connectorKind, datasetId: bodyId, name: text(2, 80).optional(), config: z.record(z.string(), z.unknown()).default({}), schedule: schedule.nullable().optional(), enabled: z.boolean().optional(),
}).strict();
const connectorPatch = nonEmpty(z.object({ name: text(2, 80).optional(), config: z.record(z.string(), z.unknown()).optional(), schedule: schedule.nullable().optional(), enabled: z.boolean().optional() }).strict());
const approvalBody = z.object({
  datasetId: bodyId, purpose: text(4, 500), legalBasis, fields: z.array(ident).min(1).max(60),
  startsAt: z.iso.datetime({ offset: true }).optional(), expiresAt: z.iso.datetime({ offset: true }),
}).strict();

function parseMapping(raw: string | undefined) {
  if (!raw) return null;
  let m: unknown;
  try { m = JSON.parse(raw); } catch { throw fieldError('mapping', 'invalid_json'); }
  const parsed = z.record(z.string().max(200), z.string().max(64)).safeParse(m);
  if (!parsed.success) throw fieldError('mapping', 'invalid_type', { expected: '{"列名":"字段名"}' });
  return parsed.data;
}

export async function brainRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const deps = (): ModuleDeps => ({ db, bus: app.events, files: app.files, secrets: app.secrets });
  const tags = ['brain'];
  const manage = { permission: 'brain:manage' as const };
  const use = { permission: 'brain:use' as const };

  // Registry
  r.get('/api/brain/departments', {
    config: use, schema: { tags, summary: '部门（成员单位）列表', querystring: pageQuery.extend({ q: text(1, 40).optional(), level: departmentLevel.optional() }), response: res.departments },
  }, async (req) => listDepartments(db, req.query));
  r.post('/api/brain/departments', {
    config: manage, schema: { tags, summary: '登记部门（名称、编码唯一）', body: z.object({ name: text(2, 60), code: ident, level: departmentLevel.optional() }).strict(), response: res.department },
  }, async (req, reply) => reply.status(201).send(await createDepartment(db, auth(req), actorFromRequest(req), req.body)));
  r.post('/api/brain/departments/:id/accounts', {
    config: manage, schema: { tags, summary: '指定账号所属部门（部门用户代表本部门申请、审批、读取数据）', params: idParam, body: z.object({ accountId: bodyId }).strict(), response: res.ok },
  }, async (req) => setAccountDepartment(db, auth(req), actorFromRequest(req), req.params.id, req.body.accountId));

  r.get('/api/brain/systems', {
    config: use, schema: { tags, summary: '系统（子系统）列表', querystring: pageQuery.extend({ departmentId: optionalId, q: text(1, 40).optional() }), response: res.systems },
  }, async (req) => listSystems(db, req.query));
  r.post('/api/brain/systems', {
    config: manage,
    schema: { tags, summary: '登记系统', body: z.object({ name: text(2, 80), departmentId: bodyId, code: ident.optional(), description: text(1, 500).nullable().optional() }).strict(), response: res.system },
  }, async (req, reply) => reply.status(201).send(await createSystem(db, auth(req), actorFromRequest(req), req.body)));

  r.get('/api/brain/datasets', {
    config: use,
    schema: {
      tags, summary: '政务数据资源目录（元数据，不含数据行）',
      querystring: pageQuery.extend({ q: text(1, 40).optional(), departmentId: optionalId, systemId: optionalId, shareType: shareType.optional(), freshness: z.enum(['never']).optional() }),
      response: res.catalogue,
    },
  }, async (req) => listDatasets(db, req.query));
  r.post('/api/brain/datasets', {
    config: manage, schema: { tags, summary: '登记数据集（恰有 1–3 个字段为主键；含个人信息须写明法律依据与目的，敏感个人信息须写明保存期限）', body: datasetBody, response: res.datasetCreated },
  }, async (req, reply) => reply.status(201).send(await createDataset(db, auth(req), actorFromRequest(req), req.body)));
  r.get('/api/brain/datasets/:id', {
    config: use, schema: { tags, summary: '数据集详情：字段、共享方式、同步记录、使用部门', params: idParam, response: res.dataset },
  }, async (req) => getDataset(db, auth(req), req.params.id));
  r.patch('/api/brain/datasets/:id', {
    config: manage, schema: { tags, summary: '修改数据集（字段与主键不可改）', params: idParam, body: datasetPatch, response: res.dataset },
  }, async (req) => updateDataset(db, auth(req), actorFromRequest(req), req.params.id, req.body));
  r.get('/api/brain/datasets/:id/rows', {
    config: use,
    schema: {
      tags, summary: '读取数据行（按共享方式与审批校验，默认脱敏；unmasked=true 须写明用途并记录）',
      params: idParam, querystring: pageQuery.extend({ q: text(1, 60).optional(), unmasked: z.enum(['true', 'false']).optional(), purpose: text(4, 200).optional() }),
      response: res.rows,
    },
  }, async (req) => readDatasetRows(db, app.secrets, auth(req), actorFromRequest(req), req.params.id, { ...req.query, unmasked: req.query.unmasked === 'true' }));
  r.get('/api/brain/datasets/:id/sample', {
    config: use, schema: { tags, summary: '样例数据（20 行，始终脱敏；数据管理员与提供部门）', params: idParam, response: res.rows },
  }, async (req) => sampleRows(db, app.secrets, auth(req), actorFromRequest(req), req.params.id));

  // File drop
  r.post('/api/brain/datasets/:id/uploads/preview', {
    config: manage, schema: { tags, summary: '上传预览：列与字段的对应、前 20 行及校验结果（不导入）', params: idParam, consumes: ['multipart/form-data'], response: res.preview },
  }, async (req) => {
    requireSteward(auth(req));
    const form = await readMultipart(req, 'file', 1, MAX_DATA_FILE_BYTES);
    if (!form.files[0]) throw fieldError('file', 'required');
    const ds = await loadDatasetShape(db, req.params.id);
    return previewFile(form.files[0], ds, parseMapping(form.fields.mapping), ds.upload_mapping);
  });
  r.post('/api/brain/datasets/:id/uploads', {
    config: manage,
    schema: { tags, summary: '上传 CSV/.xlsx 并导入（后台运行，返回 runId；按主键更新，重复上传不增加行；对应关系保存供下次使用）', params: idParam, consumes: ['multipart/form-data'], response: res.upload },
  }, async (req, reply) => {
    const a = auth(req);
    requireSteward(a);
    const form = await readMultipart(req, 'file', 1, MAX_DATA_FILE_BYTES);
    const bytes = form.files[0];
    if (!bytes) throw fieldError('file', 'required');
    const ds = await loadDatasetShape(db, req.params.id);
    const kind = sniffDataFile(bytes);
    const mapping = resolveMapping(await headerOf(bytes), ds.fields, parseMapping(form.fields.mapping), ds.upload_mapping);
    requireKeyMapped(ds, mapping);
    const file = await saveDataFile(db, app.files, bytes, kind === 'csv' ? 'text/csv' : XLSX, kind, a.accountId);
    await db.updateTable('brain_datasets').set({ upload_mapping: JSON.stringify(mapping) }).where('id', '=', ds.id).execute();
    const runId = await enqueueRun(db, { datasetId: ds.id, kind: 'file', fileId: file.id, fileName: (form.fields.fileName ?? '').slice(0, 200) || `upload.${kind}`, mapping, createdBy: a.accountId });
    kickRuns(deps(), (err) => req.log.error({ err }, 'brain run failed'));
    return reply.status(202).send({ runId });
  });

  // Runs
  r.get('/api/brain/runs', {
    config: manage, schema: { tags, summary: '运行记录（导入与连接器）', querystring: pageQuery.extend({ datasetId: optionalId, connectorId: optionalId, status: runStatus.optional() }), response: res.runs },
  }, async (req) => { requireSteward(auth(req)); return listRuns(db, req.query); });
  r.get('/api/brain/runs/:id', {
    config: manage, schema: { tags, summary: '一次运行的状态与进度（progress 0..1）', params: idParam, response: res.run },
  }, async (req) => { requireSteward(auth(req)); return getRun(db, req.params.id); });
  r.get('/api/brain/runs/:id/rejects.xlsx', {
    config: manage, schema: { tags, summary: '下载被拒绝的行及原因', params: idParam, response: { 200: binary(XLSX, '被拒绝的行') } },
  }, async (req, reply) => {
    requireSteward(auth(req));
    const run = await getRun(db, req.params.id);
    const rows = await runRejects(db, run.id);
    const cols = [...new Set(rows.flatMap((x) => Object.keys(fromJson<Record<string, unknown>>(x.data))))];
    return sendXlsx(reply, `被拒绝的行-运行${run.id}.xlsx`, '被拒绝的行', [
      { header: '行号', key: 'row', width: 8, value: (x: (typeof rows)[number]) => x.row_no },
      { header: '原因', key: 'reason', width: 40, value: (x: (typeof rows)[number]) => x.reason },
      ...cols.map((c) => ({ header: c, key: `c_${c}`, value: (x: (typeof rows)[number]) => fromJson<Record<string, unknown>>(x.data)[c] as string })),
    ], rows);
  });

  // Connectors
  r.get('/api/brain/connectors', {
    config: manage, schema: { tags, summary: '连接器列表（不含任何凭据）', querystring: pageQuery.extend({ datasetId: optionalId, kind: connectorKind.optional() }), response: res.connectors },
  }, async (req) => listConnectors(db, auth(req), req.query));
  r.post('/api/brain/connectors', {
    config: manage,
    schema: { tags, summary: '新建连接器（sql / http_pull / webhook / mqtt）；凭据加密保存、不再返回；webhook 的密钥仅在此返回一次', body: connectorBody, response: res.connectorCreated },
  }, async (req, reply) => reply.status(201).send(await createConnector(deps(), auth(req), actorFromRequest(req), req.body)));
  r.get('/api/brain/connectors/:id', {
    config: manage, schema: { tags, summary: '连接器详情与最近一次运行', params: idParam, response: res.connector },
  }, async (req) => getConnector(db, auth(req), req.params.id));
  r.patch('/api/brain/connectors/:id', {
    config: manage, schema: { tags, summary: '修改连接器（未再次提供的凭据保持不变）', params: idParam, body: connectorPatch, response: res.connector },
  }, async (req) => updateConnector(deps(), auth(req), actorFromRequest(req), req.params.id, req.body));
  r.post('/api/brain/connectors/:id/run', {
    config: manage,
    schema: { tags, summary: '立即运行（增量；mode=full 全量核对并删除源端已删除的行）', params: idParam, body: z.object({ mode: z.enum(['incremental', 'full']).optional() }).strict().optional(), response: res.runStarted },
  }, async (req, reply) => reply.status(202).send(await runConnectorNow(deps(), auth(req), req.params.id, req.body?.mode)));

  // Approvals
  r.get('/api/brain/approvals', {
    config: use,
    schema: { tags, summary: '使用申请：inbox 本部门数据集收到的申请，mine 本部门提出的申请，all 全部（数据管理员）', querystring: pageQuery.extend({ box: z.enum(['inbox', 'mine', 'all']).optional(), status: z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'expired']).optional(), datasetId: optionalId }), response: res.approvals },
  }, async (req) => listApprovals(db, auth(req), req.query));
  r.post('/api/brain/approvals', {
    config: use, schema: { tags, summary: '申请使用有条件共享的数据集（用途、法律依据、所需字段、期限）', body: approvalBody, response: res.approvalCreated },
  }, async (req, reply) => reply.status(201).send(await requestUse(db, auth(req), req.body)));
  r.get('/api/brain/approvals/:id', {
    config: use, schema: { tags, summary: '一条使用申请', params: idParam, response: res.approval },
  }, async (req) => getApproval(db, auth(req), req.params.id));
  r.post('/api/brain/approvals/:id/decision', {
    config: { permission: 'brain:approve' as const },
    schema: { tags, summary: '提供部门审批（approve / reject，驳回须写理由；可缩减字段）', params: idParam, body: z.object({ decision: z.enum(['approve', 'reject']), note: text(1, 500).nullable().optional(), fields: z.array(ident).max(60).optional() }).strict(), response: res.approval },
  }, async (req) => decideApproval(db, app.secrets, auth(req), actorFromRequest(req), req.params.id, req.body));
  r.post('/api/brain/approvals/:id/withdraw', {
    config: use, schema: { tags, summary: '申请部门撤回申请（已批准的也可提前结束）', params: idParam, response: res.approval },
  }, async (req) => withdrawApproval(db, auth(req), req.params.id));

  // Exchange log
  r.get('/api/brain/exchange-log', {
    config: manage,
    schema: {
      tags, summary: '数据交换日志（哈希链 + Ed25519 签名）',
      querystring: pageQuery.extend({ datasetId: optionalId, departmentId: optionalId, kind: text(1, 20).optional(), outcome: text(1, 20).optional(), from: z.iso.date().optional(), to: z.iso.date().optional() }),
      response: res.exchangeLog,
    },
  }, async (req) => { requireSteward(auth(req)); return listExchange(db, req.query); });
  r.get('/api/brain/exchange-log/verify', {
    config: manage, schema: { tags, summary: '校验交换日志：哈希链与签名，指出第一条有问题的记录', response: res.verify },
  }, async (req) => { requireSteward(auth(req)); return verifyExchangeLog(db, app.secrets); });
  r.get('/api/brain/exchange-log/public-key', {
    config: { public: true }, schema: { tags, summary: '交换日志签名公钥（Ed25519，PEM），供各部门自行核验', response: { 200: binary('application/x-pem-file', 'Ed25519 public key (SPKI PEM)') } },
  }, async (_req, reply) => reply.type('application/x-pem-file').header('x-key-id', app.secrets.signingKey.keyId).send(app.secrets.signingKey.publicPem));
}

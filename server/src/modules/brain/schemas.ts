import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { code, instant, int, jsonColumn, ok } from '../../core/response.js';

/**
 * Response schemas of the Red Brain routes. The enums repeat tables.ts's lists so that the web
 * can take its types from this file without the server's tables.
 */
export const fieldType = z.enum(['text', 'int', 'number', 'date', 'timestamp']);
export const personalLevel = z.enum(['none', 'personal', 'sensitive']);
export const shareType = z.enum(['open', 'conditional', 'none']);
export const updateCycle = z.enum(['realtime', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']);
export const connectorKind = z.enum(['sql', 'http_pull', 'webhook', 'mqtt']);
export const runKind = z.enum(['file', 'sql', 'http_pull', 'webhook', 'mqtt']);
export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);
export const departmentLevel = z.enum(['city', 'district', 'street', 'enterprise']);
export const legalBasis = z.enum(['consent', 'contract_hr', 'legal_duty', 'public_health', 'news', 'public_info', 'other_law']);
export const approvalStatus = z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'expired']);

export const datasetField = z.object({ name: z.string(), label: z.string().optional(), type: fieldType, personal: personalLevel, key: z.boolean().optional() });

const department = z.object({ id: int, code: z.string(), name: z.string(), level: code(departmentLevel), systems: int, datasets: int, accounts: int, createdAt: instant });
const system = z.object({ id: int, code: z.string(), name: z.string(), description: z.string().nullable(), departmentId: int, departmentName: z.string(), datasets: int, createdAt: instant });
const ref = z.object({ id: int, name: z.string() });
const runSummary = z.object({
  id: int, kind: code(runKind), mode: code(z.enum(['incremental', 'full'])), status: code(runStatus), progress: z.number(), rowsIn: int, inserted: int, updated: int,
  unchanged: int, rejected: int, deleted: int, error: z.string().nullable(), fileName: z.string().nullable(), createdAt: instant, startedAt: instant.nullable(), finishedAt: instant.nullable(),
});
const datasetBase = {
  id: int, name: z.string(), description: z.string().nullable(), fields: jsonColumn(z.array(datasetField)), keyFields: z.array(z.string()), shareType: code(shareType),
  updateCycle: code(updateCycle), legalBasis: code(legalBasis).nullable(), purpose: z.string().nullable(), retentionDays: int.nullable(), timeField: z.string().nullable(),
  rowCount: int, lastSyncAt: instant.nullable(), freshness: z.enum(['fresh', 'stale', 'never']), personal: z.boolean(), sensitive: z.boolean(),
  system: z.object({ id: int, name: z.string(), code: z.string() }), department: z.object({ id: int, name: z.string(), code: z.string() }), updatedAt: instant,
};
const catalogueItem = z.object(datasetBase);
const datasetDetail = z.object({
  ...datasetBase,
  consumers: z.array(ref),
  users: z.array(z.object({ approvalId: int, department: z.string(), purpose: z.string(), fields: z.array(z.string()), expiresAt: instant })),
  runs: z.array(runSummary), connectors: z.array(z.object({ id: int, name: z.string(), kind: code(connectorKind), enabled: z.boolean() })),
  uploadMapping: jsonColumn(z.record(z.string(), z.string()).nullable()),
  viewer: z.object({ steward: z.boolean(), department: ref.nullable(), provider: z.boolean() }),
});
const run = runSummary.extend({
  datasetId: int, datasetName: z.string(), connectorId: int.nullable(), stage: z.string().nullable(), attempt: int, contentSha256: z.string().nullable(), createdBy: z.string().nullable(),
});
const connector = z.object({
  id: int, key: z.string(), name: z.string(), kind: code(connectorKind), dataset: ref, config: jsonColumn(z.record(z.string(), z.unknown())).describe('不含任何密码、密钥（已加密保存，不返回）'),
  hasSecret: z.boolean(), schedule: z.object({ everyMinutes: int }).nullable(), enabled: z.boolean(), watermark: jsonColumn(z.unknown()).nullable(), nextRunAt: instant.nullable(),
  createdAt: instant, lastRun: runSummary.nullable(), inboundPath: z.string().nullable(),
});
const approval = z.object({
  id: int, status: code(approvalStatus), live: z.boolean(), purpose: z.string(), legalBasis: code(legalBasis), fields: z.array(z.string()), startsAt: instant, expiresAt: instant,
  createdAt: instant, decidedAt: instant.nullable(), decisionNote: z.string().nullable(), requestedBy: z.string(), decidedBy: z.string().nullable(),
  dataset: z.object({ id: int, name: z.string(), shareType: code(shareType) }), provider: ref, consumer: ref,
});
const rows = z.object({
  dataset: z.object({ id: int, name: z.string(), shareType: code(shareType) }), access: z.enum(['provider', 'steward', 'open', 'approved']), masked: z.boolean(),
  contentSha256: z.string().describe('本页 items[].values 按规范 JSON 行计算的 SHA-256，与交换日志记录一致'),
  fields: z.array(z.object({ name: z.string(), label: z.string().nullable(), type: code(fieldType), personal: code(personalLevel) })),
  items: z.array(z.object({ key: z.string(), updatedAt: instant, values: z.record(z.string(), z.unknown()) })), total: int, page: int, pageSize: int,
});
const preview = z.object({
  kind: z.enum(['csv', 'xlsx']), header: z.array(z.string()), mapping: z.record(z.string(), z.string()), unmappedFields: z.array(z.string()),
  rows: z.array(z.object({ rowNo: int, values: z.record(z.string(), z.unknown()), ok: z.boolean(), reason: z.string().nullable() })),
});
const exchangeRecord = z.object({
  id: int, at: instant, kind: z.string(), outcome: z.string(), department: z.string().nullable(), departmentId: int.nullable(), accountId: int.nullable(), actorName: z.string().nullable(),
  dataset: z.string().nullable(), datasetId: int.nullable(), connectorId: int.nullable(), runId: int.nullable(), approvalId: int.nullable(), rowCount: int,
  contentSha256: z.string().nullable(), purpose: z.string().nullable(), detail: jsonColumn(z.record(z.string(), z.unknown())), hash: z.string(), prevHash: z.string(), signature: z.string(),
});
const verify = z.object({ ok: z.boolean(), checked: int, brokenAt: int.optional(), problem: z.enum(['link', 'content', 'signature']).optional(), reason: z.string().optional(), keyId: z.string() });

export const brainResponses = {
  departments: { 200: pageOf(department) }, department: { 201: department }, ok: { 200: ok },
  systems: { 200: pageOf(system) }, system: { 201: system },
  catalogue: { 200: pageOf(catalogueItem) }, dataset: { 200: datasetDetail }, datasetCreated: { 201: datasetDetail },
  rows: { 200: rows }, preview: { 200: preview }, upload: { 202: z.object({ runId: int }) },
  run: { 200: run }, runs: { 200: pageOf(run) }, runStarted: { 202: z.object({ runId: int }) },
  connectors: { 200: pageOf(connector) }, connector: { 200: connector },
  connectorCreated: { 201: connector.extend({ secret: z.string().optional().describe('webhook 的签名密钥，仅此一次返回') }) },
  inbound: { 200: z.object({ runId: int, rowsIn: int, inserted: int, updated: int, unchanged: int, rejected: int }) },
  approvals: { 200: pageOf(approval) }, approval: { 200: approval }, approvalCreated: { 201: approval },
  exchangeLog: { 200: pageOf(exchangeRecord) }, verify: { 200: verify },
};

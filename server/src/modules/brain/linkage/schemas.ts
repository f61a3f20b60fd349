import { z } from 'zod';
import { pageOf } from '../../../core/paging.js';
import { instant, int } from '../../../core/response.js';

/** Response schemas of the match-job routes (the contract of issue 11: counts, timings, links with explanations). */
export const matchJobStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);
export const matchDecision = z.enum(['auto', 'review', 'none']);
export const matchLabel = z.enum(['match', 'non_match', 'skip']);
const thresholds = z.object({ auto: z.number(), review: z.number() });

export const matchJob = z.object({
  id: int, status: matchJobStatus, stage: z.string().nullable(), progress: z.number(), pairsDone: int, pairsTotal: int,
  leftDatasetId: int, leftDatasetName: z.string(), rightDatasetId: int, rightDatasetName: z.string(), spec: z.string(), thresholds,
  counts: z.object({ candidatePairs: int, auto: int, review: int, none: int, leftRecords: int.optional(), rightRecords: int.optional(), pairsPerRecord: z.number().optional() }),
  ruleCounts: z.array(z.object({ rule: z.string(), label: z.string(), pairs: int })),
  timings: z.record(z.string(), z.number()).describe('每个阶段的用时（毫秒）：standardise, block, compare, estimate, score, decide, total'),
  curve: z.array(z.object({ threshold: z.number(), pairs: int, precision: z.number().nullable(), recall: z.number().nullable() })).describe('模型给出的预期精确率与召回率（按概率阈值）'),
  labelReport: z.object({ labelled: int, before: z.number().nullable(), after: z.number().nullable() }).nullable().describe('用复核标注重新估计前后，模型在已标注配对上的精确率'),
  model: z.object({ lambda: z.number(), iterations: int, converged: z.boolean() }).nullable(),
  error: z.string().nullable(), attempt: int, createdBy: z.string().nullable(), createdAt: instant, startedAt: instant.nullable(), finishedAt: instant.nullable(),
});

export const explanationItem = z.object({ field: z.string(), level: z.string(), weight: z.number(), label: z.string().describe('如“身份证号相同”“姓名同音”“手机号缺失”') });
export const matchLink = z.object({
  pairId: z.string(), leftKey: z.string(), rightKey: z.string(), weight: z.number().nullable(), probability: z.number().nullable(),
  decision: matchDecision.nullable(), label: matchLabel.nullable(), explanation: z.array(explanationItem),
});

const reviewSide = z.object({
  datasetId: int, datasetName: z.string(), key: z.string().describe('数据集自身的主键值'),
  values: z.record(z.string(), z.string().nullable()).describe('比对字段的当前值（name, sex, birth_date, id_no, phone, address），一律脱敏'),
});
export const matchPairReview = matchLink.omit({ leftKey: true, rightKey: true }).extend({
  fields: z.array(z.object({ field: z.string(), label: z.string(), level: z.string().nullable(), same: z.boolean().describe('标准化后两侧相同（不需突出显示）') })),
  left: reviewSide, right: reviewSide,
});

export const matchResponses = {
  job: { 200: matchJob }, jobs: { 200: pageOf(matchJob) }, created: { 201: z.object({ id: int }) }, requeued: { 202: z.object({ id: int }) },
  links: { 200: pageOf(matchLink) }, pair: { 200: matchPairReview }, labelled: { 200: z.object({ ok: z.boolean(), reviewLeft: int }) },
};

import { z } from 'zod';
import { bodyId } from '../../../core/http.js';
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

const personValues = z.record(z.string(), z.string().nullable()).describe('name, sex, birth_date, id_no, phone, address：默认脱敏');
const recordRef = z.object({ datasetId: int, datasetName: z.string(), key: z.string().describe('数据集自身的主键值') });
const personRecord = recordRef.extend({
  departmentName: z.string(), jobId: int, pairId: z.string(), weight: z.number().nullable(), probability: z.number().nullable(),
  decidedBy: z.enum(['auto', 'review']).describe('auto：自动关联；review：人工复核确认'), updatedAt: instant.nullable().describe('该记录最近一次更新'), values: personValues,
});
export const personIndexEntry = z.object({
  personId: z.string(), masked: z.boolean(),
  registry: recordRef.extend({ updatedAt: instant.nullable(), regionPath: z.string().nullable(), values: personValues }),
  records: z.array(personRecord).describe('经确认的关联记录（比对任务自动关联且未被否决，或人工复核确认）'),
  split: z.array(personRecord).describe('因有效身份证号不一致而拆分、不计入此人的关联记录'),
  withheld: int.describe('调用者已无权读取的数据集中的关联记录数'),
  flags: z.array(z.object({ code: z.literal('conflicting_ids'), pairs: z.array(z.object({ left: recordRef, right: recordRef })) })),
});

export const matchResponses = {
  job: { 200: matchJob }, jobs: { 200: pageOf(matchJob) }, created: { 201: z.object({ id: int }) }, requeued: { 202: z.object({ id: int }) },
  links: { 200: pageOf(matchLink) }, pair: { 200: matchPairReview }, labelled: { 200: z.object({ ok: z.boolean(), reviewLeft: int }) },
  person: { 200: personIndexEntry },
};

/** Probe analysis (无线探针研判): persons of the registry on a risk list seen by the probes, with the chain of evidence; every value masked. */
export const probeAnalysisBody = z.object({
  probeDatasetId: bodyId, deviceDatasetId: bodyId, riskDatasetId: bodyId,
  from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }),
}).strict();
const probeEvidence = z.object({
  probeId: z.string().nullable(), seenAt: instant, macHash: z.string().describe('设备 MAC 哈希的前 8 位'), phone: z.string().nullable().describe('运营商登记的手机号（脱敏）'),
  riskEntry: z.object({ key: z.string(), values: z.record(z.string(), z.string().nullable()).describe('名单条目各字段（个人信息脱敏）') }),
});
export const probeAnalysis = z.object({
  window: z.object({ from: instant, to: instant }),
  hits: z.array(z.object({
    personKey: z.string().describe('人口库的人员编号'),
    person: z.object({ name: z.string().nullable(), sex: z.string().nullable(), birthYear: int.nullable(), address: z.string().nullable() }),
    evidence: z.array(probeEvidence).describe('证据链：哪个探针、何时、哪个设备与号码、哪条名单记录（每人至多 100 条）'),
    evidenceTotal: int,
  })),
  counts: z.object({
    sightings: int.describe('时间窗内的探针发现记录数'), devices: int.describe('其中不同的设备（MAC 哈希）数'), phonesMatched: int.describe('运营商数据中对应到的手机号数'),
    riskMatched: int.describe('命中的名单条目数'), persons: int.describe('人口库中对应到的人数'),
  }),
});

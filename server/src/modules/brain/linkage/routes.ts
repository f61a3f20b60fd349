import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../../core/auth/context.js';
import { requireAuth as auth } from '../../../core/auth/plugin.js';
import { bodyId, dbId, idParam } from '../../../core/http.js';
import { pageQuery } from '../../../core/paging.js';
import { requireSteward } from '../policy.js';
import { getMatchJob, kickMatchJobs, listMatchJobs, matchLinks, matchPairForReview } from './jobs.js';
import { matchDecision, matchLabel, matchResponses as res } from './schemas.js';
import { personIndexEntry } from './person-index.js';
import { labelPair, parsePairId, rescoreMatchJob, startMatchJob } from './service.js';
import { analyseProbes } from './probe-analysis.js';
import { probeAnalysis, probeAnalysisBody } from './schemas.js';

const probability = z.number().gt(0).max(1);
const thresholds = z.object({ auto: probability.optional(), review: probability.optional() }).strict();

/** Match jobs (record linkage) of the hub: start, follow, read links with their explanations, review, re-score. */
export async function linkageRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['brain'];
  const manage = { permission: 'brain:manage' as const };
  const kick = () => kickMatchJobs({ db }, (err) => app.log.error({ err }, 'match job failed'));

  r.get('/api/brain/match-jobs', {
    config: manage, schema: { tags, summary: '数据比对任务列表', querystring: pageQuery, response: res.jobs },
  }, async (req) => { requireSteward(auth(req)); return listMatchJobs(db, req.query); });
  r.post('/api/brain/match-jobs', {
    config: manage,
    schema: {
      tags, summary: '新建数据比对任务（两个人员数据集；阈值为匹配概率，默认 auto 0.95、review 0.5）',
      body: z.object({ leftDatasetId: bodyId, rightDatasetId: bodyId, thresholds: thresholds.optional() }).strict(), response: res.created,
    },
  }, async (req, reply) => {
    const out = await startMatchJob(db, app.secrets, auth(req), actorFromRequest(req), req.body);
    kick();
    return reply.status(201).send(out);
  });
  r.get('/api/brain/match-jobs/:id', {
    config: manage, schema: { tags, summary: '比对任务进度与结果：阶段、配对数、各规则配对数、各阶段用时、预期精确率/召回率曲线', params: idParam, response: res.job },
  }, async (req) => { requireSteward(auth(req)); return getMatchJob(db, req.params.id); });
  r.get('/api/brain/match-jobs/:id/links', {
    config: manage,
    schema: {
      tags, summary: '比对结果：配对（双方主键）、权重、概率、判定与逐字段解释',
      params: idParam, querystring: pageQuery.extend({ decision: matchDecision.optional(), label: z.enum(['match', 'non_match', 'skip', 'none']).optional() }), response: res.links,
    },
  }, async (req) => { requireSteward(auth(req)); return matchLinks(db, req.params.id, req.query); });
  r.get('/api/brain/match-jobs/:id/pairs/:pairId', {
    config: manage,
    schema: { tags, summary: '人工复核：一个配对的两条记录并排（脱敏值）、逐字段是否相同与解释', params: idParam.extend({ pairId: z.string().max(24) }), response: res.pair },
  }, async (req) => {
    const a = auth(req);
    requireSteward(a);
    return matchPairForReview(db, a, req.params.id, parsePairId(req.params.pairId));
  });
  r.post('/api/brain/match-jobs/:id/pairs/:pairId/label', {
    config: manage,
    schema: {
      tags, summary: '人工复核：确认为同一人（match）、不是同一人（non_match）或跳过（skip）',
      params: idParam.extend({ pairId: z.string().max(24) }), body: z.object({ label: matchLabel }).strict(), response: res.labelled,
    },
  }, async (req) => labelPair(db, auth(req), actorFromRequest(req), req.params.id, req.params.pairId, req.body.label));
  r.post('/api/brain/match-jobs/:id/rescore', {
    config: manage,
    schema: { tags, summary: '用复核标注重新估计模型并重新判定（可同时调整阈值）', params: idParam, body: z.object({ thresholds: thresholds.optional() }).strict().optional(), response: res.requeued },
  }, async (req, reply) => {
    const out = await rescoreMatchJob(db, auth(req), actorFromRequest(req), req.params.id, req.body?.thresholds);
    kick();
    return reply.status(202).send(out);
  });
  r.get('/api/brain/persons/:personId', {
    config: manage,
    schema: {
      tags, summary: '一人一档：人口库中的一人及经确认关联到此人的各部门记录（默认脱敏；有效身份证号冲突的关联拆分并标记）',
      params: z.object({ personId: dbId }),
      querystring: z.object({ unmasked: z.enum(['true', 'false']).optional(), purpose: z.string().max(200).optional() }),
      response: res.person,
    },
  }, async (req) => personIndexEntry(db, auth(req), actorFromRequest(req), req.params.personId, { unmasked: req.query.unmasked === 'true', purpose: req.query.purpose }));
  r.post('/api/brain/probe-analysis', {
    config: manage,
    schema: {
      tags, summary: '无线探针研判：时间窗内探针发现 × 运营商设备号码 × 风险名单 → 人口库中在辖区活动的人员及证据链（脱敏）',
      body: probeAnalysisBody, response: { 200: probeAnalysis },
    },
  }, async (req) => analyseProbes(db, app.secrets, auth(req), actorFromRequest(req), req.body));
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../../core/auth/context.js';
import { requireAuth as auth } from '../../../core/auth/plugin.js';
import { can } from '../../../core/auth/roles.js';
import { fieldError, forbidden } from '../../../core/errors.js';
import { idParam, optionalId } from '../../../core/http.js';
import { readMultipart } from '../../../core/multipart.js';
import { pageQuery } from '../../../core/paging.js';
import { syncRegistryAs } from './registry.js';
import { taskResponses as res, taskResultBody, taskStatus } from './schemas.js';
import { createTasksForJob, getTask, listTasks, recordTaskResult, taskStats } from './service.js';

/** Verification tasks: created from a match job against the registry, listed and closed by the workers of the person's place. */
export async function taskRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['brain'];
  const verify = { permission: 'task:verify' as const };

  r.post('/api/brain/registry/sync', {
    config: { permission: 'brain:manage' }, schema: { tags, summary: '同步内置数据集“人口库（一人一档）”：从人员登记按人员编号更新', response: res.sync },
  }, async (req) => syncRegistryAs(db, app.secrets, auth(req), actorFromRequest(req)));

  r.post('/api/brain/match-jobs/:id/tasks', {
    config: { permission: 'brain:manage' },
    schema: { tags, summary: '由比对结果生成核查任务：与人口库比对的自动关联及复核确认的配对，每对一条，已生成的跳过', params: idParam, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createTasksForJob(db, auth(req), actorFromRequest(req), req.params.id)));

  r.get('/api/verification-tasks', {
    config: verify,
    schema: {
      tags, summary: '核查任务：本辖区（网格员为本网格）的任务，人员信息脱敏；未完成的在前',
      querystring: pageQuery.extend({ status: taskStatus.optional(), regionId: optionalId }), response: res.list,
    },
  }, async (req) => listTasks(db, auth(req), { status: req.query.status, regionId: req.query.regionId }, req.query));

  r.get('/api/verification-tasks/stats', {
    schema: { tags, summary: '核查任务进度：按街道、社区统计派发、完成、确认数与“不是此人”比例', querystring: z.object({ regionId: optionalId }), response: res.stats },
  }, async (req) => {
    const a = auth(req);
    if (!can(a.permissions, 'task:verify') && !can(a.permissions, 'brain:manage')) throw forbidden();
    return taskStats(db, a, { regionId: req.query.regionId });
  });

  r.get('/api/verification-tasks/:id', {
    config: verify, schema: { tags, summary: '一条核查任务', params: idParam, response: res.one },
  }, async (req) => getTask(db, auth(req), req.params.id));

  r.post('/api/verification-tasks/:id/result', {
    config: verify,
    schema: {
      tags, summary: '登记核查结果并办结：JSON {"result","note"}，或 multipart（result、note 与 0–1 张 photo）；confirmed 确认在此居住、not_resident 不在此居住、wrong_person 不是此人、other 其他须填说明',
      params: idParam, consumes: ['application/json', 'multipart/form-data'], response: res.one,
    },
  }, async (req) => {
    let input: unknown = req.body, photo: Buffer | undefined;
    if (req.isMultipart()) { const form = await readMultipart(req, 'photo', 1); input = form.fields; photo = form.files[0]; }
    const parsed = taskResultBody.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (issue.code === 'unrecognized_keys') throw fieldError(issue.keys[0], 'unknown_field');
      const field = String(issue.path[0] ?? 'result');
      throw fieldError(field, (input as Record<string, unknown> | null)?.[field] === undefined ? 'required' : 'invalid');
    }
    return recordTaskResult({ db, files: app.files }, auth(req), actorFromRequest(req), req.params.id, parsed.data, photo);
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { bodyId, nonEmpty } from '../../core/http.js';
import { requestTeam, serviceTypeResponses as res } from './schemas.js';
import { createServiceType, listManagedServiceTypes, updateServiceType } from './service-types.js';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const code = z.string().trim().regex(/^[a-z][a-z0-9_.-]{1,39}$/, { message: 'invalid_format' }).describe('如 repair.water：小写字母开头，字母、数字、._-，2–40 位');

// The shape the H5 form and Open311 already read (requests-tables.ts AttributeDef).
const attribute = z.object({
  code: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'invalid_format' }), name: text(1, 40),
  datatype: z.enum(['string', 'text', 'number', 'datetime', 'singlevaluelist']), required: z.boolean().default(false),
  description: text(1, 200).optional(), values: z.array(z.object({ key: text(1, 40), name: text(1, 40) }).strict()).max(30).optional(),
}).strict().superRefine((a, ctx) => {
  if (a.datatype === 'singlevaluelist' && !a.values?.length) ctx.addIssue({ code: 'custom', message: 'required', path: ['values'] });
  if (a.datatype !== 'singlevaluelist' && a.values) ctx.addIssue({ code: 'custom', message: 'invalid', path: ['values'] });
  if (a.values && new Set(a.values.map((v) => v.key)).size !== a.values.length) ctx.addIssue({ code: 'custom', message: 'invalid', path: ['values'] });
});
const attributes = z.array(attribute).max(20).superRefine((list, ctx) => {
  list.forEach((a, i) => { if (list.findIndex((b) => b.code === a.code) !== i) ctx.addIssue({ code: 'custom', message: 'taken', path: [i, 'code'] }); });
});
const fields = {
  name: text(2, 40), group: text(2, 20), description: text(1, 200).nullable().optional(), slaHours: z.number().int().min(1).max(720),
  team: requestTeam, allianceUnitId: bodyId.nullable().optional().describe('处理单位为联盟服务单位（alliance）时必填'),
  attributes, keywords: text(1, 200).nullable().optional(), sort: z.number().int().min(0).max(9999).optional(),
};
const createBody = z.object({ code, ...fields, attributes: attributes.default([]) }).strict();
const patchBody = nonEmpty(z.object({
  name: fields.name.optional(), group: fields.group.optional(), description: fields.description, slaHours: fields.slaHours.optional(), team: requestTeam.optional(),
  allianceUnitId: fields.allianceUnitId, attributes: attributes.optional(), keywords: fields.keywords, sort: fields.sort, active: z.boolean().optional(),
}).strict());

export async function serviceTypeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['service-requests'];
  const config = { permission: 'service-type:manage' as const };

  r.get('/api/service-types/managed', {
    config, schema: { tags, summary: '报事类别管理：全部类别（含已停用）', response: res.managed },
  }, async () => ({ items: await listManagedServiceTypes(db) }));

  r.post('/api/service-types', {
    config, schema: { tags, summary: '新建报事类别（编码唯一，重复 409）', body: createBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createServiceType(db, actorFromRequest(req), req.body)));

  r.patch('/api/service-types/:code', {
    config,
    schema: {
      tags, summary: '修改报事类别（编码不可改；新时限、处理单位只用于此后提交的报事）；active=false 停用（H5 与 Open311 不再列出，已有报事不受影响），true 重新启用',
      params: z.object({ code }), body: patchBody, response: res.updated,
    },
  }, async (req) => updateServiceType(db, actorFromRequest(req), req.params.code, req.body));
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { sendXlsx } from '../../core/excel.js';
import { idParam, optionalId, nonEmpty, bodyId, isoDate } from '../../core/http.js';
import { isValidIdNumber, isValidMobile } from '../../core/identity.js';
import { pageQuery } from '../../core/paging.js';
import { createPerson, exportPeople, getPerson, listPeople, myHousehold, updatePerson } from './service.js';
import { binary, XLSX } from '../../core/response.js';
import { peopleResponses as res } from './schemas.js';

const idNumber = z.string().trim().toUpperCase().refine(isValidIdNumber, { message: 'invalid_id_number' });
const phone = z.string().trim().refine(isValidMobile, { message: 'invalid_phone' });
const date = isoDate;
const filter = z.object({ regionId: optionalId, q: z.string().max(50).optional(), householdId: optionalId });

const personBody = z.object({
  name: z.string().trim().min(1).max(40),
  sex: z.enum(['M', 'F']).optional(),
  birthDate: date.nullable().optional(),
  idNumber: idNumber.nullable().optional(),
  phone: phone.nullable().optional(),
  regionId: bodyId,
  householdId: bodyId.nullable().optional(),
  isHouseholder: z.boolean().optional(),
  newHousehold: z.boolean().optional(),
}).strict();

export async function peopleRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['people'];

  r.get('/api/people', {
    config: { permission: 'people:read' },
    schema: { tags, summary: '人员列表（数据范围内；按姓名、拼音首字母、手机尾号搜索）', querystring: pageQuery.extend(filter.shape), response: res.list },
  }, async (req) => listPeople(db, requireAuth(req), req.query, req.query));

  r.get('/api/people/export.xlsx', {
    config: { permission: 'people:read' },
    schema: { tags, summary: '导出人员 Excel（脱敏；记录用途）', querystring: filter.extend({ purpose: z.string().trim().min(2).max(200) }), response: { 200: binary(XLSX, '人员名单（身份证号、手机号脱敏）') } },
  }, async (req, reply) => {
    const rows = await exportPeople(db, requireAuth(req), actorFromRequest(req), req.query, req.query.purpose);
    return sendXlsx(reply, `人员名单-${new Date().toISOString().slice(0, 10)}.xlsx`, '人员', [
      { header: '编号', key: 'id', width: 10, value: (p) => p.id },
      { header: '姓名', key: 'name', width: 12, value: (p) => p.name },
      { header: '性别', key: 'sex', width: 6, value: (p) => (p.sex === 'M' ? '男' : '女') },
      { header: '出生日期', key: 'birthDate', width: 12, value: (p) => p.birthDate },
      { header: '身份证号', key: 'idNumber', width: 22, value: (p) => p.idNumber },
      { header: '手机号', key: 'phone', width: 14, value: (p) => p.phone },
      { header: '户主', key: 'isHouseholder', width: 6, value: (p) => (p.isHouseholder ? '是' : '') },
      { header: '住址', key: 'address', width: 40, value: (p) => p.address },
    ], rows);
  });

  r.get('/api/people/:id', {
    config: { permission: 'people:read' },
    schema: {
      tags, summary: '人员详情（默认脱敏；reveal=1 且填写 purpose 时查看完整信息并留痕）', params: idParam, response: res.detail,
      querystring: z.object({ reveal: z.enum(['0', '1', 'true', 'false']).optional(), purpose: z.string().max(200).optional() }),
    },
  }, async (req) => {
    const reveal = req.query.reveal === '1' || req.query.reveal === 'true';
    return getPerson(db, requireAuth(req), actorFromRequest(req), req.params.id, reveal ? { purpose: req.query.purpose } : undefined);
  });

  r.post('/api/people', {
    config: { permission: 'people:write' },
    schema: { tags, summary: '新增人员', body: personBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createPerson(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.patch('/api/people/:id', {
    config: { permission: 'people:write' },
    schema: { tags, summary: '修改人员', params: idParam, response: res.updated, body: nonEmpty(personBody.omit({ newHousehold: true }).partial().strict()) },
  }, async (req) => updatePerson(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body));

  r.get('/api/me/household', {
    schema: { tags, summary: '我的家庭（居民本人）', response: res.myHousehold },
  }, async (req) => ({ household: await myHousehold(db, requireAuth(req)) }));
}

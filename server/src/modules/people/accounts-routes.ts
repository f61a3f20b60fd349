import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorFromRequest } from '../../core/auth/context.js';
import { requireAuth } from '../../core/auth/plugin.js';
import { idParam, nonEmpty, bodyId } from '../../core/http.js';
import { isValidMobile } from '../../core/identity.js';
import { pageQuery } from '../../core/paging.js';
import { changeOwnPassword, createAccount, listAccounts, listRoles, resetPassword, updateAccount } from './accounts.js';
import { accountResponses as res } from './schemas.js';

const phone = z.string().trim().refine(isValidMobile, { message: 'invalid_phone' });
const accountBody = z.object({
  username: z.string().trim().min(3).max(40).regex(/^[A-Za-z0-9._-]+$/),
  password: z.string().min(1).max(128),
  displayName: z.string().trim().min(1).max(40),
  phone: phone.nullable().optional(),
  roles: z.array(z.string().min(1)).min(1).max(9),
  scopeRegionId: bodyId,
  personId: bodyId.nullable().optional(),
  organisationId: bodyId.nullable().optional(),
}).strict();

export async function accountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['accounts'];

  r.get('/api/roles', {
    config: { permission: 'account:read' },
    schema: { tags, summary: '角色与权限码', response: res.roles },
  }, async () => ({ items: await listRoles(db), permissions: Object.fromEntries(app.modules.flatMap((m) => Object.entries(m.permissions))) }));

  r.get('/api/accounts', {
    config: { permission: 'account:read' },
    schema: { tags, summary: '账号列表（数据范围内）', response: res.list, querystring: pageQuery.extend({ q: z.string().max(40).optional(), role: z.string().max(40).optional() }) },
  }, async (req) => listAccounts(db, requireAuth(req), req.query, req.query));

  r.post('/api/accounts', {
    config: { permission: 'account:write' },
    schema: { tags, summary: '新建账号', body: accountBody, response: res.created },
  }, async (req, reply) => reply.status(201).send(await createAccount(db, requireAuth(req), actorFromRequest(req), req.body)));

  r.patch('/api/accounts/:id', {
    config: { permission: 'account:write' },
    schema: {
      tags, summary: '修改账号（角色、数据范围、启用、解锁）', params: idParam, response: res.updated,
      body: nonEmpty(accountBody.omit({ username: true, password: true }).partial().extend({ active: z.boolean().optional(), unlock: z.boolean().optional() }).strict()),
    },
  }, async (req) => updateAccount(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body));

  r.post('/api/accounts/:id/password', {
    config: { permission: 'account:write' },
    schema: { tags, summary: '重置密码', params: idParam, response: res.ok, body: z.object({ password: z.string().min(1).max(128) }).strict() },
  }, async (req) => {
    await resetPassword(db, requireAuth(req), actorFromRequest(req), req.params.id, req.body.password);
    return { ok: true };
  });

  r.post('/api/me/password', {
    schema: { tags, summary: '修改本人密码', response: res.ok, body: z.object({ currentPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }).strict() },
  }, async (req) => {
    await changeOwnPassword(db, requireAuth(req), actorFromRequest(req), req.body.currentPassword, req.body.newPassword);
    return { ok: true };
  });
}

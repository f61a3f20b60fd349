import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';

describe('accounts and roles', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => { t = await createTestApp(); admin = await t.token('admin'); });
  afterAll(() => t.close());

  it('lists roles with their permission codes', async () => {
    const res = (await t.app.inject({ url: '/api/roles', headers: bearer(admin) })).json();
    expect(res.items.map((r: any) => r.code)).toEqual(['district_admin', 'street_worker', 'community_worker', 'grid_worker', 'property_staff', 'owners_committee', 'alliance_unit', 'party_member', 'volunteer', 'resident', 'data_admin', 'department_user']);
    expect(res.items[0].permissions).toEqual(['*']);
  });

  it('creates, searches, edits, disables and re-enables an account', async () => {
    const lm = await regionByCode(t.dbh.db, 'HH-LM');
    const created = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(admin), payload: {
      username: 'worker.new', password: 'Worker2026', displayName: '新社工', phone: '13700001234', roles: ['community_worker'], scopeRegionId: lm.id,
    } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json().phone).toBe('137****1234');
    const found = (await t.app.inject({ url: '/api/accounts?q=新社工', headers: bearer(admin) })).json();
    expect(found.items.map((a: any) => a.id)).toEqual([id]);
    const byRole = (await t.app.inject({ url: '/api/accounts?role=grid_worker', headers: bearer(admin) })).json();
    expect(byRole.items.map((a: any) => a.username)).toEqual(['grid.xiangshuwan']);

    const token = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '13700001234', password: 'Worker2026' } })).json().token;
    expect((await t.app.inject({ url: '/api/people', headers: bearer(token) })).statusCode).toBe(200);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/accounts/${id}`, headers: bearer(admin), payload: { roles: ['grid_worker'], displayName: '网格员' } });
    expect(patch.json()).toMatchObject({ roles: ['grid_worker'], displayName: '网格员' });
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).json().permissions).not.toContain('people:write');
    await t.app.inject({ method: 'PATCH', url: `/api/accounts/${id}`, headers: bearer(admin), payload: { active: false } });
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    const disabled = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'worker.new', password: 'Worker2026' } });
    expect(disabled.statusCode).toBe(403);
    await t.app.inject({ method: 'PATCH', url: `/api/accounts/${id}`, headers: bearer(admin), payload: { active: true } });
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'worker.new', password: 'Worker2026' } })).statusCode).toBe(200);
  });

  it('refuses duplicates, weak passwords, unknown roles and regions with the field named', async () => {
    const lm = await regionByCode(t.dbh.db, 'HH-LM');
    const base = { username: 'dup.test', password: 'Worker2026', displayName: 'x', roles: ['resident'], scopeRegionId: lm.id };
    const cases: [object, string, number][] = [
      [{ ...base, username: 'admin' }, 'username', 409],
      [{ ...base, password: 'abcdefgh' }, 'password', 400],
      [{ ...base, roles: ['king'] }, 'roles', 400],
      [{ ...base, roles: [] }, 'roles', 400],
      [{ ...base, scopeRegionId: 999999 }, 'scopeRegionId', 400],
      [{ ...base, phone: '123' }, 'phone', 400],
      [{ ...base, username: 'has space' }, 'username', 400],
    ];
    for (const [payload, field, status] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(admin), payload });
      expect(res.statusCode, field).toBe(status);
      expect(res.json().error.fields[field], field).toBeTruthy();
    }
  });

  it('reset password ends the sessions and unlocks', async () => {
    const token = await t.token('member.demo');
    const a = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'member.demo').executeTakeFirstOrThrow();
    await t.dbh.db.updateTable('accounts').set({ failed_logins: 5, locked_until: new Date(Date.now() + 600_000) }).where('id', '=', a.id).execute();
    const list = (await t.app.inject({ url: '/api/accounts?q=member', headers: bearer(admin) })).json();
    expect(list.items[0].locked).toBe(true);
    const res = await t.app.inject({ method: 'POST', url: `/api/accounts/${a.id}/password`, headers: bearer(admin), payload: { password: 'Member2026x' } });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'member.demo', password: 'Member2026x' } })).statusCode).toBe(200);
  });
});

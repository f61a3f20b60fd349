import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';

const DEMO_ACCOUNTS = ['admin', 'street.huanghai', 'community.luming', 'community.julonghu', 'grid.xiangshuwan', 'property.xiangshuwan', 'unit.demo', 'member.demo', 'resident.demo'];

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('every demo account signs in and /api/auth/me describes it', async () => {
    for (const username of DEMO_ACCOUNTS) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      expect(res.statusCode, username).toBe(200);
      const body = res.json();
      expect(body.token).toMatch(/^[\w-]{40,}$/);
      expect(body.csrfToken).toBeTruthy();
      const cookie = res.cookies.find((c) => c.name === 'rc_session');
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe('Lax');
      const me = await t.app.inject({ url: '/api/auth/me', headers: bearer(body.token) });
      expect(me.statusCode).toBe(200);
      expect(me.json().account.username).toBe(username);
      expect(me.json().roles.length).toBe(1);
    }
  });

  it('me shows person, roles, permission codes and scope', async () => {
    const me = (await t.app.inject({ url: '/api/auth/me', headers: bearer(await t.token('resident.demo')) })).json();
    expect(me.person.address).toContain('橡树湾');
    expect(me.person.community.name).toBe('鹿鸣社区');
    expect(me.roles[0].code).toBe('resident');
    const worker = (await t.app.inject({ url: '/api/auth/me', headers: bearer(await t.token('community.luming')) })).json();
    expect(worker.permissions).toContain('people:read');
    expect(worker.scope.name).toBe('鹿鸣社区');
  });

  it('signs in by phone number too', async () => {
    const me = (await t.app.inject({ url: '/api/auth/me', headers: bearer(await t.token('resident.demo')) })).json();
    const account = await t.dbh.db.selectFrom('accounts').select('phone').where('id', '=', me.account.id).executeTakeFirstOrThrow();
    expect(account.phone).toMatch(/^1\d{10}$/);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.phone, password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().account.username).toBe('resident.demo');
  });

  it('wrong password is 401 in Chinese by default and English on request', async () => {
    const zh = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'unit.demo', password: 'nope' } });
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toEqual({ code: 'bad_credentials', message: '用户名或密码错误' });
    const en = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en-US,en;q=0.9' }, payload: { username: 'nobody', password: 'nope' } });
    expect(en.statusCode).toBe(401);
    expect(en.json().error.message).toBe('Wrong username or password');
  });

  it('five failed logins lock the account for 15 minutes, even the right password is refused', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'owners.xiangshuwan', password: 'wrong' } });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'owners.xiangshuwan', password: 'wrong' } });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.message).toContain('15');
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'owners.xiangshuwan', password: DEMO_PASSWORD } });
    expect(right.statusCode).toBe(423);
    // When the lock has run out, the right password works and the counter resets.
    const id = (await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'owners.xiangshuwan').executeTakeFirstOrThrow()).id;
    await t.dbh.db.updateTable('auth_throttle').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', id).execute();
    const after = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'owners.xiangshuwan', password: DEMO_PASSWORD } });
    expect(after.statusCode).toBe(200);
    const row = await t.dbh.db.selectFrom('accounts').select(['failed_logins', 'locked_until']).where('username', '=', 'owners.xiangshuwan').executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('parallel wrong guesses cannot exceed the limit', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'property.xiangshuwan', password: 'wrong' } })));
    expect(results.every((r) => r.statusCode === 401 || r.statusCode === 423)).toBe(true);
    const row = await t.dbh.db.selectFrom('accounts').select(['failed_logins', 'locked_until']).where('username', '=', 'property.xiangshuwan').executeTakeFirstOrThrow();
    expect(row.locked_until).not.toBeNull();
  });

  it('cookie-authenticated writes need the CSRF token; bearer writes do not', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: DEMO_PASSWORD } });
    const cookie = `rc_session=${login.cookies.find((c) => c.name === 'rc_session')!.value}`;
    const body = { currentPassword: 'wrong-one', newPassword: 'Another123' };
    const noToken = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: { cookie }, payload: body });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf');
    const withToken = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload: body });
    expect(withToken.statusCode).toBe(400); // past CSRF: the current password is wrong
    expect(withToken.json().error.fields.currentPassword).toBeTruthy();
    const read = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(read.statusCode).toBe(200);
    const viaBearer = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(login.json().token), payload: body });
    expect(viaBearer.statusCode).toBe(400);
  });

  it('logout ends the session; an expired session is refused', async () => {
    const token = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'member.demo', password: DEMO_PASSWORD } })).json().token;
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    const token2 = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'member.demo', password: DEMO_PASSWORD } })).json().token;
    await t.dbh.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=',
      (await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'member.demo').executeTakeFirstOrThrow()).id).execute();
    const res = await t.app.inject({ url: '/api/auth/me', headers: bearer(token2) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('changing one\'s password works and ends other sessions', async () => {
    const a = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'unit.demo', password: DEMO_PASSWORD } })).json().token;
    const b = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'unit.demo', password: DEMO_PASSWORD } })).json().token;
    const weak = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(a), payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields.newPassword).toContain('8');
    const ok = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: bearer(a), payload: { currentPassword: DEMO_PASSWORD, newPassword: 'NewPass2026' } });
    expect(ok.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(a) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(b) })).statusCode).toBe(401);
    const relogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'unit.demo', password: 'NewPass2026' } });
    expect(relogin.statusCode).toBe(200);
  });
});

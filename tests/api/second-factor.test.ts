import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';

/**
 * SMS as a second factor for district and street accounts (issue 14): the district turns it on in
 * the console; a right password of such an account then answers a challenge instead of a session,
 * and the code sent to the account's phone completes it, once. Other accounts are unaffected.
 */
describe('SMS as a second factor for district and street accounts', () => {
  let t: TestApp;
  let ip = 0;
  const from = () => `198.18.7.${++ip}`;
  const login = (username: string, password = DEMO_PASSWORD) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: from() });
  const verify = (challenge: string, code: string) => t.app.inject({ method: 'POST', url: '/api/auth/sms/verify', payload: { challenge, code }, remoteAddress: from() });
  const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const forgetSends = (phone: string) => t.dbh.db.deleteFrom('auth_throttle').where('key', 'in', [`sms:${phone}`, `smsday:${phone}`]).execute();
  const STREET_PHONE = '13700005678';
  let adminToken = '';

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.token('admin'); // before the policy asks the admin for a code too
    await t.dbh.db.updateTable('accounts').set({ phone: STREET_PHONE }).where('username', '=', 'street.huanghai').execute();
  });
  afterAll(() => t.close());

  it('only the district sets the policy; it starts off', async () => {
    const read = await t.app.inject({ url: '/api/auth/policy', headers: bearer(adminToken) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ staffSms: false, roles: ['district_admin', 'data_admin', 'street_worker'] });
    const street = await t.app.inject({ method: 'PUT', url: '/api/auth/policy', headers: bearer(await t.token('street.huanghai')), payload: { staffSms: true } });
    expect(street.statusCode).toBe(403);
    expect((await login('street.huanghai')).json().token).toBeTruthy();

    const on = await t.app.inject({ method: 'PUT', url: '/api/auth/policy', headers: bearer(adminToken), payload: { staffSms: true } });
    expect(on.statusCode).toBe(200);
    expect(on.json().staffSms).toBe(true);
    const audit = await t.dbh.db.selectFrom('audit_log').select(['action', 'summary']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'auth.policy', summary: { staffSms: true } });
    const bad = await t.app.inject({ method: 'PUT', url: '/api/auth/policy', headers: bearer(adminToken), payload: { staffSms: 'yes' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.staffSms).toBeTruthy();
  });

  it('a street account\'s right password answers a challenge, no session; a wrong code is refused; the right one signs in once', async () => {
    await forgetSends(STREET_PHONE);
    const res = await login('street.huanghai');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).not.toHaveProperty('token');
    expect(res.cookies.find((c) => c.name === 'rc_session')).toBeUndefined();
    expect(body.secondFactor).toMatchObject({ method: 'sms', phone: '137****5678' });
    const { challenge, devCode } = body.secondFactor;
    expect(devCode).toMatch(/^\d{6}$/);
    const sms = await t.dbh.db.selectFrom('outbox').select('payload').where('recipient', '=', STREET_PHONE).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(sms.payload).toMatchObject({ kind: 'second_factor', params: { code: devCode } });

    const wrong = await verify(challenge, wrongOf(devCode));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe('验证码错误或已失效，请重新获取');
    expect((await verify('not-a-challenge', devCode)).statusCode).toBe(401);

    const ok = await verify(challenge, devCode);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().account.username).toBe('street.huanghai');
    const me = await t.app.inject({ url: '/api/auth/me', headers: bearer(ok.json().token) });
    expect(me.json().account.username).toBe('street.huanghai');
    expect((await verify(challenge, devCode)).statusCode).toBe(401);
    const audit = await t.dbh.db.selectFrom('audit_log').select('summary').where('action', '=', 'auth.login').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.summary).toEqual({ method: 'password+sms' });
  });

  it('a challenge takes five tries, then not even the right code', async () => {
    await forgetSends(STREET_PHONE);
    const { challenge, devCode } = (await login('street.huanghai')).json().secondFactor;
    for (let i = 0; i < 5; i++) expect((await verify(challenge, wrongOf(devCode))).statusCode).toBe(401);
    expect((await verify(challenge, devCode)).statusCode).toBe(401);
  });

  it('a wrong password still answers as before, with no code sent', async () => {
    await forgetSends(STREET_PHONE);
    const before = await t.dbh.db.selectFrom('outbox').select('id').where('recipient', '=', STREET_PHONE).execute();
    const res = await login('street.huanghai', 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('bad_credentials');
    expect(await t.dbh.db.selectFrom('outbox').select('id').where('recipient', '=', STREET_PHONE).execute()).toHaveLength(before.length);
  });

  it('a district account without a phone is told so', async () => {
    const res = await login('admin');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('second_factor_no_phone');
    expect(res.json().error.message).toContain('未登记手机号');
  });

  it('community workers and residents sign in as before', async () => {
    for (const u of ['community.luming', 'resident.demo', 'unit.demo']) {
      const res = await login(u);
      expect(res.statusCode, u).toBe(200);
      expect(res.json().token, u).toBeTruthy();
      expect(res.json()).not.toHaveProperty('secondFactor');
    }
  });

  it('turned off, street accounts sign in with the password alone again', async () => {
    expect((await t.app.inject({ method: 'PUT', url: '/api/auth/policy', headers: bearer(adminToken), payload: { staffSms: false } })).statusCode).toBe(200);
    expect((await login('street.huanghai')).json().token).toBeTruthy();
    expect((await login('admin')).json().token).toBeTruthy();
  });
});

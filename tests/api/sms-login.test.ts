import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';

/**
 * Phone + SMS code sign-in (issue 14): the code goes out through the outbox, signs in once, within
 * 5 minutes and 5 tries; sends are limited per phone (60 s, 10 a day) and per address, answered
 * 429 with Retry-After; an unknown or staff phone gets the same answer as a resident's and no SMS;
 * the development-only devCode never appears in production.
 */
describe('sign-in by phone and SMS code', () => {
  let t: TestApp;
  let phone = '';
  let ip = 0;
  /** Each case from its own address, so the per-address limits are the test's to exercise. */
  const from = () => `198.18.${Math.floor(++ip / 250)}.${ip % 250}`;
  const send = (p: string, remoteAddress = from()) => t.app.inject({ method: 'POST', url: '/api/auth/sms/send', payload: { phone: p }, remoteAddress });
  const login = (p: string, code: string, remoteAddress = from()) => t.app.inject({ method: 'POST', url: '/api/auth/sms/login', payload: { phone: p, code }, remoteAddress });
  const forget = (p: string) => t.dbh.db.deleteFrom('auth_throttle').where('key', '=', `sms:${p}`).execute();
  const smsTo = async (p: string) => (await t.dbh.db.selectFrom('outbox').select('payload').where('channel', '=', 'sms').where('recipient', '=', p).orderBy('id').execute())
    .map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { kind: string; body: string }).filter((m) => m.kind === 'login_code');
  const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  beforeAll(async () => {
    t = await createTestApp();
    phone = (await t.dbh.db.selectFrom('accounts').select('phone').where('username', '=', 'resident.demo').executeTakeFirstOrThrow()).phone!;
    expect(phone).toMatch(/^1[3-9]\d{9}$/);
  });
  afterAll(() => t.close());

  it('sends a code through the outbox and signs in with it once, with the same answer as a password sign-in', async () => {
    const sent = await send(`+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`);
    expect(sent.statusCode).toBe(200);
    const body = sent.json();
    expect(body).toMatchObject({ sent: true, resendAfter: 60 });
    expect(body.devCode).toMatch(/^\d{6}$/);
    expect(new Date(body.expiresAt).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
    expect((await smsTo(phone)).at(-1)!.body).toContain(body.devCode);

    expect((await login(phone, wrongOf(body.devCode))).json().error.code).toBe('sms_code_invalid');
    const ok = await login(phone, body.devCode);
    expect(ok.statusCode).toBe(200);
    const byPassword = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'resident.demo', password: DEMO_PASSWORD }, remoteAddress: from() });
    expect(Object.keys(ok.json()).sort()).toEqual(Object.keys(byPassword.json()).sort());
    expect(ok.json().account).toEqual(byPassword.json().account);
    expect(ok.json().account.username).toBe('resident.demo');
    expect(ok.cookies.some((c) => c.name === 'rc_session' || c.httpOnly)).toBe(true);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${ok.json().token}` } });
    expect(me.json().account.username).toBe('resident.demo');
    // Used: the same code again is refused, as is any code now.
    const again = await login(phone, body.devCode);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.message).toBe('验证码错误或已失效，请重新获取');
    // The audit log tells the two sign-ins apart.
    const audit = await t.dbh.db.selectFrom('audit_log').select('summary').where('action', '=', 'auth.login').orderBy('id', 'desc').limit(2).execute();
    expect(audit.map((a) => JSON.stringify(a.summary ?? {}))).toEqual(['{}', '{"method":"sms"}']);
  });

  it('an expired code, and a code after five wrong tries, sign nobody in', async () => {
    await forget(phone);
    const code = (await send(phone)).json().devCode;
    await t.dbh.db.updateTable('sms_codes').set({ expires_at: sql`now() - interval '1 second'` as any }).where('phone', '=', phone).where('used_at', 'is', null).execute();
    expect((await login(phone, code)).statusCode).toBe(401);

    await forget(phone);
    const fresh = (await send(phone)).json().devCode;
    for (let i = 0; i < 5; i++) expect((await login(phone, wrongOf(fresh))).statusCode).toBe(401);
    expect((await login(phone, fresh)).statusCode).toBe(401);
    const row = await t.dbh.db.selectFrom('sms_codes').select(['tries', 'used_at']).where('phone', '=', phone).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ tries: 5, used_at: null });
  });

  it('a code opens one session however many requests carry it at once', async () => {
    await forget(phone);
    const code = (await send(phone)).json().devCode;
    const results = await Promise.all(Array.from({ length: 6 }, () => login(phone, code)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401]);
  });

  it('one send per phone a minute and ten a day, answered 429 with Retry-After; a new code replaces the old', async () => {
    await forget(phone);
    await t.dbh.db.deleteFrom('auth_throttle').where('key', '=', `smsday:${phone}`).execute();
    const first = (await send(phone)).json().devCode;
    const soon = await send(phone);
    expect(soon.statusCode).toBe(429);
    expect(soon.json().error.code).toBe('sms_too_soon');
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(soon.headers['retry-after'])).toBeLessThanOrEqual(60);
    for (let i = 1; i < 10; i++) {
      await forget(phone);
      expect((await send(phone)).statusCode).toBe(200);
    }
    await forget(phone);
    const eleventh = await send(phone);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error.code).toBe('sms_daily_limit');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(3600);
    // The first code was replaced by the later ones.
    expect((await login(phone, first)).statusCode).toBe(401);
    await t.dbh.db.deleteFrom('auth_throttle').where('key', '=', `smsday:${phone}`).execute();
  });

  it('one address cannot ask for codes for many phones', async () => {
    const address = '203.0.113.77';
    const codes = [];
    for (let i = 0; i < 30; i++) codes.push((await send(`1390000${String(1000 + i)}`, address)).statusCode);
    expect(codes.every((c) => c === 200)).toBe(true);
    const over = await send('13900002000', address);
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
  });

  it('an unknown phone and a staff phone get the same answer as a resident, and no SMS; their codes sign nobody in', async () => {
    const staffPhone = '13700001234';
    await t.dbh.db.updateTable('accounts').set({ phone: staffPhone }).where('username', '=', 'community.luming').execute();
    await forget(phone);
    const known = await send(phone);
    for (const p of ['13600009999', staffPhone]) {
      const res = await send(p);
      expect(res.statusCode).toBe(known.statusCode);
      expect(Object.keys(res.json()).sort()).toEqual(Object.keys(known.json()).sort());
      expect(await smsTo(p)).toEqual([]);
      const tried = await login(p, res.json().devCode);
      expect(tried.statusCode).toBe(401);
      expect(tried.json().error.code).toBe('sms_code_invalid');
    }
  });

  it('bad input names the field in Chinese', async () => {
    const bad = await send('12345');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.phone).toBeTruthy();
    const badCode = await login(phone, '12ab56');
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.fields.code).toBeTruthy();
  });

  it('in production the answer carries no devCode', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-sms-'));
    const prod = await buildApp({ config: { ...loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', REDCOM_SECRET_KEY: 'a'.repeat(64) }), webDist: path.join(dataDir, 'no-web') }, dbh: t.dbh });
    try {
      await forget(phone);
      const res = await prod.inject({ method: 'POST', url: '/api/auth/sms/send', payload: { phone }, remoteAddress: from() });
      expect(res.statusCode).toBe(200);
      expect(res.json().sent).toBe(true);
      expect(res.json()).not.toHaveProperty('devCode');
    } finally {
      await prod.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

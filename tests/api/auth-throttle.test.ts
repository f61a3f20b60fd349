import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';

/** Sign-in and current-password throttling (issue 8, finding 4): decided in the database before any password is checked. */
describe('login throttle', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
  const accountId = async (username: string) =>
    (await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  /** How many passwords were really checked and found wrong: each leaves one audit row. */
  const checkedFailures = async (id: number) =>
    (await t.dbh.db.selectFrom('audit_log').select('id').where('action', '=', 'auth.login_failed').where('target_id', '=', String(id)).execute()).length;

  it('41 parallel guesses check at most 5 passwords; the right one in the burst and after it is refused', async () => {
    const id = await accountId('grid.xiangshuwan');
    const burst = Array.from({ length: 41 }, (_, i) => login('grid.xiangshuwan', i === 30 ? DEMO_PASSWORD : `wrong-${i}`, '10.1.0.1'));
    const res = await Promise.all(burst);
    expect(res[30].statusCode).not.toBe(200);
    expect(res.filter((r) => r.statusCode === 401).length).toBeLessThanOrEqual(5);
    expect(res.every((r) => [401, 423].includes(r.statusCode))).toBe(true);
    expect(await checkedFailures(id)).toBeLessThanOrEqual(5);
    const right = await login('grid.xiangshuwan', DEMO_PASSWORD, '10.1.0.1');
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('account_locked');
    expect(right.headers['retry-after']).toBe('900'); // the 15-minute lock, in seconds
    expect(await checkedFailures(id)).toBeLessThanOrEqual(5);
    // When the window has run out, the right password works and clears the count.
    await sql`update auth_throttle set expires_at = now() - interval '1 second'`.execute(t.dbh.db);
    expect((await login('grid.xiangshuwan', DEMO_PASSWORD, '10.1.0.1')).statusCode).toBe(200);
  });

  it('a stranger failing from one address cannot lock the account for its owner at another', async () => {
    for (let i = 0; i < 8; i++) expect([401, 423]).toContain((await login('admin', `guess-${i}`, '10.2.0.66')).statusCode);
    expect((await login('admin', DEMO_PASSWORD, '10.2.0.66')).statusCode).toBe(423);
    const owner = await login('admin', DEMO_PASSWORD, '10.2.0.7');
    expect(owner.statusCode).toBe(200);
  });

  it('one address spraying guesses over many names is throttled for that address only', async () => {
    const spray = [];
    for (let n = 0; n < 8; n++) for (let i = 0; i < 4; i++) spray.push((await login(`nobody${n}`, 'x', '10.3.0.9')).statusCode);
    expect(spray.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(spray.at(-1)).toBe(429);
    // Even a right password is refused from that address; from another it works.
    const blocked = await login('member.demo', DEMO_PASSWORD, '10.3.0.9');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error.code).toBe('too_many_attempts');
    expect((await login('member.demo', DEMO_PASSWORD, '10.3.0.10')).statusCode).toBe(200);
  });

  it('an unknown name locks like a real one, so the lock does not reveal which names exist', async () => {
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await login('no.such.user', 'x', '10.5.0.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('the current-password check of /api/me/password has the same limit', async () => {
    const token = await t.token('unit.demo');
    const body = (currentPassword: string) => ({ currentPassword, newPassword: 'Changed2026x' });
    const res = await Promise.all(Array.from({ length: 41 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/api/me/password', remoteAddress: '10.6.0.1', headers: bearer(token), payload: body(`wrong-${i}`) })));
    const checked = res.filter((r) => r.statusCode === 400 && r.json().error.fields?.currentPassword);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(res.every((r) => r.statusCode === 400 || r.statusCode === 429)).toBe(true);
    const right = await t.app.inject({ method: 'POST', url: '/api/me/password', remoteAddress: '10.6.0.1', headers: bearer(token), payload: body(DEMO_PASSWORD) });
    expect(right.statusCode).toBe(429);
    expect((await login('unit.demo', 'Changed2026x', '10.6.0.2')).statusCode).toBe(401);
  });

  it('an administrator sees the lock and can lift it', async () => {
    for (let i = 0; i < 5; i++) await login('community.julonghu', 'wrong', '10.7.0.1');
    expect((await login('community.julonghu', DEMO_PASSWORD, '10.7.0.1')).statusCode).toBe(423);
    const admin = await t.token('admin');
    const list = (await t.app.inject({ url: '/api/accounts?q=community.julonghu', headers: bearer(admin) })).json();
    expect(list.items[0].locked).toBe(true);
    const id = await accountId('community.julonghu');
    expect((await t.app.inject({ method: 'PATCH', url: `/api/accounts/${id}`, headers: bearer(admin), payload: { unlock: true } })).statusCode).toBe(200);
    expect((await login('community.julonghu', DEMO_PASSWORD, '10.7.0.1')).statusCode).toBe(200);
  });
});

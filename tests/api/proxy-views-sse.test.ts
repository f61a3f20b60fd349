import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, createTestApp, type TestApp } from '../helpers/app.js';
import { flushViews } from '../../server/src/modules/wishes/views.js';

/** Issue 8, finding 12: who the client is (IP, visitor) cannot be forged, and one address cannot hold unbounded streams. */
describe('hardening: client address, visitor cookie, SSE', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const lastLoginIp = async (username: string) => {
    const a = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    return (await t.dbh.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login').where('target_id', '=', String(a.id)).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).ip;
  };
  const viewsOf = async (id: number) => (await flushViews(t.dbh.db), await t.dbh.db.selectFrom('wishes').select('view_count').where('id', '=', id).executeTakeFirstOrThrow()).view_count;
  const publicWishId = async () => (await t.dbh.db.selectFrom('wishes').select('id').where('status', '=', 'published').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;

  it('a forged X-Forwarded-For does not change the IP in the audit log when no proxy is trusted', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '192.0.2.10', headers: { 'x-forwarded-for': '203.0.113.9' }, payload: { username: 'member.demo', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(await lastLoginIp('member.demo')).toBe('192.0.2.10');
  });

  it('forged visitor cookies add no views; the signed cookie the server set is honoured', async () => {
    const id = await publicWishId();
    const start = await viewsOf(id);
    const first = await t.app.inject({ url: `/api/public/wishes/${id}`, remoteAddress: '198.51.100.1' });
    const cookie = first.cookies.find((c) => c.name === 'rc_vid')!;
    expect(cookie.value).not.toMatch(/^[0-9a-f-]{36}$/); // signed, not a bare id
    for (let i = 0; i < 3; i++) await t.app.inject({ url: `/api/public/wishes/${id}`, remoteAddress: '198.51.100.1', headers: { cookie: `rc_vid=${cookie.value}` } });
    expect(await viewsOf(id)).toBe(start + 1);
    for (let i = 0; i < 30; i++) {
      await t.app.inject({ url: `/api/public/wishes/${id}`, remoteAddress: '198.51.100.2', headers: { cookie: `rc_vid=forged-${i}`, 'user-agent': `ua-${i}` } });
    }
    expect(await viewsOf(id)).toBe(start + 2);
  });

  it('dropping cookies and forging X-Forwarded-For from one address adds only a bounded number of views', async () => {
    const id = await publicWishId();
    const start = await viewsOf(id);
    for (let i = 0; i < 40; i++) {
      await t.app.inject({ url: `/api/public/wishes/${id}`, remoteAddress: '198.51.100.3', headers: { 'x-forwarded-for': `203.0.113.${i}`, 'user-agent': `ua-${i}` } });
    }
    expect(await viewsOf(id) - start).toBeLessThanOrEqual(8);
  });

  it('at most 20 live-event streams per address; the 21st gets 429, and a closed one frees its place', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const open = () => new Promise<{ status: number; req: http.ClientRequest }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/wishes/events' }, (res) => { resolve({ status: res.statusCode!, req }); res.resume(); });
      req.on('error', (err) => { if (!(err as NodeJS.ErrnoException).code?.startsWith('ECONNRESET')) reject(err); });
    });
    const streams = [];
    for (let i = 0; i < 20; i++) streams.push(await open());
    expect(streams.every((s) => s.status === 200)).toBe(true);
    const extra = await open();
    expect(extra.status).toBe(429);
    streams.pop()!.req.destroy();
    await expect.poll(async () => { const s = await open(); if (s.status === 200) streams.push(s); return s.status; }).toBe(200);
    for (const s of streams) s.req.destroy();
  });
});

describe('hardening: a configured proxy is trusted', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ env: { TRUST_PROXY: '10.0.0.0/8' } }); });
  afterAll(() => t.close());

  it('X-Forwarded-For counts only when the request comes from the trusted proxy', async () => {
    const ipOf = async () => (await t.dbh.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.login').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).ip;
    const login = (remoteAddress: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { 'x-forwarded-for': '203.0.113.9' }, payload: { username: 'member.demo', password: DEMO_PASSWORD } });
    expect((await login('10.1.2.3')).statusCode).toBe(200);
    expect(await ipOf()).toBe('203.0.113.9');
    expect((await login('192.0.2.50')).statusCode).toBe(200);
    expect(await ipOf()).toBe('192.0.2.50');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { multipart } from '../helpers/multipart.js';

/** Issue 13, hardening: security headers on every kind of response, and request-rate limits. */

/** The parts of the Content-Security-Policy header: directive → sources. */
const csp = (header: unknown) => new Map(String(header ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));

function expectSecurityHeaders(res: { headers: Record<string, unknown>; statusCode: number }, what: string) {
  const h = res.headers;
  const policy = csp(h['content-security-policy']);
  expect(policy.get('default-src'), `${what} (${res.statusCode}): CSP`).toEqual(["'self'"]);
  expect(policy.get('script-src'), what).toEqual(["'self'"]);
  expect(policy.get('object-src'), what).toEqual(["'none'"]);
  expect(String(h['content-security-policy']), what).not.toMatch(/unsafe-eval/);
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['x-frame-options'], what).toBe('SAMEORIGIN');
  expect(h['referrer-policy'], what).toBe('no-referrer');
  expect(h['strict-transport-security'], what).toMatch(/^max-age=\d+/);
  expect(h['cross-origin-opener-policy'], what).toBe('same-origin');
}

describe('security headers', () => {
  let t: TestApp;
  let web: string;
  beforeAll(async () => {
    // A stand-in for the built apps, so the static file and fallback routes are served.
    web = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-web-'));
    fs.mkdirSync(path.join(web, 'admin'));
    fs.mkdirSync(path.join(web, 'assets'));
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><script type="module" src="/assets/h5.js"></script>');
    fs.writeFileSync(path.join(web, 'admin/index.html'), '<!doctype html><script type="module" src="/assets/admin.js"></script>');
    fs.writeFileSync(path.join(web, 'assets/h5.js'), 'export {};');
    t = await createTestApp({ env: { WEB_DIST: web } });
  });
  afterAll(async () => { await t.close(); fs.rmSync(web, { recursive: true, force: true }); });

  it('the CSP allows no inline or eval script, and allows the images and styles the apps make', async () => {
    const policy = csp((await t.app.inject({ url: '/api/health' })).headers['content-security-policy']);
    expect(policy.get('script-src-attr')).toEqual(["'none'"]);
    expect(policy.get('style-src-elem')).toEqual(["'self'"]);
    expect(policy.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });

  it('are on API answers, errors, the web apps, the docs and Open311 XML', async () => {
    const token = await t.token('admin');
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'member.demo', password: DEMO_PASSWORD } });
    const session = login.cookies.find((c) => c.name === 'rc_session')!.value;
    const cases: [string, () => Promise<any>, number][] = [
      ['health', () => t.app.inject({ url: '/api/health' }), 200],
      ['public list', () => t.app.inject({ url: '/api/public/wishes?pageSize=2' }), 200],
      ['signed-in read', () => t.app.inject({ url: '/api/auth/me', headers: bearer(token) }), 200],
      ['unknown API route', () => t.app.inject({ url: '/api/no-such-thing' }), 404],
      ['signed out', () => t.app.inject({ url: '/api/auth/me' }), 401],
      ['refused by the CSRF check', () => t.app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { rc_session: session } }), 403],
      ['bad body', () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 1 } }), 400],
      ['bad JSON', () => t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{' }), 400],
      ['body too large', () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x'.repeat(2 * 1024 * 1024), password: 'y' } }), 413],
      ['bad URL encoding', () => t.app.inject({ url: '/api/public/wishes/%E0%A4%A' }), 400],
      ['H5 entry', () => t.app.inject({ url: '/' }), 200],
      ['admin deep link', () => t.app.inject({ url: '/admin/wishes/1' }), 200],
      ['hashed asset', () => t.app.inject({ url: '/assets/h5.js' }), 200],
      ['API docs', () => t.app.inject({ url: '/api/docs/' }), 200],
      ['API docs script', () => t.app.inject({ url: '/api/docs/static/swagger-initializer.js' }), 200],
      ['OpenAPI', () => t.app.inject({ url: '/api/openapi.json' }), 200],
      ['Open311 XML', () => t.app.inject({ url: '/open311/v2/services.xml' }), 200],
    ];
    for (const [what, send, status] of cases) {
      const res = await send();
      expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expectSecurityHeaders(res, what);
    }
  });

  it('are on a live event stream (SSE), which writes its own head', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    try {
      const res = await fetch(`${base}/api/wishes/events`, { signal: ctrl.signal });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      expectSecurityHeaders({ statusCode: res.status, headers: Object.fromEntries(res.headers) }, 'SSE');
    } finally {
      ctrl.abort();
    }
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ env: { RATE_LIMIT_PUBLIC_PER_MIN: '5' } }); });
  afterAll(() => t.close());

  const pub = (remoteAddress: string, url = '/api/public/wishes?pageSize=1', headers: Record<string, string> = {}) =>
    t.app.inject({ url, remoteAddress, headers });

  it('public routes share one per-address count; the next is 429 with Retry-After and a Chinese message', async () => {
    const codes = [];
    for (const url of ['/api/public/wishes?pageSize=1', '/api/public/seasons', '/api/stations?pageSize=1', '/open311/v2/services.json', '/api/public/wishes?pageSize=2']) {
      codes.push((await pub('10.20.0.1', url)).statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200]);
    const refused = await pub('10.20.0.1', '/api/public/seasons');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(refused.json().error.message).toMatch(/^请求过于频繁，请于 \d+ 秒后再试$/);
    expect(refused.headers['content-security-policy']).toBeTruthy();
    expect((await pub('10.20.0.1', '/api/public/seasons', { 'accept-language': 'en' })).json().error.message).toMatch(/^Too many requests/);
    // Open311 answers in its own error format, with the same status and header.
    const open311 = await pub('10.20.0.1', '/open311/v2/services.xml');
    expect(open311.statusCode).toBe(429);
    expect(Number(open311.headers['retry-after'])).toBeGreaterThan(0);
    // Another address, the health probe and signed-in routes are not affected.
    expect((await pub('10.20.0.2')).statusCode).toBe(200);
    expect((await pub('10.20.0.1', '/api/health')).statusCode).toBe(200);
    const token = await t.token('admin');
    for (let i = 0; i < 8; i++) {
      expect((await t.app.inject({ url: '/api/auth/me', remoteAddress: '10.20.0.1', headers: bearer(token) })).statusCode).toBe(200);
    }
  });

  it('a forged X-Forwarded-For does not give a client a new count when no proxy is trusted', async () => {
    for (let i = 0; i < 5; i++) expect((await pub('10.21.0.1', undefined, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode).toBe(200);
    expect((await pub('10.21.0.1', undefined, { 'x-forwarded-for': '203.0.113.99' })).statusCode).toBe(429);
  });

  it('one IPv6 subscriber is counted by its /64', async () => {
    for (let i = 1; i <= 5; i++) expect((await pub(`2001:db8:1:2::${i}`)).statusCode).toBe(200);
    expect((await pub('2001:db8:1:2::ffff')).statusCode).toBe(429);
    expect((await pub('2001:db8:1:3::1')).statusCode).toBe(200);
  });

  it('WeChat bind codes: 5 per account per 10 minutes, whatever the address', async () => {
    const token = await t.token('resident.demo');
    const ask = (i: number) => t.app.inject({ method: 'POST', url: '/api/me/wechat-bind-code', remoteAddress: `10.22.0.${i}`, headers: bearer(token) });
    for (let i = 1; i <= 5; i++) expect((await ask(i)).statusCode).toBe(200);
    const refused = await ask(6);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    expect(refused.json().error.code).toBe('rate_limited');
    // Another account is not affected.
    expect((await t.app.inject({ method: 'POST', url: '/api/me/wechat-bind-code', remoteAddress: '10.22.0.1', headers: bearer(await t.token('member.demo')) })).statusCode).toBe(200);
  });
});

describe('rate limits behind a trusted proxy, and switched off', () => {
  it('behind a trusted proxy each forwarded client has its own count', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_PUBLIC_PER_MIN: '3', TRUST_PROXY: '10.0.0.0/8' } });
    try {
      const via = (client: string) => t.app.inject({ url: '/api/public/seasons', remoteAddress: '10.9.9.9', headers: { 'x-forwarded-for': client } });
      for (let i = 0; i < 3; i++) expect((await via('203.0.113.1')).statusCode).toBe(200);
      expect((await via('203.0.113.1')).statusCode).toBe(429);
      expect((await via('203.0.113.2')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('RATE_LIMIT_PUBLIC_PER_MIN=0 turns the public limit off', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_PUBLIC_PER_MIN: '0' } });
    try {
      const res = await Promise.all(Array.from({ length: 40 }, () => t.app.inject({ url: '/api/public/seasons', remoteAddress: '10.30.0.1' })));
      expect(res.map((r) => r.statusCode)).toEqual(Array(40).fill(200));
      expect(res[0].headers['x-ratelimit-limit']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('body size limits', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('JSON bodies stop at 256 kB with 413 and a Chinese message; an upload route takes a file forty times that', async () => {
    const token = await t.token('admin');
    const note = (kb: number) => ({ name: '站', note: 'x'.repeat(kb * 1024) });
    // Under the limit the body is read and then refused for what it says (400); over it, for its size (413).
    const under = await t.app.inject({ method: 'POST', url: '/api/stations', headers: bearer(token), payload: note(200) });
    expect(under.statusCode).toBe(400);
    const over = await t.app.inject({ method: 'POST', url: '/api/stations', headers: bearer(token), payload: note(300) });
    expect(over.statusCode).toBe(413);
    expect(over.json().error).toEqual({ code: 'payload_too_large', message: '提交的数据过大' });

    // A 10 MB workbook is read (and refused as not a workbook); 11 MB is refused for its size, naming the field.
    const send = (mb: number) => {
      const form = multipart({}, [{ field: 'file', name: 'stations.xlsx', type: 'application/octet-stream', data: Buffer.alloc(mb * 1024 * 1024 - 1024, 1) }]);
      return t.app.inject({ method: 'POST', url: '/api/stations/import', headers: { ...bearer(token), ...form.headers }, payload: form.payload });
    };
    const big = await send(10);
    expect(big.statusCode, big.body.slice(0, 200)).toBe(400);
    const tooBig = await send(11);
    expect(tooBig.statusCode, tooBig.body.slice(0, 200)).toBe(413);
    expect(tooBig.json().error.fields.file).toBe('文件过大（不超过 10 MB）');
  });

  it('the WeChat XML endpoint takes at most 64 kB', async () => {
    const xml = (kb: number) => `<xml><Content><![CDATA[${'心'.repeat((kb * 1024) / 3)}]]></Content></xml>`;
    const post = (kb: number) => t.app.inject({ method: 'POST', url: '/api/wechat/oa?signature=x&timestamp=1&nonce=1&openid=o', headers: { 'content-type': 'text/xml' }, payload: xml(kb) });
    expect([400, 403]).toContain((await post(60)).statusCode); // read, then refused for its (missing) signature
    const over = await post(70);
    expect(over.statusCode).toBe(413);
    expect(over.json().error.code).toBe('payload_too_large');
  });
});

import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/** Bodies that are wrong in every way a client can get them wrong. */
const BAD_BODIES: { name: string; payload: string; contentType?: string }[] = [
  { name: 'malformed JSON', payload: '{"name": ' },
  { name: 'empty body', payload: '' },
  { name: 'JSON array', payload: '[1,2,3]' },
  { name: 'JSON string', payload: '"hello"' },
  { name: 'null', payload: 'null' },
  { name: 'empty object', payload: '{}' },
  { name: 'wrong types', payload: JSON.stringify({ name: 42, username: [], password: {}, parentId: 'abc', regionId: -1, roles: 'admin', scopeRegionId: 1.5, area: 'big', idNumber: 12, phone: true, kind: 'castle', code: '!!', active: 'yes' }) },
  { name: 'huge strings', payload: JSON.stringify({ name: 'x'.repeat(5000), username: 'y'.repeat(5000), password: 'z'.repeat(5000), code: 'c'.repeat(5000), displayName: 'd'.repeat(5000) }) },
  { name: 'prototype pollution', payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
  { name: 'form-encoded', payload: 'name=x', contentType: 'application/x-www-form-urlencoded' },
  { name: 'over 1 MB', payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }) },
];

// Every write endpoint answers bad input with a 4xx JSON error naming the problem — never a 500.
describe('bad input on every write endpoint', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('4xx with the one error shape, for every write route and every bad body', async () => {
    const admin = await t.token('admin');
    // Every write that takes a JSON body (multipart uploads and body-less actions are tested with their modules).
    const writes = t.app.routeList.filter((r) => r.url.startsWith('/api/') && ['POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method) && r.hasBody);
    expect(writes.length).toBeGreaterThanOrEqual(20);
    for (const r of writes) {
      for (const ids of ['1', '999999', 'abc']) {
        for (const b of BAD_BODIES) {
          const res = await t.app.inject({
            method: r.method as any, url: r.url.replace(/:\w+/g, ids),
            headers: { ...bearer(admin), 'content-type': b.contentType ?? 'application/json' }, payload: b.payload,
          });
          const label = `${r.method} ${r.url} [${ids}] ${b.name}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, label).toBeLessThan(500);
          const err = res.json().error;
          expect(typeof err.code, label).toBe('string');
          expect(err.message, label).toMatch(/[\u4e00-\u9fff]/); // Chinese by default
          expect(res.body, label).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
        }
      }
    }
    // The admin session is still fine and nothing was created.
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(admin) })).statusCode).toBe(200);
    const persons = await t.dbh.db.selectFrom('persons').select('id').where('name', 'like', 'x%').execute();
    expect(persons).toHaveLength(0);
  });

  it('400 names the field for wrong query parameters', async () => {
    const admin = await t.token('admin');
    const res = await t.app.inject({ url: '/api/people?regionId=abc&pageSize=1000', headers: bearer(admin) });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['pageSize', 'regionId']);
    const id = await t.app.inject({ url: '/api/people/abc', headers: bearer(admin) });
    expect(id.statusCode).toBe(400);
    expect(id.json().error.fields.id).toBeTruthy();
  });

  it('unknown routes are 404 JSON', async () => {
    const res = await t.app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
  });
});

describe('unexpected failures', () => {
  it('are a 500 whose message carries the request id that the log has, with no internals', async () => {
    const lines: string[] = [];
    const t = await createTestApp({ logger: pino({ level: 'error' }, { write: (s: string) => void lines.push(s) }) });
    try {
      const admin = await t.token('admin');
      await sql`drop table grid_workers`.execute(t.dbh.db); // the database breaks under the app
      const res = await t.app.inject({ url: '/api/grids', headers: { ...bearer(admin), 'accept-language': 'en' } });
      expect(res.statusCode).toBe(500);
      const requestId = res.headers['x-request-id'] as string;
      expect(res.json()).toEqual({ error: { code: 'internal', message: `Internal server error; please retry later (request ${requestId})` } });
      expect(res.body).not.toContain('grid_workers');
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === requestId);
      expect(logged?.err?.message).toContain('grid_workers');
    } finally {
      await t.close();
    }
  });
});

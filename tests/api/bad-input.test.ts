import Fastify from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../server/src/core/errors.js';
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
    // Decisions whose only field is an optional note: for them an empty object is a good body, not a bad one.
    const NOTE_ONLY = new Set(['POST /api/party/transfers/:id/accept', 'POST /api/party/transfers/:id/reject', 'POST /api/station-services/:id/done']);
    for (const r of writes) {
      for (const ids of ['1', '999999', 'abc']) {
        for (const b of BAD_BODIES) {
          if (b.name === 'empty object' && NOTE_ONLY.has(`${r.method} ${r.url}`)) continue;
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
  }, 300_000); // every write route × 3 ids × every bad body: grows with the routes

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

// Issue 8, finding 10: five kinds of bad input used to reach PostgreSQL and answer 500.
describe('bad input that PostgreSQL cannot take is a 4xx naming the field', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  /** The project's error shape, naming `field`, with the message in Chinese by default. */
  const expectFieldError = (res: { statusCode: number; body: string; json(): any }, status: number, field: string, message?: string) => {
    expect(res.statusCode, res.body).toBe(status);
    const err = res.json().error;
    expect(err.code, res.body).toMatch(/^[a-z_]+$/);
    expect(err.message, res.body).toMatch(/[\u4e00-\u9fff]/);
    expect(Object.keys(err.fields ?? {}), res.body).toContain(field);
    if (message) expect(err.fields[field]).toBe(message);
  };
  const post = async (url: string, user: string | null, payload: unknown, method: 'POST' | 'PATCH' = 'POST') =>
    t.app.inject({ method, url, headers: user ? bearer(await t.token(user)) : {}, payload: payload as any });

  it('a NUL byte in any string: body, query and path, anonymous login too', async () => {
    expectFieldError(await post('/api/auth/login', null, { username: 'admin\u0000', password: 'Demo@1234' }), 400, 'username', '含有不允许的字符');
    expectFieldError(await post('/api/auth/login', null, { username: 'admin', password: 'Demo\u0000@1234' }), 400, 'password');
    expectFieldError(await post('/api/wishes', 'resident.demo', { title: '想要\u0000收音机', story: '想要一台收音机听戏', category: 'goods', targetGroup: 'elder', estimatedValue: 50 }), 400, 'title');
    const res = await t.app.inject({ url: '/api/people?q=%E5%BC%A0%00', headers: { ...bearer(await t.token('admin')), 'accept-language': 'en' } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', fields: { q: 'contains characters that are not allowed' } });
    expectFieldError(await t.app.inject({ url: '/api/regions/1%00', headers: bearer(await t.token('admin')) }), 400, 'id');
    // Nested fields are named by their path, as validation errors are.
    const region = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'community').executeTakeFirstOrThrow();
    expectFieldError(await post('/api/consultations', 'admin', { topic: '加装电梯', scopeRegionId: region.id, parties: ['x\u0000'] }), 400, 'parties.0');
  });

  it('a lone surrogate never reaches a jsonb column', async () => {
    const community = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'community').executeTakeFirstOrThrow();
    // The audit summary (jsonb) carries the name: PostgreSQL refused "\ud800" there.
    expectFieldError(await post('/api/regions', 'admin', { parentId: community.id, name: '新小区\uD800', code: 'NEW1' }), 400, 'name', '含有不允许的字符');
    expectFieldError(await post('/api/alliance/units', 'resident.demo', { name: '测试单位\uDC00', kind: 'enterprise', committeeRegionId: community.id, contactName: '王', contactPhone: '13800138000' }), 400, 'name');
    // Keys count as much as values: a jsonb key with a lone surrogate is refused on its parent.
    expectFieldError(await post('/api/wishes', 'resident.demo', JSON.parse('{"title":"想要收音机","story":"想要一台收音机听戏","category":"goods","targetGroup":"elder","estimatedValue":50,"visit":{"\\ud800":1}}')), 400, 'visit');
  });

  it('ids between 2^31 and 2^53 are a 400 naming the id, not an int4 overflow', async () => {
    for (const id of ['2147483648', '4294967296', '9007199254740991']) {
      expectFieldError(await t.app.inject({ url: `/api/public/wishes/${id}` }), 400, 'id');
      expectFieldError(await t.app.inject({ url: `/api/public/wishes?seasonId=${id}` }), 400, 'seasonId');
      expectFieldError(await t.app.inject({ url: `/api/regions/${id}`, headers: bearer(await t.token('admin')) }), 400, 'id');
    }
    expect((await t.app.inject({ url: '/api/public/wishes/2147483647' })).statusCode).toBe(404);
    expectFieldError(await post('/api/wishes', 'resident.demo', { title: '想要收音机', story: '想要一台收音机听戏', category: 'goods', targetGroup: 'elder', estimatedValue: 50, seasonId: 2 ** 31 }), 400, 'seasonId');
    const community = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'community').executeTakeFirstOrThrow();
    expectFieldError(await post('/api/regions', 'admin', { parentId: community.id, name: '新小区', code: 'NEW2', sort: 2 ** 40 }), 400, 'sort');
    expectFieldError(await post('/api/seasons', 'admin', { name: '第十三季', startsOn: '2026-01-01', endsOn: '2026-03-01', communityIds: [community.id, Number.MAX_SAFE_INTEGER] }), 400, 'communityIds.1');
  });

  it('a subnormal coordinate (found by the fuzz test) is not out of range for double precision', async () => {
    const res = await t.app.inject({ url: '/api/stations?lat=-6e-323&lng=5e-324' });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('dates that match YYYY-MM-DD but do not exist are a 400 naming the field', async () => {
    const community = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'community').executeTakeFirstOrThrow();
    for (const bad of ['2026-13-45', '2026-02-29', '2025-04-31', '0000-01-01']) {
      expectFieldError(await post('/api/seasons', 'admin', { name: '第十三季', startsOn: bad, endsOn: '2099-12-31', communityIds: [community.id] }), 400, 'startsOn', '不是有效的日期（YYYY-MM-DD）');
    }
    expectFieldError(await post('/api/people', 'admin', { name: '测试居民', regionId: community.id, birthDate: '1990-02-30' }), 400, 'birthDate');
    expectFieldError(await t.app.inject({ url: '/api/audit?from=2026-13-45', headers: bearer(await t.token('admin')) }), 400, 'from');
    expectFieldError(await t.app.inject({ url: '/api/audit?to=0000-01-01T00:00:00Z', headers: bearer(await t.token('admin')) }), 400, 'to');
    // A leap day that exists is fine.
    expect((await post('/api/seasons', 'admin', { name: '闰年季', startsOn: '2028-02-29', endsOn: '2028-03-31', communityIds: [community.id] })).statusCode).toBe(201);
  });

  it('a second alliance-unit application of one organisation is a 409 "已提交过申请", with one row', async () => {
    const community = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'community').executeTakeFirstOrThrow();
    const apply = () => post('/api/alliance/units', 'member.demo', { name: '鹿鸣苑党支部', kind: 'community', committeeRegionId: community.id, contactName: '李', contactPhone: '13800138000' });
    expect((await apply()).statusCode).toBe(201);
    const second = await apply();
    expect(second.statusCode, second.body).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'already_applied', message: '已提交过申请' });
    const me = (await t.app.inject({ url: '/api/auth/me', headers: bearer(await t.token('member.demo')) })).json();
    const org = await t.dbh.db.selectFrom('accounts').select('organisation_id').where('username', '=', me.username ?? 'member.demo').executeTakeFirstOrThrow();
    const rows = await t.dbh.db.selectFrom('alliance_units').select('id').where('organisation_id', '=', org.organisation_id).execute();
    expect(rows).toHaveLength(1);
    // The seeded unit's own account (its organisation is already a unit) gets the same answer.
    const seeded = await post('/api/alliance/units', 'unit.demo', { name: '盐南数智科技有限公司', kind: 'enterprise', committeeRegionId: community.id, contactName: '张', contactPhone: '13800138000' });
    expect(seeded.statusCode, seeded.body).toBe(409);
  });
});

// The second guard: input the edge missed still comes back as a 4xx, never a 500.
describe('database errors caused by input', () => {
  it('map to 4xx in the error shape; other database failures stay 500', async () => {
    const t = await createTestApp();
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    const db = t.dbh.db;
    const cases: Record<string, () => Promise<unknown>> = {
      int4: () => sql`select ${'2147483648'}::int4`.execute(db),
      nul: () => sql`select ${'a\u0000b'}::text`.execute(db),
      date: () => sql`select ${'2026-13-45'}::date`.execute(db),
      jsonb: () => sql`select ${'{"a":"\\ud800"}'}::jsonb`.execute(db),
      unique: () => db.transaction().execute(async (tx) => {
        await sql`create temp table fuzz_t (room_id int primary key) on commit drop`.execute(tx);
        await sql`insert into fuzz_t values (1), (1)`.execute(tx);
      }),
      fk: () => db.transaction().execute(async (tx) => {
        await sql`create temp table fuzz_p (id int primary key) on commit drop`.execute(tx);
        await sql`create temp table fuzz_c (parent_id int references fuzz_p(id)) on commit drop`.execute(tx);
        await sql`insert into fuzz_c values (7)`.execute(tx);
      }),
      missing: () => sql`select * from no_such_table`.execute(db),
    };
    app.get('/:case', async (req) => { await cases[(req.params as { case: string }).case](); return {}; });
    try {
      const status = async (c: string) => { const r = await app.inject({ url: `/${c}` }); return [r.statusCode, r.json().error.code, Object.keys(r.json().error.fields ?? {})]; };
      expect(await status('int4')).toEqual([400, 'validation_failed', ['body']]);
      expect(await status('nul')).toEqual([400, 'validation_failed', ['body']]);
      expect(await status('date')).toEqual([400, 'validation_failed', ['body']]);
      expect(await status('jsonb')).toEqual([400, 'validation_failed', ['body']]);
      expect(await status('unique')).toEqual([409, 'conflict', ['roomId']]);
      expect(await status('fk')).toEqual([400, 'validation_failed', ['parentId']]);
      expect(await status('missing')).toEqual([500, 'internal', []]);
    } finally {
      await app.close();
      await t.close();
    }
  });
});

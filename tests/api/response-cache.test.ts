import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDb, type DbHandle } from '../../server/src/core/db.js';
import { normalisedUrl } from '../../server/src/core/response-cache.js';
import { flushViews } from '../../server/src/modules/wishes/views.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { publishedWish } from '../helpers/wishes.js';

/** The public response cache (core/response-cache.ts): ETags, invalidation here and on another instance, privacy, views. */
describe('response cache of public pages', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const get = (app: FastifyInstance, url: string, headers: Record<string, string> = {}, remoteAddress = '203.0.113.7') =>
    app.inject({ method: 'GET', url, headers, remoteAddress });
  const lookups = async (app: FastifyInstance, cache: string) => {
    const text = (await app.inject({ url: '/metrics' })).body;
    const n = (result: string) => Number(new RegExp(`redcom_cache_lookups_total\\{cache="${cache}",result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    return { hit: n('hit'), miss: n('miss') };
  };
  /** Polls `url` on `app` until `ok(body)` holds or `ms` pass; returns whether it held. */
  const visibleWithin = async (app: FastifyInstance, url: string, ok: (body: any) => boolean, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const r = await get(app, url);
      if (r.statusCode === 200 && ok(r.json())) return true;
      if (Date.now() > until) return false;
      await new Promise((res) => setTimeout(res, 20));
    }
  };

  it('normalises the query: the order of parameters does not make another page', () => {
    expect(normalisedUrl('/api/stations?pageSize=20&page=1')).toBe(normalisedUrl('/api/stations?page=1&pageSize=20'));
    expect(normalisedUrl('/api/stations?')).toBe('/api/stations');
    expect(normalisedUrl('/api/stations?page=2')).not.toBe(normalisedUrl('/api/stations?page=1'));
  });

  it('answers a repeat from the cache with the same strong ETag, and 304 to If-None-Match', async () => {
    const before = await lookups(t.app, 'response_wishes');
    const first = await get(t.app, '/api/public/wishes?pageSize=5&page=1');
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const second = await get(t.app, '/api/public/wishes?page=1&pageSize=5');
    expect(second.statusCode).toBe(200);
    expect(second.headers.etag).toBe(etag);
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    const after = await lookups(t.app, 'response_wishes');
    expect(after.hit - before.hit).toBeGreaterThanOrEqual(1);
    expect(after.miss - before.miss).toBeGreaterThanOrEqual(1);

    const revalidated = await get(t.app, '/api/public/wishes?pageSize=5&page=1', { 'if-none-match': etag });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    expect((await get(t.app, '/api/public/wishes?pageSize=5&page=1', { 'if-none-match': '"other"' })).statusCode).toBe(200);
    // Open311 keeps its own content type (XML) through the cache.
    const xml1 = await get(t.app, '/open311/v2/services.xml');
    const xml2 = await get(t.app, '/open311/v2/services.xml');
    expect(xml2.headers['content-type']).toBe(xml1.headers['content-type']);
    expect(xml2.headers['content-type']).toMatch(/xml/);
    expect(xml2.body).toBe(xml1.body);
  });

  it('a change made through this instance shows on its next read', async () => {
    const id = await publishedWish(t);
    const url = `/api/public/wishes/${id}`;
    expect((await get(t.app, url)).json().status).toBe('published');
    expect((await get(t.app, url)).json().status).toBe('published'); // now cached
    const claim = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(await t.token('unit.demo')) });
    expect(claim.statusCode).toBe(200);
    expect((await get(t.app, url)).json().status).toBe('claimed');

    const stations = (await get(t.app, '/api/stations?pageSize=100')).json().items as { id: number }[];
    const station = stations[0].id;
    const closed = await t.app.inject({ method: 'POST', url: `/api/stations/${station}/close`, headers: bearer(await t.token('admin')), payload: { reason: '设备检修' } });
    expect(closed.statusCode).toBe(200);
    expect((await get(t.app, '/api/stations?pageSize=100')).json().items.map((s: { id: number }) => s.id)).not.toContain(station);
  });

  it('a write straight to the database (no request here) reaches the cached page through the event bus', async () => {
    const url = '/api/stations?pageSize=100';
    const station = (await get(t.app, url)).json().items[0] as { id: number; name: string };
    expect((await get(t.app, url)).json().items[0].name).toBe(station.name);
    await t.dbh.db.updateTable('stations').set({ name: `${station.name}（新址）` }).where('id', '=', station.id).execute();
    expect(await visibleWithin(t.app, url, (b) => b.items.some((s: { id: number; name: string }) => s.id === station.id && s.name === `${station.name}（新址）`), 1000)).toBe(true);
  });

  it('counts a view per visitor per day on cache hits too, and still gives a new visitor its cookie', async () => {
    const id = await publishedWish(t);
    const url = `/api/public/wishes/${id}`;
    const viewsOf = async () => (await flushViews(t.dbh.db), await t.dbh.db.selectFrom('wishes').select('view_count').where('id', '=', id).executeTakeFirstOrThrow()).view_count;
    const start = await viewsOf();
    const before = await lookups(t.app, 'response_wishes');
    const a = await get(t.app, url, {}, '198.51.100.10'); // a miss
    const b = await get(t.app, url, {}, '192.0.2.20'); // a hit, another visitor
    const after = await lookups(t.app, 'response_wishes');
    expect(after.hit - before.hit).toBe(1);
    expect(b.body).toBe(a.body);
    for (const r of [a, b]) expect(r.cookies.find((c) => c.name === 'rc_vid')).toBeTruthy();
    expect(await viewsOf()).toBe(start + 2);
    // The same visitors again, from the cache: not counted twice the same day.
    const cookieA = a.cookies.find((c) => c.name === 'rc_vid')!.value;
    const again = await get(t.app, url, { cookie: `rc_vid=${cookieA}` }, '198.51.100.10');
    expect(again.cookies.find((c) => c.name === 'rc_vid')).toBeUndefined(); // a known visitor gets no new cookie
    await get(t.app, url, { cookie: `rc_vid=${b.cookies.find((c) => c.name === 'rc_vid')!.value}` }, '192.0.2.20');
    expect(await viewsOf()).toBe(start + 2);
  });

  it('keeps no private data: cached bodies carry no phone, ID number or beneficiary name, whoever asked first', async () => {
    const id = await publishedWish(t);
    const worker = bearer(await t.token('community.luming'));
    // A worker asks first (these routes' answers do not depend on who asks), then anyone.
    const urls = [`/api/public/wishes/${id}`, '/api/public/wishes?pageSize=100', '/api/stations?pageSize=100', '/api/projects?pageSize=100', '/api/positions?pageSize=100', '/api/practical-matters?pageSize=100', '/open311/v2/requests.json'];
    for (const url of urls) expect((await get(t.app, url, worker)).statusCode).toBe(200);
    // A notification from the test's other writes may empty the cache in between: ask again until every page is in it.
    await expect.poll(async () => {
      for (const url of urls) await get(t.app, url, worker);
      return [...t.app.responseCache.bodies()].length;
    }).toBeGreaterThanOrEqual(urls.length);
    const w = await t.dbh.db.selectFrom('wishes').select('beneficiary_person_id').where('id', '=', id).executeTakeFirstOrThrow();
    const person = w.beneficiary_person_id
      ? await t.dbh.db.selectFrom('persons').select(['name', 'phone', 'id_number']).where('id', '=', w.beneficiary_person_id).executeTakeFirst()
      : undefined;
    const bodies = [...t.app.responseCache.bodies()];
    for (const body of bodies) {
      expect(body).not.toMatch(/\d{17}[\dX]/); // an ID number
      expect(body).not.toMatch(/(?<![\d.])1[3-9]\d{9}(?!\d)/); // a mobile number (not the decimals of a coordinate)
      if (person) {
        expect(body).not.toContain(person.id_number);
        if (person.phone) expect(body).not.toContain(person.phone);
        expect(body).not.toContain(`"${person.name}"`);
      }
    }
    const page = (await get(t.app, `/api/public/wishes/${id}`)).json();
    expect(page.beneficiaryContact).toBeUndefined();
    expect(page.abilities).toBeUndefined();
  });

  it('never caches a signed-in caller\'s answer that depends on who asks, nor serves it the anonymous one', async () => {
    const applied = await t.app.inject({
      method: 'POST', url: '/api/alliance/units', headers: bearer(await t.token('resident.demo')),
      payload: { name: '缓存测试志愿服务队', kind: 'social_org', committeeRegionId: (await t.dbh.db.selectFrom('regions').select('id').where('name', '=', '鹿鸣社区').executeTakeFirstOrThrow()).id, contactName: '王某', contactPhone: '13800138000' },
    });
    expect(applied.statusCode).toBe(201);
    const url = `/api/alliance/units?q=${encodeURIComponent('缓存测试')}`;
    const names = (r: { json(): any }) => (r.json().items as { name: string }[]).map((u) => u.name);
    const admin = bearer(await t.token('admin'));
    expect(names(await get(t.app, url))).not.toContain('缓存测试志愿服务队'); // anonymous, now cached
    expect(names(await get(t.app, url, admin))).toContain('缓存测试志愿服务队'); // the manager is not served the cached roster
    const anonymous = await get(t.app, url);
    expect(names(anonymous)).not.toContain('缓存测试志愿服务队'); // and the manager's answer was not stored
    for (const body of t.app.responseCache.bodies()) expect(body).not.toContain('缓存测试志愿服务队');
    // Reads that are not public at all are never cached, whoever reads them.
    const worker = bearer(await t.token('community.luming')); // signing in is a write: before the count
    await get(t.app, url);
    const size = t.app.responseCache.size;
    expect(size).toBeGreaterThan(0);
    expect((await get(t.app, '/api/wishes?pageSize=5', worker)).statusCode).toBe(200);
    expect((await get(t.app, '/api/stations/managed?pageSize=5', admin)).statusCode).toBe(200);
    expect(t.app.responseCache.size).toBe(size);
  });

  it('a change on instance A shows on instance B\'s cached pages within a second (one database)', async () => {
    // On PostgreSQL B has its own pool and LISTEN connection; on PGlite both instances share the one database handle.
    const dbh2: DbHandle = t.kind === 'postgres' ? await openDb({ databaseUrl: t.dbh.url, onPoolError: () => {} }) : t.dbh;
    const b = await buildApp({ config: { ...loadConfig({ RATE_LIMIT_PUBLIC_PER_MIN: '0' }), webDist: '/nonexistent' }, dbh: dbh2 });
    try {
      await b.ready();
      const id = await publishedWish(t);
      const wishUrl = `/api/public/wishes/${id}`;
      const stationsUrl = '/api/stations?pageSize=100';
      // B holds both pages in its cache (the publication's own event may reach B after its first read: read until a hit).
      const heldBy = async (app: FastifyInstance, url: string, cache: string) => {
        for (let i = 0; i < 50; i++) {
          const before = await lookups(app, cache);
          const r = await get(app, url);
          if ((await lookups(app, cache)).hit > before.hit) return r.json();
          await new Promise((res) => setTimeout(res, 20));
        }
        throw new Error(`${url} never served from the cache`);
      };
      expect((await heldBy(b, wishUrl, 'response_wishes')).status).toBe('published');
      const station = (await heldBy(b, stationsUrl, 'response_stations')).items[0] as { id: number };

      const claim = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(await t.token('unit.demo')) });
      expect(claim.statusCode).toBe(200);
      const closed = await t.app.inject({ method: 'POST', url: `/api/stations/${station.id}/close`, headers: bearer(await t.token('admin')), payload: { reason: '临时关闭' } });
      expect(closed.statusCode).toBe(200);

      expect(await visibleWithin(b, wishUrl, (w) => w.status === 'claimed', 1000)).toBe(true);
      expect(await visibleWithin(b, stationsUrl, (s) => !s.items.some((x: { id: number }) => x.id === station.id), 1000)).toBe(true);
    } finally {
      await b.close();
      if (dbh2 !== t.dbh) await dbh2.close();
    }
  });
});

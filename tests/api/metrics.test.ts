import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { createMetrics, installMetrics } from '../../server/src/core/metrics.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Readiness (/api/health: the database answers and carries every migration of this build) and the
 * Prometheus metrics (/metrics): request latency by route pattern and status, database connections,
 * event-loop lag, live event subscribers and the short caches' hits and misses; not served in
 * production without a token.
 */
describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());
  const metric = (text: string, line: RegExp) => text.split('\n').find((l) => line.test(l));

  it('health is ready when the database answers and every migration is applied; a missing migration makes it 503', async () => {
    const ok = await t.app.inject({ url: '/api/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ok', db: t.kind, database: 'reachable', migrations: { pending: [] } });
    expect(ok.json().migrations.applied).toBeGreaterThan(10);
    const last = (await sql<{ name: string }>`select name from schema_migrations order by name desc limit 1`.execute(t.dbh.db)).rows[0].name;
    await sql`delete from schema_migrations where name = ${last}`.execute(t.dbh.db);
    try {
      await new Promise((r) => setTimeout(r, 1100)); // the answer is kept for a second
      const behind = await t.app.inject({ url: '/api/health' });
      expect(behind.statusCode).toBe(503);
      expect(behind.json()).toMatchObject({ status: 'unavailable', database: 'reachable', migrations: { pending: [last] } });
    } finally {
      await sql`insert into schema_migrations (name) values (${last})`.execute(t.dbh.db);
    }
  });

  it('/metrics shows latency by route pattern (ids folded), connections, event-loop lag, subscribers and cache lookups', async () => {
    const token = await t.token('community.luming');
    for (const id of [1, 2, 3]) await t.app.inject({ url: `/api/public/wishes/${id}` });
    await t.app.inject({ url: '/api/public/wishes?pageSize=20' });
    await t.app.inject({ url: '/api/public/wishes?pageSize=20' });
    await t.app.inject({ url: '/api/public/wishes?pageSize=20&page=2' });
    await t.app.inject({ url: '/api/people?pageSize=5', headers: bearer(token) });
    await t.app.inject({ url: '/api/no-such-thing' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    // One series per route pattern, not per id.
    expect(text).not.toContain('route="/api/public/wishes/1"');
    expect(metric(text, /^redcom_http_request_duration_seconds_count\{method="GET",route="\/api\/public\/wishes\/:id",status="(200|404)"\}/)).toBeTruthy();
    expect(metric(text, /^redcom_http_request_duration_seconds_count\{method="GET",route="\/api\/people",status="200"\} 1$/)).toBeTruthy();
    expect(metric(text, /^redcom_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1$/)).toBeTruthy();
    expect(metric(text, /^redcom_http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/api\/people",status="200"\} [01]$/)).toBeTruthy();
    for (const state of ['in_use', 'idle', 'waiting']) expect(metric(text, new RegExp(`^redcom_db_connections\\{state="${state}"\\} \\d+$`))).toBeTruthy();
    expect(metric(text, /^redcom_nodejs_eventloop_lag_seconds \d/)).toBeTruthy();
    expect(metric(text, /^redcom_event_subscribers\{channel="[^"]+"\} [1-9]/)).toBeTruthy();
    // The wall's second identical page came from the response cache; its page 2 from the computed wall order.
    expect(Number(metric(text, /^redcom_cache_lookups_total\{cache="response_wishes",result="hit"\}/)?.split(' ')[1])).toBeGreaterThanOrEqual(1);
    expect(Number(metric(text, /^redcom_cache_lookups_total\{cache="response_wishes",result="miss"\}/)?.split(' ')[1])).toBeGreaterThanOrEqual(1);
    expect(Number(metric(text, /^redcom_cache_lookups_total\{cache="public_wall",result="hit"\}/)?.split(' ')[1])).toBeGreaterThanOrEqual(1);
    expect(Number(metric(text, /^redcom_cache_lookups_total\{cache="public_wall",result="miss"\}/)?.split(' ')[1])).toBeGreaterThanOrEqual(1);
  });

  it('in production /metrics exists only with METRICS_TOKEN, and answers only the scraper that sends it', async () => {
    for (const [env, tries] of [
      [{ NODE_ENV: 'production' }, [[undefined, 404]]],
      [{ NODE_ENV: 'production', METRICS_TOKEN: 't0ken-for-prometheus' }, [[undefined, 401], ['Bearer wrong', 401], ['Bearer t0ken-for-prometheus', 200]]],
    ] as const) {
      const app = Fastify();
      installMetrics(app, loadConfig(env), createMetrics(t.dbh, t.app.events));
      app.get('/x', async () => 'x');
      for (const [auth, status] of tries) {
        const res = await app.inject({ url: '/metrics', headers: auth ? { authorization: auth } : {} });
        expect(res.statusCode, `${JSON.stringify(env)} ${auth}`).toBe(status);
      }
      await app.close();
    }
  });
});

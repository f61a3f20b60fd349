import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, redcom, startServer } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-serve-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const json = (url: string, init: RequestInit & { token?: string } = {}) =>
  fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers } });

describe('redcom serve', () => {
  it('seeds on first start, shuts down cleanly on SIGINT, and a second start keeps data and sessions', async () => {
    const env = { DATA_DIR: path.join(tmp, 'dev') };
    const port = freePort();
    const s1 = await startServer(env, port);
    const login = await (await json(`${s1.url}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'community.luming', password: 'Demo@1234' }) })).json();
    expect(login.token).toBeTruthy();
    const room = (await (await json(`${s1.url}/api/people?pageSize=1`, { token: login.token })).json()).items[0];
    const created = await json(`${s1.url}/api/people`, { method: 'POST', token: login.token, body: JSON.stringify({ name: '重启测试', sex: 'F', regionId: room.regionId }) });
    expect(created.status).toBe(201);
    const personId = (await created.json()).id;
    // An in-flight request during shutdown still completes.
    const inflight = json(`${s1.url}/api/people?pageSize=100`, { token: login.token });
    await new Promise((r) => setTimeout(r, 5));
    const code = await s1.stop('SIGINT');
    expect((await inflight).status).toBe(200);
    expect(code).toBe(0);
    expect(s1.output()).toContain('closed cleanly');

    const s2 = await startServer(env, port);
    try {
      expect(s2.output()).not.toContain('seeding the demo district');
      const me = await json(`${s2.url}/api/auth/me`, { token: login.token });
      expect(me.status).toBe(200);
      const p = await json(`${s2.url}/api/people/${personId}`, { token: login.token });
      expect((await p.json()).name).toBe('重启测试');
    } finally {
      expect(await s2.stop('SIGTERM')).toBe(0);
    }
  }, 120_000); // two starts, the first seeding the demo

  it('in production nothing demo is seeded, no default password works, and the first admin comes from the CLI', async () => {
    // The hub's secret key must be given in production (every instance shares it); without it the server does not start.
    await expect(startServer({ DATA_DIR: path.join(tmp, 'prod'), NODE_ENV: 'production' }, freePort())).rejects.toThrow(/REDCOM_SECRET_KEY is required in production/);
    // Nor does it start when SMS and WeChat messages would only be written to the log, unless told that is meant.
    await expect(startServer({ DATA_DIR: path.join(tmp, 'prod'), NODE_ENV: 'production', REDCOM_SECRET_KEY: 'ab'.repeat(32) }, freePort())).rejects.toThrow(/sms and wechat_template would only be written to the log[\s\S]*ALLOW_LOG_SENDERS=1/);
    const env = { DATA_DIR: path.join(tmp, 'prod'), NODE_ENV: 'production', REDCOM_SECRET_KEY: 'ab'.repeat(32), ALLOW_LOG_SENDERS: '1' };
    const port = freePort();
    const s = await startServer(env, port);
    try {
      expect(s.output()).toContain('No district admin exists yet');
      const demo = await json(`${s.url}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'Demo@1234' }) });
      expect(demo.status).toBe(401);
      // Metrics are not public in production: without METRICS_TOKEN there is no /metrics at all.
      expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
    } finally {
      await s.stop();
    }
    // An admin needs a region to scope it to: the CLI says how, then creates the district and the first admin.
    const noRegion = redcom(['user', 'add', '--username', 'chief', '--password', 'Chief2026x'], env);
    expect(noRegion.code).toBe(1);
    expect(noRegion.out).toContain('region add-root');
    expect(redcom(['region', 'add-root', '--code', 'YN', '--name', '盐南高新区'], env).code).toBe(0);
    const weak = redcom(['user', 'add', '--username', 'chief', '--password', 'weak'], env);
    expect(weak.code).toBe(1);
    const added = redcom(['user', 'add', '--username', 'chief', '--password', 'Chief2026x', '--name', '区管理员'], env);
    expect(added.code, added.out).toBe(0);
    const listed = redcom(['user', 'list'], env);
    expect(listed.out).toContain('chief');
    const s2 = await startServer({ ...env, METRICS_TOKEN: 'scrape-token-2026' }, port);
    try {
      expect(s2.output()).not.toContain('No district admin exists yet');
      const login = await json(`${s2.url}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'chief', password: 'Chief2026x' }) });
      expect(login.status).toBe(200);
      expect((await login.json()).permissions).toEqual(['*']);
      // With a token, /metrics answers the scraper that sends it; the sweeps report how long each run took and how it ended.
      expect((await fetch(`${s2.url}/metrics`)).status).toBe(401);
      let text = '';
      for (let i = 0; i < 40 && !/redcom_sweep_duration_seconds_count\{sweep="outbox delivery",outcome="ok"\} [1-9]/.test(text); i++) {
        await new Promise((r) => setTimeout(r, 500));
        const res = await fetch(`${s2.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-2026' } });
        expect(res.status).toBe(200);
        text = await res.text();
      }
      expect(text).toMatch(/redcom_sweep_duration_seconds_count\{sweep="outbox delivery",outcome="ok"\} [1-9]/);
      expect(text).toMatch(/redcom_http_request_duration_seconds_count\{method="POST",route="\/api\/auth\/login",status="200"\} 1/);
      expect((await (await fetch(`${s2.url}/api/health`)).json())).toMatchObject({ status: 'ok', database: 'reachable', migrations: { pending: [] } });
    } finally {
      await s2.stop();
    }
  }, 180_000);
});

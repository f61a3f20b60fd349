import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainRuns } from '../../server/src/modules/brain/runs.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The HTTP pull connector against a real HTTP server started by the test: JSON paged by page number
 * behind an API key, JSON paged by cursor behind an HMAC signature (checked here independently of
 * the connector's code, nonces included), and CSV with a rejected row. Rows land, a repeat adds
 * none, a full run deletes what the source stopped listing, a wrong key fails the run with the
 * source's 401 (retried, then failed), and a source whose pages never end is stopped.
 */
const API_KEY = 'key-0d2c6b1f4a';
const HMAC_SECRET = 'hmac-secret-7e91c3';
const pad = (n: number) => String(n).padStart(2, '0');
const items = Array.from({ length: 25 }, (_, i) => ({ code: `C${pad(i + 1)}`, name: `项目${i + 1}`, amount: (i + 1) * 10, day: `2024-06-${pad(i + 1)}` }));

describe('red brain: HTTP pull', () => {
  let t: TestApp;
  let server: Server;
  let base = '';
  const requests: { path: string; page?: string | null; size?: string | null }[] = [];
  const nonces = new Set<string>();
  let systemId = 0;

  const json = (res: ServerResponse, status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  /** The connector's HMAC, checked as a source would: fresh timestamp, unseen nonce, signature over the request line. */
  const hmacOk = (req: IncomingMessage) => {
    const ts = String(req.headers['x-timestamp'] ?? '');
    const nonce = String(req.headers['x-nonce'] ?? '');
    const sig = Buffer.from(String(req.headers['x-signature'] ?? ''));
    const want = Buffer.from(`sha256=${createHmac('sha256', HMAC_SECRET).update(`${ts}.${nonce}.${req.method} ${req.url}`).digest('hex')}`);
    if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300 || !nonce || nonces.has(nonce)) return false;
    nonces.add(nonce);
    return sig.length === want.length && timingSafeEqual(sig, want);
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://x');
    requests.push({ path: url.pathname, page: url.searchParams.get('page'), size: url.searchParams.get('size') });
    if (url.pathname === '/paged') {
      if (req.headers['x-api-key'] !== API_KEY) return json(res, 401, { error: 'bad api key' });
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('size'));
      return json(res, 200, { data: { items: items.slice((page - 1) * size, page * size) } });
    }
    if (url.pathname === '/cursor') {
      if (!hmacOk(req)) return json(res, 401, { error: 'bad signature' });
      const from = Number(url.searchParams.get('cursor') ?? 0);
      return json(res, 200, { items: items.slice(from, from + 10), next: from + 10 < items.length ? String(from + 10) : null });
    }
    if (url.pathname === '/export.csv') {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      return res.end(['编码,名称,金额,日期', ...items.slice(0, 5).map((i) => `${i.code},${i.name},${i.code === 'C03' ? '三十' : i.amount},${i.day}`)].join('\n'));
    }
    if (url.pathname === '/endless') return json(res, 200, [{ code: `E${url.searchParams.get('page')}`, name: '无尽' }]);
    json(res, 404, { error: 'not found' });
  };

  const as = async (method: string, url: string, payload?: unknown) =>
    t.app.inject({ method: method as any, url, headers: bearer(await t.token('data.admin')), ...(payload !== undefined ? { payload: payload as any } : {}) });
  const dataset = async (name: string) => {
    const ds = await as('POST', '/api/brain/datasets', {
      name, systemId, shareType: 'open',
      fields: [
        { name: 'code', label: '编码', type: 'text', personal: 'none', key: true }, { name: 'name', label: '名称', type: 'text', personal: 'none' },
        { name: 'amount', label: '金额', type: 'number', personal: 'none' }, { name: 'day', label: '日期', type: 'date', personal: 'none' },
      ],
    });
    expect(ds.statusCode, ds.body).toBe(201);
    return ds.json().id as number;
  };
  const connector = async (datasetId: number, config: Record<string, unknown>) => {
    const c = await as('POST', '/api/brain/connectors', { kind: 'http_pull', datasetId, config });
    expect(c.statusCode, c.body).toBe(201);
    return c.json().id as number;
  };
  /** Runs a connector and waits until it succeeds, fails, or records an error (a failed attempt is queued again with backoff). */
  const run = async (connectorId: number, mode?: 'full') => {
    const res = await as('POST', `/api/brain/connectors/${connectorId}/run`, mode ? { mode } : {});
    expect(res.statusCode, res.body).toBe(202);
    for (let i = 0; i < 300; i++) {
      const r = (await as('GET', `/api/brain/runs/${res.json().runId}`)).json();
      if (r.status === 'succeeded' || r.status === 'failed' || r.error) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('run did not finish');
  };
  const held = async (datasetId: number) =>
    (await t.dbh.db.selectFrom('brain_rows').select(['key', 'data']).where('dataset_id', '=', datasetId).orderBy('key').execute())
      .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data));

  beforeAll(async () => {
    server = createServer(handler);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp();
    systemId = (await as('GET', '/api/brain/systems?pageSize=1')).json().items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((res) => server?.close(res));
  });

  it('JSON by page number with an API key: three pages land, a repeat adds none, a full run deletes what the source dropped', async () => {
    const ds = await dataset('HTTP 页码分页');
    const id = await connector(ds, { url: `${base}/paged`, format: 'json', itemsPath: 'data.items', paging: { type: 'page', param: 'page', sizeParam: 'size', size: 10 }, auth: { type: 'api_key', header: 'X-API-Key' }, apiKey: API_KEY });
    const got = await as('GET', `/api/brain/connectors/${id}`);
    expect(got.json()).toMatchObject({ hasSecret: true, config: { auth: { type: 'api_key' } } });
    expect(got.body).not.toContain(API_KEY);
    expect((await t.dbh.db.selectFrom('brain_connectors').select('secret').where('id', '=', id).executeTakeFirstOrThrow()).secret).not.toContain(API_KEY);

    requests.length = 0;
    expect(await run(id)).toMatchObject({ status: 'succeeded', kind: 'http_pull', rowsIn: 25, inserted: 25, rejected: 0, progress: 1 });
    // Three pages of data, then the empty page that ends it.
    expect(requests).toEqual([1, 2, 3, 4].map((p) => ({ path: '/paged', page: String(p), size: '10' })));
    const rows = await held(ds);
    expect(rows).toHaveLength(25);
    expect(rows[0]).toEqual({ code: 'C01', name: '项目1', amount: 10, day: '2024-06-01' });
    expect(await run(id)).toMatchObject({ status: 'succeeded', rowsIn: 25, inserted: 0, updated: 0, unchanged: 25 });
    expect(await held(ds)).toHaveLength(25);

    const dropped = items.splice(4, 1);
    try {
      expect(await run(id, 'full')).toMatchObject({ status: 'succeeded', mode: 'full', rowsIn: 24, inserted: 0, deleted: 1 });
    } finally {
      items.splice(4, 0, ...dropped);
    }
    expect((await held(ds)).map((r) => r.code)).not.toContain('C05');
  });

  it('JSON by cursor with an HMAC signature; a wrong secret fails the run with the 401, after its retries', async () => {
    const ds = await dataset('HTTP 游标分页');
    const id = await connector(ds, { url: `${base}/cursor`, itemsPath: 'items', paging: { type: 'cursor', param: 'cursor', nextPath: 'next' }, auth: { type: 'hmac' }, hmacSecret: HMAC_SECRET });
    expect((await as('GET', `/api/brain/connectors/${id}`)).body).not.toContain(HMAC_SECRET);
    const before = nonces.size;
    expect(await run(id)).toMatchObject({ status: 'succeeded', rowsIn: 25, inserted: 25 });
    expect(nonces.size - before).toBe(3);
    expect(await held(ds)).toHaveLength(25);
    expect(await run(id)).toMatchObject({ status: 'succeeded', inserted: 0, unchanged: 25 });

    const wrong = await connector(ds, { url: `${base}/cursor`, itemsPath: 'items', paging: { type: 'cursor', nextPath: 'next' }, auth: { type: 'hmac' }, hmacSecret: 'not-the-secret' });
    const first = await run(wrong);
    expect(first).toMatchObject({ status: 'queued', rowsIn: 0 });
    expect(first.error).toContain('HTTP 401');
    expect(first.error).toContain('bad signature');
    // Past the backoff, the remaining attempts fail the same way and the run ends failed.
    const deps = { db: t.dbh.db, bus: null, files: t.app.files, secrets: t.app.secrets };
    let r = first;
    for (let i = 0; i < 50 && r.status !== 'failed'; i++) {
      await t.dbh.db.updateTable('brain_runs').set({ next_attempt_at: new Date() }).where('id', '=', first.id).where('status', '=', 'queued').execute();
      await drainRuns(deps);
      r = (await as('GET', `/api/brain/runs/${first.id}`)).json();
      if (r.status !== 'failed') await new Promise((res) => setTimeout(res, 50));
    }
    expect(r).toMatchObject({ status: 'failed', attempt: 3, inserted: 0 });
    expect(r.error).toContain('HTTP 401');
    const log = await t.dbh.db.selectFrom('brain_exchange_log').select('outcome').where('run_id', '=', first.id).executeTakeFirstOrThrow();
    expect(log.outcome).toBe('failed');
    expect(await held(ds)).toHaveLength(25);
  });

  it('CSV with columns named by the fields\' labels: a bad value is rejected, a repeat adds none', async () => {
    const ds = await dataset('HTTP CSV');
    const id = await connector(ds, { url: `${base}/export.csv`, format: 'csv' });
    expect(await run(id)).toMatchObject({ status: 'succeeded', rowsIn: 5, inserted: 4, rejected: 1 });
    expect((await held(ds)).map((r) => r.code)).toEqual(['C01', 'C02', 'C04', 'C05']);
    expect(await run(id)).toMatchObject({ status: 'succeeded', inserted: 0, unchanged: 4, rejected: 1 });
  });

  it('refuses a bad paging or auth config, and stops a source whose pages never end', async () => {
    const ds = await dataset('HTTP 无尽分页');
    for (const config of [
      { url: `${base}/endless`, paging: { type: 'cursor' } },
      { url: `${base}/export.csv`, format: 'csv', paging: { type: 'cursor', nextPath: 'next' } },
      { url: `${base}/endless`, auth: { type: 'basic' } },
      { url: `${base}/endless`, auth: { type: 'api_key', header: 'X-Key: injected' } },
      { url: `${base}/endless`, maxPages: 0 },
    ]) {
      const res = await as('POST', '/api/brain/connectors', { kind: 'http_pull', datasetId: ds, config });
      expect(res.statusCode, JSON.stringify(config)).toBe(400);
    }
    const id = await connector(ds, { url: `${base}/endless`, paging: { type: 'page' }, maxPages: 5 });
    const r = await run(id);
    expect(r.error).toContain('已读取 5 页仍未结束');
    expect(r.rowsIn).toBe(5);
  });
});

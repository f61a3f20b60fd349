import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepWebhookNonces } from '../../server/src/modules/brain/webhook.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The Red Brain's HTTP push connector: a sender posts signed batches of rows; rows are upserted
 * by key (a repeated batch adds none); a wrong signature, a timestamp six minutes off, a replayed
 * nonce or an unknown key is refused with 401 and leaves a signed exchange-log record; the
 * connector's secret is shown once and never again.
 */
describe('red brain: webhook (HTTP push)', () => {
  let t: TestApp;
  let datasetId = 0, connectorId = 0, key = '', secret = '';
  const as = async (user: string, method: string, url: string, payload?: unknown) =>
    t.app.inject({ method: method as any, url, headers: bearer(await t.token(user)), ...(payload !== undefined ? { payload: payload as any } : {}) });
  const signed = (body: string, o: { ts?: number; nonce?: string; secret?: string } = {}) => {
    const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
    const nonce = o.nonce ?? randomBytes(12).toString('hex');
    const sig = createHmac('sha256', o.secret ?? secret).update(`${ts}.${nonce}.${body}`).digest('hex');
    return { 'content-type': 'application/json', 'x-timestamp': ts, 'x-nonce': nonce, 'x-signature': `sha256=${sig}` };
  };
  const push = (body: string, headers: Record<string, string>, k = key) => t.app.inject({ method: 'POST', url: `/api/brain/inbound/${k}`, payload: body, headers });
  const rowCount = async () => Number((await t.dbh.db.selectFrom('brain_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset_id', '=', datasetId).executeTakeFirstOrThrow()).n);
  const lastRefusal = () => t.dbh.db.selectFrom('brain_exchange_log').selectAll().where('kind', '=', 'inbound').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const event = (caseNo: string, status = '受理') => ({ caseNo, category: '占道经营', occurredAt: '2026-11-20 09:30', street: '黄海街道', status });

  beforeAll(async () => {
    t = await createTestApp();
    const system = (await as('data.admin', 'GET', '/api/brain/systems?q=数字城管')).json().items[0];
    const ds = await as('data.admin', 'POST', '/api/brain/datasets', {
      name: '城管案件推送（测试）', systemId: system.id, shareType: 'open', updateCycle: 'realtime',
      fields: [
        { name: 'caseNo', label: '编号', type: 'text', key: true }, { name: 'category', label: '类别', type: 'text' }, { name: 'occurredAt', label: '发生时间', type: 'timestamp' },
        { name: 'street', label: '街道', type: 'text' }, { name: 'status', label: '状态', type: 'text' },
      ],
    });
    expect(ds.statusCode, ds.body).toBe(201);
    datasetId = ds.json().id;
  });
  afterAll(async () => { await t?.close(); });

  it('creates a webhook connector whose secret is shown once and never returned again', async () => {
    const created = await as('data.admin', 'POST', '/api/brain/connectors', { kind: 'webhook', datasetId, config: {} });
    expect(created.statusCode, created.body).toBe(201);
    ({ id: connectorId, key, secret } = created.json());
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.json().inboundPath).toBe(`/api/brain/inbound/${key}`);
    const one = await as('data.admin', 'GET', `/api/brain/connectors/${connectorId}`);
    expect(one.json()).toMatchObject({ hasSecret: true, kind: 'webhook' });
    expect(one.json().secret).toBeUndefined();
    const list = await as('data.admin', 'GET', `/api/brain/connectors?datasetId=${datasetId}`);
    for (const body of [one.body, list.body]) expect(body).not.toContain(secret);
    const stored = await t.dbh.db.selectFrom('brain_connectors').select(['secret', 'config']).where('id', '=', connectorId).executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(secret);
    expect(JSON.stringify(stored.config)).not.toContain(secret);
  });

  it('stores a signed batch as one run; rejects bad rows with reasons; a repeated batch adds none, a changed row updates', async () => {
    const body = JSON.stringify([event('CG-001'), event('CG-002'), { ...event('CG-003'), occurredAt: '昨天' }, event('CG-004')]);
    const res = await push(body, signed(body));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsIn: 4, inserted: 3, updated: 0, unchanged: 0, rejected: 1 });
    expect(await rowCount()).toBe(3);
    const run = (await as('data.admin', 'GET', `/api/brain/runs/${res.json().runId}`)).json();
    expect(run).toMatchObject({ kind: 'webhook', status: 'succeeded', connectorId, rowsIn: 4, inserted: 3, rejected: 1 });
    const rejects = await t.dbh.db.selectFrom('brain_run_rejects').selectAll().where('run_id', '=', run.id).execute();
    expect(rejects).toMatchObject([{ row_no: 3, reason: expect.stringContaining('不是有效的时间') }]);
    const logged = await t.dbh.db.selectFrom('brain_exchange_log').selectAll().where('run_id', '=', run.id).executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ kind: 'run', outcome: 'ok', connector_id: connectorId, row_count: 3 });

    const again = await push(body, signed(body));
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 1 });
    const changed = JSON.stringify([event('CG-001', '办结'), event('CG-002')]);
    expect((await push(changed, signed(changed))).json()).toMatchObject({ rowsIn: 2, inserted: 0, updated: 1, unchanged: 1 });
    expect(await rowCount()).toBe(3);
  });

  it('takes 10,000 rows (over the app-wide 1 MB body limit) in one request, and refuses more', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ ...event(`BULK-${String(i).padStart(5, '0')}`), category: `占道经营与乱堆乱放巡查发现问题第 ${i} 件` }));
    const body = JSON.stringify(rows);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const res = await push(body, signed(body));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsIn: 10_000, inserted: 10_000, rejected: 0 });
    expect(await rowCount()).toBe(10_003);
    const tooMany = JSON.stringify([...rows, event('BULK-X')]);
    expect((await push(tooMany, signed(tooMany))).statusCode).toBe(413);
    expect(await rowCount()).toBe(10_003);
  });

  it('refuses a wrong signature, a stale or future timestamp, a replayed nonce and an unknown key with 401, each logged', async () => {
    const body = JSON.stringify([event('CG-900')]);
    const refusals: [string, Awaited<ReturnType<typeof push>>, string, string][] = [];
    refusals.push(['wrong secret', await push(body, signed(body, { secret: 'not-the-secret' })), 'inbound_refused', 'bad_signature']);
    const h = signed(body);
    refusals.push(['body changed after signing', await push(JSON.stringify([event('CG-901')]), h), 'inbound_refused', 'bad_signature']);
    refusals.push(['six minutes old', await push(body, signed(body, { ts: Math.floor(Date.now() / 1000) - 360 })), 'inbound_stale', 'stale_timestamp']);
    refusals.push(['six minutes ahead', await push(body, signed(body, { ts: Math.floor(Date.now() / 1000) + 360 })), 'inbound_stale', 'stale_timestamp']);
    refusals.push(['no signature headers', await push(body, { 'content-type': 'application/json' }), 'inbound_refused', 'missing_headers']);
    const accepted = signed(body);
    expect((await push(body, accepted)).statusCode).toBe(200);
    refusals.push(['the same request again', await push(body, accepted), 'inbound_replayed', 'replayed_nonce']);
    refusals.push(['a fresh timestamp, the used nonce', await push(body, signed(body, { nonce: accepted['x-nonce'] })), 'inbound_replayed', 'replayed_nonce']);
    for (const [what, res, code] of refusals) {
      expect(res.statusCode, what).toBe(401);
      expect(res.json().error.code, what).toBe(code);
    }
    const log = await t.dbh.db.selectFrom('brain_exchange_log').selectAll().where('kind', '=', 'inbound').where('connector_id', '=', connectorId).orderBy('id').execute();
    expect(log.map((e) => [e.outcome, e.dataset_id, (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail).reason]))
      .toEqual(refusals.map(([, , , reason]) => ['refused', datasetId, reason]));
    expect(await rowCount()).toBe(10_004);

    // An unknown key gets the answer a wrong signature gets, so keys cannot be probed; it is logged with the key tried.
    const unknown = await push(body, signed(body), 'webhook-nosuchkey');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toEqual(refusals[0][1].json().error);
    expect(await lastRefusal()).toMatchObject({ outcome: 'refused', connector_id: null, detail: { reason: 'unknown_key', key: 'webhook-nosuchkey' } });

    // A disabled connector takes nothing.
    expect((await as('data.admin', 'PATCH', `/api/brain/connectors/${connectorId}`, { enabled: false })).statusCode).toBe(200);
    const off = await push(body, signed(body));
    expect(off.statusCode).toBe(401);
    expect(await lastRefusal()).toMatchObject({ connector_id: connectorId, detail: { reason: 'connector_disabled' } });
    expect((await as('data.admin', 'PATCH', `/api/brain/connectors/${connectorId}`, { enabled: true })).statusCode).toBe(200);

    const verify = (await as('data.admin', 'GET', '/api/brain/exchange-log/verify')).json();
    expect(verify.ok).toBe(true);
  });

  it('answers 400 to a correctly signed body that is not an array of rows', async () => {
    for (const body of ['{"caseNo":"CG-1"}', '[1,2]', 'not json', '[{"caseNo":"CG-\\u0000"}]']) {
      const res = await push(body, signed(body));
      expect(res.statusCode, body).toBe(400);
    }
    // Refused before the signature is checked, a 400 would tell a stranger the key exists: unsigned bad bodies get 401.
    expect((await push('not json', { 'content-type': 'application/json' })).statusCode).toBe(401);
  });

  it('the sweep forgets nonces older than ten minutes, and only those', async () => {
    await t.dbh.db.insertInto('brain_webhook_nonces').values([
      { connector_id: connectorId, nonce: 'old-nonce-1', seen_at: sql<Date>`now() - interval '11 minutes'` },
      { connector_id: connectorId, nonce: 'recent-nonce-1', seen_at: sql<Date>`now() - interval '9 minutes'` },
    ]).execute();
    expect(await sweepWebhookNonces(t.dbh.db)).toBe(1);
    const left = await t.dbh.db.selectFrom('brain_webhook_nonces').select('nonce').where('connector_id', '=', connectorId).execute();
    expect(left.map((n) => n.nonce)).toContain('recent-nonce-1');
    expect(left.map((n) => n.nonce)).not.toContain('old-nonce-1');
  });
});

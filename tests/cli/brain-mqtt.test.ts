import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/src/core/db.js';
import { freePort, startServer, type Server } from '../helpers/cli.js';
import { pgAdmin, pgRequired, pgUrl, uniqueDbName } from '../helpers/pg.js';

/**
 * The MQTT subscribe connector against real brokers and a real `redcom serve`: 10,000 probe
 * sightings published at QoS 1 are stored exactly once each although the app is killed (SIGKILL)
 * during the burst and the broker redelivers after the restart; and a connector on the machine's
 * own broker (127.0.0.1:1883) stores messages and rejects malformed ones.
 *
 * The burst runs on a broker of its own: the machine's caps a session's offline queue at 1,000
 * messages and its in-flight window at 20. It runs on PGlite (which must recover from the kill)
 * and on PostgreSQL.
 */
const pgUp = await pgRequired();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-mqtt-'));
const brokerPort = freePort();
let broker: ChildProcess;

const portOpen = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 120_000, every = 200): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

beforeAll(async () => {
  const conf = path.join(tmp, 'mosquitto.conf');
  fs.writeFileSync(conf, [`listener ${brokerPort} 127.0.0.1`, 'allow_anonymous true', 'max_queued_messages 0', 'max_inflight_messages 0', 'persistence false', ''].join('\n'));
  broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  await until('the test broker', () => portOpen(brokerPort), 10_000, 50);
});
afterAll(() => {
  broker?.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
});

const PROBE_FIELDS = [
  { name: 'probeId', label: '探针编号', type: 'text', personal: 'none', key: true }, { name: 'macHash', label: '设备 MAC 哈希', type: 'text', personal: 'sensitive', key: true },
  { name: 'seenAt', label: '发现时间', type: 'timestamp', personal: 'sensitive', key: true }, { name: 'rssi', label: '信号强度', type: 'int', personal: 'none' },
];
const base = Date.now() - 3600_000;
const sighting = (i: number) => ({
  probeId: `P${String(i % 25).padStart(3, '0')}`, macHash: createHash('sha256').update(`mac-${i}`).digest('hex').slice(0, 32),
  seenAt: new Date(base + i * 1000).toISOString(), rssi: -40 - (i % 50),
});

interface TestDb { env: Record<string, string>; open: () => ReturnType<typeof openDb> }

/** Creates two probe datasets; checks a connector on the machine's broker (PGlite run only); then the burst with a SIGKILL in it. */
async function scenario(db: TestDb, withMachineBroker: boolean) {
  const env = db.env;
  const port = freePort();
  let app: Server = await startServer(env, port);
  let token = '';
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${app.url}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async () => { token = (await (await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'data.admin', password: 'Demo@1234' }) })).json()).token; };
  const currentRun = async (connectorId: number) => (await api('GET', `/api/brain/runs?connectorId=${connectorId}&pageSize=1`)).items[0];
  const localKeys: string[] = [];
  let localConnector = 0;
  let publisher: MqttClient | undefined;
  try {
    await login();
    const system = (await api('GET', `/api/brain/systems?q=${encodeURIComponent('感知设备')}`)).items[0];
    const dataset = async (name: string) => (await api('POST', '/api/brain/datasets', {
      name, systemId: system.id, shareType: 'conditional', updateCycle: 'realtime', fields: PROBE_FIELDS, legalBasis: 'public_health',
      purpose: '突发公共卫生事件应对中的行程核查', retentionDays: 14, timeField: 'seenAt',
    })).id as number;
    const burstDs = await dataset('无线探针发现记录（MQTT 压测）');
    const localDs = await dataset('无线探针发现记录（本机代理）');

    if (withMachineBroker) {
      // The machine's broker: 100 sightings and two malformed messages, which are rejected (and acknowledged: the rest still flows).
      const topicRoot = `redcom-test-${process.pid}-${Date.now().toString(36)}`;
      const local = await api('POST', '/api/brain/connectors', { kind: 'mqtt', datasetId: localDs, config: { url: 'mqtt://127.0.0.1:1883', topic: `${topicRoot}/+/sightings` } });
      localKeys.push(local.key);
      localConnector = local.id;
      expect(local.config).toEqual({ url: 'mqtt://127.0.0.1:1883', topic: `${topicRoot}/+/sightings` });
      await until('the local subscription', async () => (await currentRun(local.id))?.stage === 'connected');
      const machine = await connectAsync('mqtt://127.0.0.1:1883', { clientId: `${topicRoot}-pub` });
      await machine.publishAsync(`${topicRoot}/P1/sightings`, 'not json', { qos: 1 });
      await machine.publishAsync(`${topicRoot}/P1/sightings`, JSON.stringify({ probeId: 'P1', rssi: -50 }), { qos: 1 });
      await Promise.all(Array.from({ length: 100 }, (_, i) => machine.publishAsync(`${topicRoot}/P1/sightings`, JSON.stringify(sighting(100_000 + i)), { qos: 1 })));
      await machine.endAsync();
      const localRun = await until('the local messages', async () => { const r = await currentRun(local.id); return r.rowsIn >= 102 && r; });
      expect(localRun).toMatchObject({ kind: 'mqtt', status: 'running', rowsIn: 102, inserted: 100, rejected: 2 });
      await api('PATCH', `/api/brain/connectors/${local.id}`, { enabled: false });
      await until('the local subscription to close', async () => (await currentRun(local.id)).status === 'succeeded');
    }

    // The burst, on the test broker.
    const conn = await api('POST', '/api/brain/connectors', { kind: 'mqtt', datasetId: burstDs, config: { url: `mqtt://127.0.0.1:${brokerPort}`, topic: 'probes/+/sightings' } });
    await until('the subscription', async () => (await currentRun(conn.id))?.stage === 'connected');
    publisher = await connectAsync(`mqtt://127.0.0.1:${brokerPort}`, { clientId: 'redcom-test-publisher' });
    let published = 0;
    const burst = (async () => {
      for (let i = 0; i < 10_000; i += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, j) => publisher!.publishAsync(`probes/${sighting(i + j).probeId}/sightings`, JSON.stringify(sighting(i + j)), { qos: 1 })));
        published = i + 500;
        await sleep(100);
      }
    })();
    const atKill = await until('the first thousand rows', async () => { const r = await currentRun(conn.id); return r.inserted >= 1000 && r; }, 60_000, 20);
    app.proc.kill('SIGKILL');
    await new Promise((r) => app.proc.once('exit', r));
    const publishedAtKill = published;
    await burst;
    expect(publishedAtKill, 'killed during the burst').toBeLessThan(10_000);
    expect(atKill.inserted).toBeLessThan(10_000);

    app = await startServer(env, port);
    await login();
    const ds = await until('all 10,000 rows', async () => { const d = await api('GET', `/api/brain/datasets/${burstDs}`); return d.rowCount >= 10_000 && d; }, 180_000, 500);
    expect(ds.rowCount).toBe(10_000);
    await sleep(1_000); // nothing more trickles in
    expect((await api('GET', `/api/brain/datasets/${burstDs}`)).rowCount).toBe(10_000);
    expect(await app.stop('SIGINT')).toBe(0);

    const dbh = await db.open();
    try {
      const count = async (id: number) => Number((await dbh.db.selectFrom('brain_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset_id', '=', id).executeTakeFirstOrThrow()).n);
      expect(await count(burstDs)).toBe(10_000);
      expect(await count(localDs)).toBe(withMachineBroker ? 100 : 0);
      const stored = await dbh.db.selectFrom('brain_rows').select(['key', 'data']).where('dataset_id', '=', burstDs).execute();
      const expected = new Set(Array.from({ length: 10_000 }, (_, i) => { const s = sighting(i); return `${s.probeId}|${s.macHash}|${s.seenAt}`; }));
      expect(stored.filter((r) => expected.has(r.key))).toHaveLength(10_000);
      // The killed session's run was closed with what it had committed; with the later one it accounts for every row once.
      const runs = await dbh.db.selectFrom('brain_runs').selectAll().where('connector_id', '=', conn.id).orderBy('id').execute();
      expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
      expect(runs[0].error).toContain('redelivers');
      expect(runs[0].inserted).toBeGreaterThanOrEqual(atKill.inserted);
      expect(runs.reduce((n, r) => n + r.inserted, 0)).toBe(10_000);
      expect(runs.reduce((n, r) => n + r.rows_in, 0)).toBeGreaterThanOrEqual(10_000);
      const logged = await dbh.db.selectFrom('brain_exchange_log').select(['run_id', 'outcome']).where('connector_id', '=', conn.id).where('kind', '=', 'run').orderBy('id').execute();
      expect(logged).toEqual(runs.map((r) => ({ run_id: r.id, outcome: r.status === 'failed' ? 'failed' : 'ok' })));
      if (localConnector) {
        const localRuns = await dbh.db.selectFrom('brain_runs').select('id').where('connector_id', '=', localConnector).execute();
        const rejects = await dbh.db.selectFrom('brain_run_rejects').select(['reason']).where('run_id', 'in', localRuns.map((r) => r.id)).orderBy('row_no').execute();
        expect(rejects.map((r) => r.reason)).toEqual(['消息不是合法的 JSON', expect.stringContaining('为空')]);
      }
    } finally {
      await dbh.close();
    }
  } finally {
    await publisher?.endAsync();
    if (app.proc.exitCode === null) await app.stop('SIGKILL');
    // The machine broker keeps a persistent session per client id: end the test's.
    for (const key of localKeys) (await connectAsync('mqtt://127.0.0.1:1883', { clientId: `redcom-${key}`, clean: true })).end();
  }
}

describe('redcom serve: MQTT subscribe connector', () => {
  it('PGlite: stores 10,000 QoS 1 sightings exactly once though the app is killed during the burst; a connector on the machine broker works too', async () => {
    const dataDir = path.join(tmp, 'pglite');
    await scenario({ env: { DATA_DIR: dataDir }, open: () => openDb({ dataDir }) }, true);
  }, 420_000);

  it.runIf(pgUp)('PostgreSQL: stores 10,000 QoS 1 sightings exactly once though the app is killed during the burst', async () => {
    const name = uniqueDbName('redcom_mqtt');
    await pgAdmin((c) => c.query(`create database ${name}`));
    try {
      await scenario({ env: { DATA_DIR: path.join(tmp, 'pg'), DATABASE_URL: pgUrl(name) }, open: () => openDb({ databaseUrl: pgUrl(name) }) }, false);
    } finally {
      await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  }, 420_000);
});

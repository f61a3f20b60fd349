import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectAsync } from 'mqtt';
import type { ModuleDeps } from '../server/src/core/module.js';
import { mqttWorker } from '../server/src/modules/brain/mqtt.js';

/**
 * The MQTT part of bench/brain.ts: a probe-sightings dataset and an mqtt connector on a Mosquitto of
 * its own (the packaged config caps a subscriber's queue at 1,000 messages and drops the rest of a
 * burst; this one is unlimited, as a broker feeding the hub should be), the connector's worker started
 * in this process, M sightings published with QoS 1 from a separate client; timed from the first
 * publish until the M-th row is committed.
 */
async function startBroker() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-bench-mqtt-'));
  const port = 30000 + Math.floor(Math.random() * 20000);
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'max_queued_messages 0', 'max_inflight_messages 0', 'persistence false', ''].join('\n'));
  const proc = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  const open = () => new Promise<boolean>((resolve) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); }).on('error', () => resolve(false)); });
  for (let i = 0; i < 100 && !(await open()); i++) await new Promise((r) => setTimeout(r, 50));
  return { url: `mqtt://127.0.0.1:${port}`, stop() { proc.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export async function benchMqtt(deps: ModuleDeps, systemId: number, m: number) {
  const { db } = deps;
  const fields = [
    { name: 'probeId', type: 'text', personal: 'none', key: true }, { name: 'macHash', type: 'text', personal: 'sensitive', key: true },
    { name: 'seenAt', type: 'timestamp', personal: 'sensitive', key: true }, { name: 'rssi', type: 'int', personal: 'none' },
  ];
  const ds = await db.insertInto('brain_datasets').values({
    system_id: systemId, name: '基准探针发现记录', fields: JSON.stringify(fields), key_fields: ['probeId', 'macHash', 'seenAt'], share_type: 'conditional',
    legal_basis: 'public_health', purpose: '基准测试', retention_days: 14, time_field: 'seenAt',
  }).returning('id').executeTakeFirstOrThrow();
  const broker = await startBroker();
  const prefix = `bench/${Date.now().toString(36)}`;
  await db.insertInto('brain_connectors').values({
    key: `mqtt-bench-${Date.now().toString(36)}`, name: '基准 MQTT', kind: 'mqtt', dataset_id: ds.id, config: JSON.stringify({ url: broker.url, topic: `${prefix}/+/sightings` }), secret: null,
  }).execute();
  const quiet = { info() {}, error(o: object, msg?: string) { console.error(msg, o); } };
  const stop = await mqttWorker.start(deps, quiet);
  const count = async () => Number((await db.selectFrom('brain_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset_id', '=', ds.id).executeTakeFirstOrThrow()).n);
  try {
    // Subscribed once the worker holds the connector (its run is running).
    for (let i = 0; i < 200; i++) {
      const held = await db.selectFrom('brain_runs').select('id').where('dataset_id', '=', ds.id).where('status', '=', 'running').executeTakeFirst();
      if (held) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    const pub = await connectAsync(broker.url, { clientId: `bench-pub-${process.pid}` });
    const t0 = performance.now();
    const base = Date.parse('2026-11-20T08:00:00Z');
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < m; i++) {
      const msg = { probeId: `TZ-${String(i % 24).padStart(3, '0')}`, macHash: `mac${i}`, seenAt: new Date(base + i * 1000).toISOString(), rssi: -40 - (i % 50) };
      sends.push(pub.publishAsync(`${prefix}/${msg.probeId}/sightings`, JSON.stringify(msg), { qos: 1 }));
    }
    await Promise.all(sends);
    let stored = 0;
    for (let i = 0; i < 1200 && stored < m; i++) { stored = await count(); if (stored < m) await new Promise((r) => setTimeout(r, 50)); }
    const ms = performance.now() - t0;
    await pub.endAsync();
    return { stored, ms };
  } finally {
    await stop();
    broker.stop();
  }
}

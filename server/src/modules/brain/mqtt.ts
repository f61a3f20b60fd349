import { sql } from 'kysely';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { fromJson, type Db, type Executor } from '../../core/db.js';
import { findBadField } from '../../core/input-guard.js';
import type { ModuleDeps, Worker, WorkerLog } from '../../core/module.js';
import { connectorSecrets } from './connectors.js';
import { contentHasher } from './exchange-log.js';
import { normaliseRow, upsertRows, type DatasetShape, type NormalRow } from './ingest.js';
import { MAX_ATTEMPTS, recordRunEnd, type RunRow } from './runs.js';
import type { DatasetField } from './tables.js';

/**
 * MQTT subscribe connectors (wireless-probe sightings and the like). One instance holds each
 * connector's subscription: a persistent session (clean: false, a client id derived from the
 * connector key) at QoS 1, so that the broker keeps what arrives while the app is down and
 * redelivers what was not acknowledged. A message is acknowledged only once its row is committed;
 * rows are upserted by key, so a redelivered message is stored once.
 *
 * The work is counted in brain_runs: one 'mqtt' run per held subscription and hour of traffic, 'running'
 * while held, its counters and heartbeat written in the transaction of each batch. That run is
 * also the lease: an instance takes a connector only when no run of it is running. The queue
 * never re-executes these runs: they are created with its attempts spent, because a session
 * cannot be replayed (the broker redelivers instead); so this worker closes the run of a process
 * that died, keeping the counts it had committed.
 */
const POLL_MS = 5_000;
const HEARTBEAT_MS = 5_000;
/** A running run without a heartbeat for this long belongs to a process that died. */
const LEASE_SECONDS = 20;
const RUN_MS = 3600_000;
const MAX_BATCH = 2_000;
/** Received but not yet committed; beyond it the client stops reading from the broker until a batch commits. */
const MAX_PENDING = 10_000;
const ORPHANED = 'the process holding the subscription stopped; the broker redelivers what it had not acknowledged';

export const mqttWorker: Worker = {
  name: 'mqtt subscriptions',
  async start(deps, log) {
    const subs = new Map<number, Subscription>();
    let polls = Promise.resolve();
    let stopping = false;
    const poll = () => { polls = polls.then(() => reconcile(deps, log, subs)).catch((err) => log.error({ err }, 'mqtt connectors poll failed')); };
    poll();
    const timer = setInterval(() => { if (!stopping) poll(); }, POLL_MS);
    return async () => {
      stopping = true;
      clearInterval(timer);
      await polls;
      await Promise.all([...subs.values()].map((s) => s.stop()));
    };
  },
};

/** Starts subscriptions for enabled mqtt connectors, stops those disabled, removed or edited, and closes runs of dead processes. */
async function reconcile(deps: ModuleDeps, log: WorkerLog, subs: Map<number, Subscription>) {
  for (const [id, s] of subs) if (s.ended) subs.delete(id);
  await closeOrphanedRuns(deps, [...subs.values()].map((s) => s.runId));
  const rows = await deps.db.selectFrom('brain_connectors as c').innerJoin('brain_datasets as ds', 'ds.id', 'c.dataset_id')
    .select(['c.id', 'c.key', 'c.config', 'c.secret', 'c.dataset_id', 'ds.fields', 'ds.key_fields', 'ds.time_field'])
    .where('c.kind', '=', 'mqtt').where('c.enabled', '=', true).execute();
  const wanted = new Map(rows.map((c) => [c.id, { c, fingerprint: JSON.stringify([c.config, c.secret, c.fields, c.key_fields, c.time_field]) }]));
  for (const [id, s] of subs) {
    if (wanted.get(id)?.fingerprint === s.fingerprint) continue;
    subs.delete(id);
    await s.stop();
  }
  for (const [id, { c, fingerprint }] of wanted) {
    if (subs.has(id)) continue;
    const run = await takeLease(deps.db, c.id, c.dataset_id);
    if (!run) continue; // another instance holds it
    const ds: DatasetShape = { id: c.dataset_id, fields: fromJson<DatasetField[]>(c.fields), key_fields: c.key_fields, time_field: c.time_field };
    const cfg = fromJson<{ url: string; topic: string; username?: string }>(c.config);
    const sub = new Subscription(deps, log, { id: c.id, key: c.key, ...cfg, password: connectorSecrets(deps, c.secret).password }, ds, fingerprint, run);
    subs.set(id, sub);
    sub.start();
  }
}

/** A new running run for the connector, unless one is already running (held by another instance). */
async function takeLease(db: Db, connectorId: number, datasetId: number): Promise<RunRow | undefined> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(727011, ${connectorId})`.execute(tx);
    const held = await tx.selectFrom('brain_runs').select('id').where('connector_id', '=', connectorId).where('kind', '=', 'mqtt').where('status', '=', 'running').executeTakeFirst();
    return held ? undefined : openRun(tx, connectorId, datasetId);
  });
}

function openRun(tx: Executor, connectorId: number, datasetId: number) {
  return tx.insertInto('brain_runs').values({
    dataset_id: datasetId, connector_id: connectorId, kind: 'mqtt', status: 'running', attempt: MAX_ATTEMPTS, stage: 'connecting', started_at: new Date(), heartbeat_at: new Date(),
  }).returningAll().executeTakeFirstOrThrow();
}

/** Ends a session's run: its status, then what every run's end records (runs.ts). */
async function closeRun(tx: Executor, deps: ModuleDeps, runId: number, sha: string | null, error: string | null, at: Date | null = null) {
  const run = await tx.updateTable('brain_runs').set({
    status: error ? 'failed' : 'succeeded', stage: error ? 'failed' : 'done', ...(error ? {} : { progress: 1 }), error, content_sha256: sha, finished_at: at ?? new Date(),
  }).where('id', '=', runId).where('status', '=', 'running').returningAll().executeTakeFirst();
  if (run) await recordRunEnd(tx, deps.secrets, run, sha, error);
}

async function closeOrphanedRuns(deps: ModuleDeps, own: number[]) {
  let q = deps.db.selectFrom('brain_runs').select(['id', 'heartbeat_at']).where('kind', '=', 'mqtt').where('status', '=', 'running')
    .where('heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${LEASE_SECONDS})`);
  if (own.length) q = q.where('id', 'not in', own);
  for (const r of await q.execute()) {
    // The content hash of a dead session's rows died with it.
    await deps.db.transaction().execute((tx) => closeRun(tx, deps, r.id, null, ORPHANED, r.heartbeat_at));
  }
}

interface Source { id: number; key: string; url: string; topic: string; username?: string; password?: string }
interface Received { packet: IPublishPacket; connection: number }
type Parsed = { rowNo: number; ok: true; row: NormalRow } | { rowNo: number; ok: false; reason: string; data: Record<string, unknown> };

/** Returned to MQTT.js from handleMessage so that it writes no PUBACK; ours follows the commit. */
const DEFERRED = new Error('acknowledged after commit');

/**
 * MQTT.js hands over the next message only once handleMessage calls back, and writes the PUBACK
 * right then: one message at a time, so no batch could form. We call back at once with an error,
 * on which it writes no PUBACK and reads on, and write the PUBACK here once the row is committed.
 */
function sendPuback(client: MqttClient, messageId: number) {
  (client as unknown as { _sendPacket(p: { cmd: 'puback'; messageId: number }): void })._sendPacket({ cmd: 'puback', messageId });
}

class Subscription {
  ended = false;
  private client: MqttClient | undefined;
  private pending: Received[] = [];
  private waiting: (() => void)[] = [];
  /** The subscription's database work, one piece at a time: batches, heartbeats, the hourly cut, closing. */
  private writes: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private closing = false;
  /** Counts connections: an acknowledgement is written only on the connection its message came by. */
  private connection = 0;
  private seq = 0;
  private hasher = contentHasher();
  private runStarted = Date.now();
  private lastWrite = Date.now();
  private shown: { stage: string; error: string | null } = { stage: 'connecting', error: null };
  private timer: NodeJS.Timeout | undefined;

  constructor(private deps: ModuleDeps, private log: WorkerLog, private src: Source, private ds: DatasetShape, readonly fingerprint: string, private run: RunRow) {}

  get runId() { return this.run.id; }

  start() {
    const opts: IClientOptions = {
      clientId: `redcom-${this.src.key}`, clean: false, protocolVersion: 4, reconnectPeriod: 3_000, connectTimeout: 10_000,
      ...(this.src.username ? { username: this.src.username } : {}), ...(this.src.password ? { password: this.src.password } : {}),
    };
    const client = connect(this.src.url, opts);
    this.client = client;
    client.handleMessage = (packet, done) => this.take(packet, done);
    client.on('connect', () => {
      this.connection++;
      client.subscribe(this.src.topic, { qos: 1 }, (err, granted) => {
        const refused = err ?? (granted?.some((g) => g.qos === 128) ? new Error(`subscription to ${this.src.topic} refused`) : null);
        if (refused) this.log.error({ err: refused, connector: this.src.id }, 'mqtt subscribe failed');
        this.setState(refused ? 'offline' : 'connected', refused?.message ?? null);
      });
    });
    client.on('error', (err) => {
      // Once per distinct error, not once per reconnect attempt.
      if (err.message !== this.shown.error) this.log.error({ err, connector: this.src.id }, 'mqtt connection error');
      this.setState('offline', err.message);
    });
    client.on('close', () => this.setState('offline'));
    this.timer = setInterval(() => this.serial(() => this.tick()), HEARTBEAT_MS);
  }

  /** Graceful end: commit and acknowledge what was received, close the run, disconnect. */
  async stop() {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.timer);
    await this.serial(() => this.flush());
    await this.serial(() => this.deps.db.transaction().execute((tx) => closeRun(tx, this.deps, this.run.id, this.hasher.digest(), null)));
    this.ended = true;
    await this.disconnect();
  }

  private take(packet: IPublishPacket, done: (err?: Error) => void) {
    // Not taken while closing: unacknowledged, it goes to the next session.
    if (this.closing) return done(DEFERRED);
    this.pending.push({ packet, connection: this.connection });
    if (!this.flushQueued) {
      this.flushQueued = true;
      // After the rest of the bytes already read are parsed, so a burst makes one batch.
      setImmediate(() => { this.flushQueued = false; void this.serial(() => this.flush()); });
    }
    if (this.pending.length < MAX_PENDING) done(DEFERRED);
    else this.waiting.push(() => done(DEFERRED));
  }

  private serial(fn: () => Promise<unknown>) {
    this.writes = this.writes.then(fn).then(() => {}, (err) => this.log.error({ err, connector: this.src.id }, 'mqtt subscription write failed'));
    return this.writes;
  }

  /** Commits what has arrived, in batches; what arrives meanwhile makes the next batch (group commit). */
  private async flush() {
    while (this.pending.length && !this.ended) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const parsed = batch.map((m) => this.parse(m.packet));
      for (let attempt = 1; ; attempt++) {
        try { await this.commit(parsed); break; } catch (err) {
          this.log.error({ err, connector: this.src.id, attempt }, 'mqtt batch not committed; retrying');
          // Closing with the database away: leave the batch to the broker's redelivery.
          if (this.closing && attempt >= 3) return;
          await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
        }
      }
      const client = this.client!;
      for (const m of batch) if (m.packet.qos === 1 && m.connection === this.connection && client.connected) sendPuback(client, m.packet.messageId!);
      while (this.waiting.length && this.pending.length < MAX_PENDING) this.waiting.shift()!();
    }
  }

  /** One message as a dataset row, or why it is rejected (kept with its payload; the message is still acknowledged). */
  private parse(packet: IPublishPacket): Parsed {
    const rowNo = ++this.seq;
    const text = packet.payload.toString('utf8');
    const raw = { topic: packet.topic, payload: text.replaceAll('\u0000', '\uFFFD').slice(0, 4000) };
    let v: unknown;
    try { v = JSON.parse(text); } catch { return { rowNo, ok: false, reason: '消息不是合法的 JSON', data: raw }; }
    if (!v || typeof v !== 'object' || Array.isArray(v)) return { rowNo, ok: false, reason: '消息须为 JSON 对象（字段名 → 值）', data: raw };
    if (findBadField(v)) return { rowNo, ok: false, reason: '消息含有无法存储的字符', data: raw };
    const n = normaliseRow(this.ds, v as Record<string, unknown>);
    return n.ok ? { rowNo, ok: true, row: n.row } : { rowNo, ok: false, reason: n.reason, data: v as Record<string, unknown> };
  }

  private async commit(parsed: Parsed[]) {
    const good = parsed.flatMap((p) => (p.ok ? [p.row] : []));
    const bad = parsed.flatMap((p) => (p.ok ? [] : [{ run_id: this.run.id, row_no: p.rowNo, reason: p.reason, data: JSON.stringify(p.data) }]));
    const held = await this.deps.db.transaction().execute(async (tx) => {
      if (bad.length) await tx.insertInto('brain_run_rejects').values(bad).onConflict((oc) => oc.columns(['run_id', 'row_no']).doNothing()).execute();
      const c = await upsertRows(tx, this.ds.id, good);
      await tx.updateTable('brain_datasets').set((eb) => ({ row_count: eb('row_count', '+', c.inserted), last_sync_at: new Date() })).where('id', '=', this.ds.id).execute();
      return tx.updateTable('brain_runs').set((eb) => ({
        rows_in: eb('rows_in', '+', parsed.length), inserted: eb('inserted', '+', c.inserted), updated: eb('updated', '+', c.updated),
        unchanged: eb('unchanged', '+', c.unchanged), rejected: eb('rejected', '+', bad.length), heartbeat_at: new Date(),
      })).where('id', '=', this.run.id).where('status', '=', 'running').returning('id').executeTakeFirst();
    });
    for (const r of good) this.hasher.add(r.data);
    this.lastWrite = Date.now();
    if (!held) this.lost();
  }

  /**
   * Every few seconds: the heartbeat when idle, or the hourly cut (this run closes, the next opens, in one
   * transaction). An idle subscription keeps its run: no empty run and exchange record every hour.
   */
  private async tick() {
    if (this.closing) return;
    if (this.seq > 0 && Date.now() - this.runStarted >= RUN_MS) {
      const sha = this.hasher.digest();
      this.run = await this.deps.db.transaction().execute(async (tx) => {
        await closeRun(tx, this.deps, this.run.id, sha, null);
        return openRun(tx, this.src.id, this.ds.id);
      });
      this.runStarted = Date.now();
      this.seq = 0;
      this.hasher = contentHasher();
      const { stage, error } = this.shown;
      this.shown = { stage: 'connecting', error: null };
      this.setState(stage === 'connected' ? 'connected' : 'offline', error);
      return;
    }
    if (Date.now() - this.lastWrite < HEARTBEAT_MS - 500) return;
    const held = await this.deps.db.updateTable('brain_runs').set({ heartbeat_at: new Date() }).where('id', '=', this.run.id).where('status', '=', 'running').returning('id').executeTakeFirst();
    this.lastWrite = Date.now();
    if (!held) this.lost();
  }

  /** Shows the connection on the run (the console's "live" line); written only when it changes. undefined error: keep the last one. */
  private setState(stage: 'connected' | 'offline', error?: string | null) {
    const next = { stage, error: error === undefined ? this.shown.error : error };
    if (this.closing || (next.stage === this.shown.stage && next.error === this.shown.error)) return;
    this.shown = next;
    void this.serial(async () => {
      await this.deps.db.updateTable('brain_runs').set({ stage: next.stage, error: next.error, heartbeat_at: new Date() })
        .where('id', '=', this.run.id).where('status', '=', 'running').execute();
    });
  }

  /** Another instance judged this one dead and closed its run: let go without writing more. */
  private lost() {
    if (this.closing) return;
    this.log.error({ connector: this.src.id, run: this.run.id }, 'mqtt subscription lost its run to another instance; stopping');
    this.closing = true;
    this.ended = true;
    clearInterval(this.timer);
    void this.disconnect();
  }

  private async disconnect() {
    const client = this.client;
    if (!client) return;
    const graceful = client.connected;
    await Promise.race([client.endAsync(!graceful), new Promise((r) => setTimeout(r, 3_000))]);
    if (!client.disconnected) client.end(true);
  }
}

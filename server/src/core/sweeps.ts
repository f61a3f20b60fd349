import pg from 'pg';
import type { DbHandle } from './db.js';
import type { Metrics } from './metrics.js';

/**
 * Runs the background sweeps on timers so that, with several instances on one PostgreSQL,
 * each sweep runs once per tick across all of them. The instance that holds a sweep's
 * advisory lock (a session lock keyed by hashtext of the sweep's name, held on one
 * connection of its own) runs it; the others count a 'skipped' tick. A lock held between
 * runs, not only during one, is what makes it once per tick: ticks of different instances
 * are not aligned, and a short run would otherwise let the next instance run it again in
 * the same period. When the holder stops or dies its connection closes, the lock is freed,
 * and another instance takes the sweep over on its next tick. PGlite is one process: it just runs.
 */
export interface ScheduledSweep { name: string; everyMs: number; run: () => Promise<unknown> }
export type SweepOutcome = 'ok' | 'error' | 'skipped';
interface SweepLog { error(obj: object, msg?: string): void; warn(obj: object, msg?: string): void }

export function scheduleSweeps(dbh: DbHandle, metrics: Metrics, log: SweepLog, sweeps: ScheduledSweep[]): () => Promise<void> {
  const locks = dbh.kind === 'postgres' && dbh.url ? new SweepLocks(dbh.url, log) : null;
  const timers = sweeps.map((s) => {
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      const end = metrics.sweeps.startTimer({ sweep: s.name });
      const tick = async (): Promise<SweepOutcome> => {
        if (locks && !(await locks.hold(s.name))) return 'skipped';
        await s.run();
        return 'ok';
      };
      tick().then((outcome) => end({ outcome }), (err) => { end({ outcome: 'error' }); log.error({ err }, `${s.name} failed`); })
        .finally(() => { running = false; });
    }, s.everyMs);
  });
  return async () => {
    timers.forEach(clearInterval);
    await locks?.close();
  };
}

/** The advisory locks this instance holds, on one connection (not a pool's: a pooled one would be lent out with the locks on it). */
class SweepLocks {
  private client: pg.Client | null = null;
  private held = new Set<string>();
  private closed = false;
  /** One query at a time on the connection (pg deprecates overlapping queries on one client). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: string, private readonly log: SweepLog) {}

  /** True when this instance holds (or has just taken) the sweep's lock. */
  hold(name: string): Promise<boolean> {
    const next = this.queue.then(async () => {
      if (this.closed) return false;
      const client = await this.connect();
      if (this.held.has(name)) return true;
      const r = await client.query<{ got: boolean }>('select pg_try_advisory_lock(hashtext($1)) as got', [`redcom sweep: ${name}`]);
      if (r.rows[0].got && client === this.client) this.held.add(name);
      return r.rows[0].got && client === this.client;
    });
    this.queue = next.catch(() => {});
    return next;
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.url, application_name: 'redcom sweeps', connectionTimeoutMillis: 10_000 });
    // A lost connection has lost its locks with it: forget them and reconnect on the next tick.
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.held.clear();
      if (!this.closed) this.log.warn({ err }, 'sweep locks: connection lost; the sweeps will be taken again on the next tick');
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    this.client = client;
    return client;
  }

  /** Closing the connection frees every lock at once, so another instance takes the sweeps over. */
  async close() {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.held.clear();
    await client?.end().catch(() => {});
  }
}

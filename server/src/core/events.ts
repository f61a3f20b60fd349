import { sql } from 'kysely';
import pg from 'pg';
import type { DbHandle, Executor } from './db.js';

type Listener = (payload: unknown) => void;

/**
 * Cross-instance events through PostgreSQL LISTEN/NOTIFY (PGlite has it too).
 * Publishing inside a transaction delivers on commit and never for a rollback, and
 * every app instance on the same database hears every event. Payloads stay small
 * (NOTIFY's limit is 8000 bytes): ids and already-masked summaries.
 */
export class EventBus {
  private listeners = new Map<string, Set<Listener>>();
  private listening = new Map<string, Promise<() => Promise<void>>>();
  private client?: pg.Client;

  constructor(private readonly dbh: DbHandle) {}

  async publish(tx: Executor, channel: string, payload: unknown): Promise<void> {
    await sql`select pg_notify(${channel}, ${JSON.stringify(payload)})`.execute(tx);
  }

  /** Subscribers per channel (for /metrics). */
  subscriberCounts(): [string, number][] { return [...this.listeners].map(([channel, set]) => [channel, set.size]); }

  /** Returns an unsubscribe function. The first subscriber of a channel starts listening. */
  async subscribe(channel: string, fn: Listener): Promise<() => void> {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel ${channel}`);
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(fn);
    if (!this.listening.has(channel)) this.listening.set(channel, this.listen(channel));
    await this.listening.get(channel);
    return () => { set!.delete(fn); };
  }

  private deliver(channel: string, raw: string) {
    let payload: unknown;
    try { payload = JSON.parse(raw); } catch { return; }
    for (const fn of this.listeners.get(channel) ?? []) {
      try { fn(payload); } catch { /* one bad subscriber must not stop the rest */ }
    }
  }

  private async listen(channel: string): Promise<() => Promise<void>> {
    if (this.dbh.pglite) {
      // Through the dialect's connection lock, so LISTEN never lands inside someone else's transaction.
      const pglite = this.dbh.pglite;
      return this.dbh.db.connection().execute(() => pglite.listen(channel, (raw) => this.deliver(channel, raw)));
    }
    if (!this.client) {
      this.client = new pg.Client({ connectionString: this.dbh.url });
      this.client.on('notification', (n) => this.deliver(n.channel, n.payload ?? ''));
      this.client.on('error', (err) => console.error(`event bus: LISTEN connection lost: ${err.message}`));
      await this.client.connect();
    }
    await this.client.query(`listen ${channel}`);
    return async () => { await this.client?.query(`unlisten ${channel}`); };
  }

  async close() {
    for (const p of this.listening.values()) {
      try { await (await p)(); } catch { /* closing anyway */ }
    }
    this.listening.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}

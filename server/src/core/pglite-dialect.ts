import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Kysely dialect over one PGlite connection. PGlite is single-connection, so a
 * mutex hands the connection to one Kysely "connection" at a time; a
 * transaction holds it from BEGIN to COMMIT. numAffectedRows comes from PGlite's
 * affectedRows (kysely-pglite reports 0 for updates, which would mis-decide races).
 */
export class PGliteDialect implements Dialect {
  private readonly mutex = new Mutex();
  constructor(private readonly pg: PGlite) {}
  /** The one connection: in use or idle, and how many wait for it. */
  stats() { return { inUse: this.mutex.held ? 1 : 0, idle: this.mutex.held ? 0 : 1, waiting: this.mutex.waiting }; }
  createAdapter() { return new PostgresAdapter(); }
  createDriver(): Driver { return new PGliteDriver(this.pg, this.mutex); }
  createIntrospector(db: Kysely<any>) { return new PostgresIntrospector(db); }
  createQueryCompiler() { return new PostgresQueryCompiler(); }
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  held = false;
  waiting = 0;
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = () => { this.held = false; r(); }));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    this.waiting++;
    return prev.then(() => { this.waiting--; this.held = true; return release; });
  }
}

class PGliteDriver implements Driver {
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();
  constructor(private readonly pg: PGlite, private readonly mutex: Mutex) {}

  async init() { await this.pg.waitReady; }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.lock();
    const conn = new PGliteConnection(this.pg);
    this.releases.set(conn, release);
    return conn;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }
  async commitTransaction(conn: DatabaseConnection) { await conn.executeQuery(CompiledQuery.raw('commit')); }
  async rollbackTransaction(conn: DatabaseConnection) { await conn.executeQuery(CompiledQuery.raw('rollback')); }
  async savepoint(conn: DatabaseConnection, name: string) { await conn.executeQuery(CompiledQuery.raw(`savepoint ${name}`)); }
  async rollbackToSavepoint(conn: DatabaseConnection, name: string) { await conn.executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`)); }
  async releaseSavepoint(conn: DatabaseConnection, name: string) { await conn.executeQuery(CompiledQuery.raw(`release savepoint ${name}`)); }

  async releaseConnection(conn: DatabaseConnection) {
    this.releases.get(conn)?.();
    this.releases.delete(conn);
  }

  async destroy() {
    // Wait for in-flight work, then close so the data dir is left consistent.
    const release = await this.mutex.lock();
    try { if (!this.pg.closed) await this.pg.close(); } finally { release(); }
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Parameterless raw SQL may hold several statements (migrations): use the simple protocol.
    const res = query.parameters.length === 0 && query.query?.kind === 'RawNode'
      ? (await this.pg.exec(query.sql)).at(-1) ?? { rows: [], affectedRows: 0 }
      : await this.pg.query<R>(query.sql, query.parameters as unknown[]);
    if (query.query?.kind === 'SelectQueryNode') return { rows: res.rows as R[] };
    return { rows: res.rows as R[], numAffectedRows: BigInt(res.affectedRows ?? 0) };
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }
}

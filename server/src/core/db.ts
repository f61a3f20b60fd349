import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
/** A handle usable for queries: the global db or a transaction. Pass it down; inside a transaction never reach for the global one. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** A json/jsonb column's value: parsed by the driver, or still text where it was written as a JSON string. */
export const fromJson = <T = unknown>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
export type DbKind = 'pglite' | 'postgres';

export interface DbHandle {
  /** The primary: every write, and every read that must see the caller's own writes. */
  db: Db;
  /** Where the cockpit's aggregates and the public reads go: a streaming replica when DATABASE_REPLICA_URL is set, else the same as db. */
  readDb: Db;
  kind: DbKind;
  /** Underlying PGlite instance (PGlite only), for dumps and raw exec. */
  pglite?: PGlite;
  /** Connection string (PostgreSQL only), for the LISTEN connection of the event bus. */
  url?: string;
  /** Connections in use, idle and awaited (for /metrics). */
  poolStats(): { inUse: number; idle: number; waiting: number };
  close(): Promise<void>;
}

// Same JS types from both backends: counts as numbers, numeric as numbers, dates as 'YYYY-MM-DD'.
const asNumber = (v: string) => (v === null ? null : Number(v));
const asText = (v: string) => v;

pg.types.setTypeParser(20, asNumber); // int8
pg.types.setTypeParser(1700, asNumber); // numeric
pg.types.setTypeParser(1082, asText); // date

export interface OpenDbOptions {
  databaseUrl?: string;
  /** A read-only streaming replica of databaseUrl (PostgreSQL only). */
  replicaUrl?: string;
  /** PGlite data directory; omitted = in memory. */
  dataDir?: string;
  /** Load a PGlite data dir tarball instead of running initdb (tests). */
  loadDataDir?: Blob;
  /** An idle pooled connection failed (server restart, admin kill); the pool replaces it. Default: log to stderr. */
  onPoolError?: (err: Error) => void;
}

/** A second pool on the replica; every transaction there is read-only, so a stray write fails instead of going to a standby. */
function replicaDb(url: string, onPoolError?: (err: Error) => void): Db {
  const pool = new pg.Pool({
    connectionString: url, max: Number(process.env.PG_POOL_MAX ?? 10), application_name: 'redcom replica reads', options: '-c default_transaction_read_only=on',
  });
  pool.on('error', onPoolError ?? ((err) => console.error(`postgres replica: idle connection lost: ${err.message}`)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: Number(process.env.PG_POOL_MAX ?? 10) });
    // Without a listener an idle client's error would crash the process.
    pool.on('error', opts.onPoolError ?? ((err) => console.error(`postgres: idle connection lost: ${err.message}`)));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const poolStats = () => ({ inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount });
    const readDb = opts.replicaUrl ? replicaDb(opts.replicaUrl, opts.onPoolError) : db;
    const close = async () => { await db.destroy(); if (readDb !== db) await readDb.destroy(); };
    return { db, readDb, kind: 'postgres', url: opts.databaseUrl, poolStats, close };
  }
  if (opts.replicaUrl) throw new Error('DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database has no replicas');
  let dir: string | undefined;
  if (opts.dataDir) {
    dir = path.join(opts.dataDir, 'pgdata');
    fs.mkdirSync(dir, { recursive: true });
  }
  const pglite = await PGlite.create(dir, {
    loadDataDir: opts.loadDataDir,
    // Extensions the migrations create (btree_gist: the exclusion constraint of room bookings;
    // fuzzystrmatch: edit distances in record linkage).
    extensions: { btree_gist, fuzzystrmatch },
    parsers: {
      [pgliteTypes.NUMERIC]: asNumber,
      [pgliteTypes.DATE]: asText,
    },
  });
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<Database>({ dialect });
  return { db, readDb: db, kind: 'pglite', pglite, poolStats: () => dialect.stats(), close: () => db.destroy() };
}

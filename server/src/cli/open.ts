import type { Config } from '../config.js';
import { openDb, type DbHandle } from '../core/db.js';
import { migrate } from '../core/migrate.js';

/** Opens the configured database (PostgreSQL if DATABASE_URL, else PGlite in DATA_DIR) and migrates it. */
export async function openConfiguredDb(config: Config, { migrateFirst = true } = {}): Promise<DbHandle> {
  const dbh = await openDb({ databaseUrl: config.databaseUrl, replicaUrl: config.databaseReplicaUrl, dataDir: config.dataDir });
  if (migrateFirst) await migrate(dbh.db);
  return dbh;
}

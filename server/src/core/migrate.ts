import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from './db.js';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../migrations');

/** The migration files this build carries, in order. */
export const migrationFiles = (dir = MIGRATIONS_DIR) => fs.readdirSync(dir).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();

/** Readiness: the database answers and has every migration of this build (a newer database is fine). */
export async function readiness(db: Db, files: string[]) {
  try {
    const applied = new Set((await db.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name));
    const pending = files.filter((f) => !applied.has(f));
    return { ready: pending.length === 0, database: 'reachable' as const, migrations: { applied: applied.size, pending } };
  } catch {
    return { ready: false, database: 'unreachable' as const, migrations: null };
  }
}

/** Applies migrations/NNNN_name.sql in order, each in its own transaction, once. Returns the names applied. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(db);
  const files = migrationFiles(dir);
  const done = new Set((await db.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name));
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    await db.transaction().execute(async (tx) => {
      // Serialise concurrent starters on a PostgreSQL server.
      await sql`select pg_advisory_xact_lock(727001)`.execute(tx);
      const again = await tx.selectFrom('schema_migrations').select('name').where('name', '=', file).executeTakeFirst();
      if (again) return;
      await sql.raw(text).execute(tx);
      await tx.insertInto('schema_migrations').values({ name: file }).execute();
      applied.push(file);
    });
  }
  return applied;
}

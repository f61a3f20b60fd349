import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from './db.js';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../migrations');

/** Applies migrations/NNNN_name.sql in order, each in its own transaction, once. Returns the names applied. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(db);
  const files = fs.readdirSync(dir).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
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

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db.js';
import { AppError } from './errors.js';

/** An import that has held its lock this long belongs to an instance that died; the next import takes it over. */
const STALE_AFTER = sql`interval '15 minutes'`;

/**
 * Runs `work` as the account's only import, across instances: the database
 * decides with one conditional insert on import_locks (unique per account), so
 * a second import while one runs is a 429 before its file is even opened. The
 * row is deleted when the work ends, success or not. Call with the global
 * handle, outside any transaction (on PGlite a nested call would deadlock).
 */
export async function withImportLock<T>(db: Db, accountId: number, kind: string, work: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  const taken = await db.insertInto('import_locks').values({ account_id: accountId, kind, token })
    .onConflict((oc) => oc.column('account_id')
      .doUpdateSet({ kind, token, started_at: sql`now()` })
      .where('import_locks.started_at', '<', sql<Date>`now() - ${STALE_AFTER}`))
    .returning('token').executeTakeFirst();
  if (taken?.token !== token) throw new AppError(429, 'import_in_progress', 'import_in_progress');
  try {
    return await work();
  } finally {
    await db.deleteFrom('import_locks').where('account_id', '=', accountId).where('token', '=', token).execute();
  }
}

/**
 * On PGlite only one process has the database open, so a lock found at start belongs to a process
 * that died mid-import (kill -9, power loss); without this its account could not import for 15 minutes.
 */
export async function clearImportLocksAtStart(db: Db) {
  const { numDeletedRows } = await db.deleteFrom('import_locks').executeTakeFirst();
  return Number(numDeletedRows);
}

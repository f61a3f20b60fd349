import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db, DbHandle } from './db.js';

/**
 * Read-your-writes over a lagging replica (DATABASE_REPLICA_URL). A replica trails the primary
 * by its replay lag, so a caller who has just written could read the state from before the
 * write there. A successful write marks the caller with a short cookie, and while it lasts
 * (REPLICA_STICKY_SECONDS) that caller's replica-eligible reads go to the primary too. Reads
 * that are not replica-eligible (everything but the cockpit's aggregates and the public pages)
 * always go to the primary. Without a replica nothing is set and everything reads the primary.
 */
const WROTE_COOKIE = 'rc_wrote';
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installReadYourWrites(app: FastifyInstance, stickySeconds: number) {
  if (app.dbh.readDb === app.dbh.db) return;
  app.addHook('onSend', async (req, reply) => {
    if (READS.has(req.method) || reply.statusCode >= 400) return;
    // A header, not reply.setCookie: the cookie plugin writes its cookies in an onSend hook that has already run.
    reply.header('set-cookie', `${WROTE_COOKIE}=1; Max-Age=${stickySeconds}; Path=/; HttpOnly; SameSite=Lax`);
  });
}

/** True while this caller's reads stay on the primary after its write (a replica is configured and the write was recent). */
export function readsOwnWrites(req: FastifyRequest): boolean {
  const { db, readDb } = req.server.dbh;
  return readDb !== db && !!req.cookies[WROTE_COOKIE];
}

/** The handle for a replica-eligible read: the replica, unless this caller wrote within the sticky window. */
export function readDbFor(req: FastifyRequest): Db {
  return readsOwnWrites(req) ? req.server.dbh.db : req.server.dbh.readDb;
}

/**
 * Resolves once the replica has replayed what the primary had written when this was called
 * (polled; gives up after `timeoutMs`); at once without a replica. A cache of replica reads is
 * invalidated after it, so that an event (sent at the primary's commit) does not refill the
 * cache from a replica that has not seen the change yet.
 */
export async function replicaCaughtUp(dbh: DbHandle, timeoutMs = 2000): Promise<void> {
  if (dbh.readDb === dbh.db) return;
  try {
    const { lsn } = (await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(dbh.db)).rows[0];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Null when the read handle is not a standby: nothing to wait for.
      const r = await sql<{ ok: boolean | null }>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as ok`.execute(dbh.readDb);
      if (r.rows[0].ok !== false || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch { /* a failed check must not keep a cache stale: invalidate anyway */ }
}

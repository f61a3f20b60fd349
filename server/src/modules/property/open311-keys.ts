import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { notFound } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';

/**
 * The district's Open311 clients (open311:keys): the list the console shows and revocation.
 * Clients are district-wide (no region), and only key hashes are stored, so nothing here can show a key.
 */

const clients = (db: Executor) => db.selectFrom('open311_clients as c').leftJoin('accounts as a', 'a.id', 'c.created_by')
  .select(['c.id', 'c.name', 'c.created_at', 'c.revoked_at', 'a.display_name as created_by']);
type ClientRow = Awaited<ReturnType<ReturnType<typeof clients>['execute']>>[number];
const present = (c: ClientRow) => ({ id: c.id, name: c.name, createdAt: c.created_at, createdBy: c.created_by, revokedAt: c.revoked_at });

/** Live clients first, newest first. */
export async function listOpen311Keys(db: Db, page: PageQuery) {
  const res = await paginate(clients(db).orderBy('c.revoked_at', 'desc').orderBy('c.id', 'desc'), page);
  return { ...res, items: res.items.map(present) };
}

/** Revokes a key; revoking it again changes nothing (the first revocation's time stays). */
export async function revokeOpen311Key(db: Db, actor: Actor, id: number) {
  return db.transaction().execute(async (tx) => {
    const done = await tx.updateTable('open311_clients').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
    const c = await clients(tx).where('c.id', '=', id).executeTakeFirst();
    if (!c) throw notFound();
    if (done) await appendAudit(tx, actor, { action: 'open311.key_revoke', targetType: 'open311_client', targetId: id, summary: { name: c.name } });
    return present(c);
  });
}

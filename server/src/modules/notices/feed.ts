import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { emptyPage, paginate, type PageQuery } from '../../core/paging.js';
import { homePath, inFeed, noticeFor } from './access.js';
import { feedColumns, presentFeed } from './present.js';

/**
 * The resident's side: the live notices whose region holds the caller's home, pinned first and then
 * newest; a read is one row per (notice, account), so marking twice — or twice at once — leaves one.
 */

export async function myNotices(db: Db, auth: AuthContext, filter: { unread?: '0' | '1' }, page: PageQuery) {
  const home = await homePath(db, auth);
  if (!home) return emptyPage(page);
  const readSql = sql<boolean>`exists (select 1 from notice_reads nr where nr.notice_id = n.id and nr.account_id = ${auth.accountId})`;
  let q = feedColumns(db).select(readSql.as('read')).where(inFeed(home));
  if (filter.unread === '1') q = q.where(sql<boolean>`not ${readSql}`);
  const res = await paginate(q.orderBy('n.pinned', 'desc').orderBy('n.published_at', 'desc').orderBy('n.id', 'desc'), page);
  return { ...res, items: res.items.map((n) => presentFeed(n, n.read)) };
}

export async function unreadNotices(db: Db, auth: AuthContext) {
  const home = await homePath(db, auth);
  if (!home) return { unread: 0 };
  const { n } = await db.selectFrom('notices as n').select(sql<number>`count(*)::int`.as('n')).where(inFeed(home))
    .where(sql<boolean>`not exists (select 1 from notice_reads nr where nr.notice_id = n.id and nr.account_id = ${auth.accountId})`).executeTakeFirstOrThrow();
  return { unread: Number(n) };
}

/** Marks a notice of the caller's feed read (idempotent: the first read's time stays). */
export async function markNoticeRead(db: Db, auth: AuthContext, id: number) {
  await noticeFor(db, auth, id, 'read');
  // Only a notice of the caller's own feed counts as read: the publishing side opening it in the console is not a resident reading it.
  const home = await homePath(db, auth);
  const mine = await db.selectFrom('notices as n').select('n.id').where('n.id', '=', id).where(inFeed(home)).executeTakeFirst();
  if (mine) await db.insertInto('notice_reads').values({ notice_id: id, account_id: auth.accountId }).onConflict((oc) => oc.doNothing()).execute();
  const read = await db.selectFrom('notice_reads').select('read_at').where('notice_id', '=', id).where('account_id', '=', auth.accountId).executeTakeFirst();
  return { id, readAt: read?.read_at ?? null, ...(await unreadNotices(db, auth)) };
}

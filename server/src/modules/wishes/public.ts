import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../core/db.js';
import { notFound } from '../../core/errors.js';
import type { FileStore } from '../../core/files.js';
import type { PageQuery } from '../../core/paging.js';
import type { WishCategory } from '../../core/schema.js';
import { communityNames, liveClaimers, photosOf, presentPublicWish, type WishRow } from './present.js';

/** What the public wall may show: never pending or rejected wishes. */
const PUBLIC_STATUSES = ['published', 'claimed', 'fulfilled', 'confirmed'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export interface WallFilter { seasonId?: number; category?: WishCategory; communityId?: number; status?: PublicStatus }

/**
 * The public wish wall. Ordering gives every published wish a fair chance: open
 * wishes first; among them the least-seen (views per day since publication, in
 * coarse log buckets) first; ties shuffled by a seed that changes daily, so older
 * wishes are not buried under the newest. Stable within a day for infinite scroll.
 */
export async function publicWall(db: Db, f: WallFilter, page: PageQuery, today = new Date().toISOString().slice(0, 10)) {
  let q = db.selectFrom('wishes as w').selectAll('w').where('w.status', 'in', f.status ? [f.status] : [...PUBLIC_STATUSES]);
  if (f.seasonId) q = q.where('w.season_id', '=', f.seasonId);
  if (f.category) q = q.where('w.category', '=', f.category);
  if (f.communityId) q = q.where('w.community_id', '=', f.communityId);
  const ordered = q
    .orderBy(sql`case when w.status = 'published' then 0 else 1 end`)
    .orderBy(sql`floor(ln(1 + w.view_count / (1 + greatest(0, extract(epoch from (now() - coalesce(w.published_at, w.created_at))) / 86400))) * 2)`)
    .orderBy(sql`md5(w.id::text || ${today})`);
  const [items, count] = await Promise.all([
    ordered.limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    q.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirst(),
  ]);
  const rows = items as WishRow[];
  const [names, claimers, photos] = await Promise.all([communityNames(db, rows.map((r) => r.community_id)), liveClaimers(db, rows.map((r) => r.id)), photosOf(db, rows.map((r) => r.id))]);
  return {
    items: rows.map((w) => presentPublicWish(w, { communityName: names.get(w.community_id) ?? '', claimerName: claimers.get(w.id)?.publicName, photos: photos.get(w.id) })),
    total: Number(count?.n ?? 0), page: page.page, pageSize: page.pageSize,
  };
}

/** A stable, anonymous visitor key: the visitor cookie if there is one, else IP + user agent, hashed. */
export const visitorKey = (cookie: string | undefined, ip: string, ua: string | undefined) =>
  createHash('sha256').update(cookie ?? `${ip}|${ua ?? ''}`).digest('base64url').slice(0, 22);

/** Counts a view once per visitor per day. */
export async function recordWishView(db: Db, wishId: number, visitor: string, day = new Date().toISOString().slice(0, 10)) {
  await db.transaction().execute(async (tx) => {
    const ins = await tx.insertInto('wish_views').values({ wish_id: wishId, visitor, day }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(ins.numInsertedOrUpdatedRows ?? 0) > 0) await tx.updateTable('wishes').set({ view_count: sql`view_count + 1` }).where('id', '=', wishId).execute();
  });
}

export async function recordSeasonView(db: Db, seasonId: number, visitor: string, day = new Date().toISOString().slice(0, 10)) {
  const exists = await db.selectFrom('seasons').select('id').where('id', '=', seasonId).executeTakeFirst();
  if (!exists) throw notFound();
  await db.insertInto('season_views').values({ season_id: seasonId, visitor, day }).onConflict((oc) => oc.doNothing()).execute();
  const n = await db.selectFrom('season_views').select(sql<number>`count(*)`.as('n')).where('season_id', '=', seasonId).executeTakeFirst();
  return { seasonId, pageViews: Number(n?.n ?? 0) };
}

/** A wish photo, served publicly only once its wish is on the public wall. */
export async function publicFile(db: Executor, store: FileStore, fileId: number, thumb: boolean) {
  const f = await db.selectFrom('files as f').innerJoin('wish_photos as p', 'p.file_id', 'f.id').innerJoin('wishes as w', 'w.id', 'p.wish_id')
    .select(['f.storage_key', 'f.thumb_key', 'f.mime']).where('f.id', '=', fileId).where('w.status', 'in', [...PUBLIC_STATUSES]).executeTakeFirst();
  if (!f) throw notFound();
  const key = thumb && f.thumb_key ? f.thumb_key : f.storage_key;
  return { bytes: await store.get(key), mime: thumb && f.thumb_key ? 'image/webp' : f.mime };
}

/** For the cockpit: per community, how many wishes are on the tree and how many are lit (fulfilled or confirmed). */
export async function wishTree(db: Executor, seasonId: number | undefined, pathPrefix: string) {
  let q = db.selectFrom('wishes as w').innerJoin('regions as c', 'c.id', 'w.community_id')
    .select(['w.community_id as communityId', 'c.name as communityName',
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where w.status in ('fulfilled','confirmed'))`.as('lit'),
      sql<number>`count(*) filter (where w.status = 'claimed')`.as('claimed')])
    .where('w.status', 'in', [...PUBLIC_STATUSES]).where('w.region_path', 'like', `${pathPrefix}%`)
    .groupBy(['w.community_id', 'c.name']).orderBy('c.name');
  if (seasonId) q = q.where('w.season_id', '=', seasonId);
  return (await q.execute()).map((r) => ({ communityId: r.communityId, communityName: r.communityName, total: Number(r.total), lit: Number(r.lit), claimed: Number(r.claimed) }));
}

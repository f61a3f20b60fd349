import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound } from '../../core/errors.js';
import type { FileStore } from '../../core/files.js';
import { cached, forget } from '../../core/cache.js';
import type { PageQuery } from '../../core/paging.js';
import { inScope, underPath } from '../../core/scope.js';
import type { WishCategory } from '../../core/schema.js';
import { PUBLIC_STATUSES } from './policy.js';
import { countSeasonView } from './views.js';
import { communityNames, liveClaimers, photosOf, presentPublicWish, type WishRow } from './present.js';


export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export interface WallFilter { seasonId?: number; category?: WishCategory; communityId?: number; status?: PublicStatus; sort?: 'fair' | 'latest' }

/** How long one computed wall order is reused: a cache (each instance its own), never state. */
const ORDER_TTL_MS = 30_000;

/**
 * The order of the whole wall for a filter. Open wishes first; among them the
 * least-seen (views per day since publication, in coarse log buckets) first; ties
 * shuffled by a seed that changes daily, so older wishes are not buried under the
 * newest. Computed once per 30 s per filter and day, then paged from memory: page
 * N stays stable while a visitor scrolls, and 10,000 wishes are sorted once, not per request.
 */
function wallOrder(db: Db, f: WallFilter, today: string): Promise<number[]> {
  const key = JSON.stringify([f.seasonId, f.category, f.communityId, f.status, f.sort, today]);
  return cached(db, 'public_wall', key, ORDER_TTL_MS, async () => {
    let q = db.selectFrom('wishes as w').select('w.id').where('w.status', 'in', f.status ? [f.status] : [...PUBLIC_STATUSES]);
    if (f.seasonId) q = q.where('w.season_id', '=', f.seasonId);
    if (f.category) q = q.where('w.category', '=', f.category);
    if (f.communityId) q = q.where('w.community_id', '=', f.communityId);
    // 'latest' (the cockpit's rolling wall): most recent activity first.
    const rows = await (f.sort === 'latest' ? q.orderBy(sql`greatest(w.published_at, w.claimed_at, w.fulfilled_at, w.confirmed_at)`, 'desc').orderBy('w.id', 'desc') : q
      .orderBy(sql`case when w.status = 'published' then 0 else 1 end`)
      .orderBy(sql`floor(ln(1 + w.view_count / (1 + greatest(0, extract(epoch from (now() - coalesce(w.published_at, w.created_at))) / 86400))) * 2)`)
      .orderBy(sql`md5(w.id::text || ${today})`))
      .execute();
    return rows.map((r) => r.id);
  });
}

/** Forget computed wall orders: called when any wish changes state, on every instance (via the event bus). */
export function invalidateWall(db: Db) {
  forget(db, 'public_wall');
}

/** One page of the public wish wall (see wallOrder); rows are read fresh, so statuses are current. */
export async function publicWall(db: Db, f: WallFilter, page: PageQuery, today = new Date().toISOString().slice(0, 10)) {
  const order = await wallOrder(db, f, today);
  const pageIds = order.slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
  const found = pageIds.length ? (await db.selectFrom('wishes').selectAll().where('id', 'in', pageIds).execute()) as WishRow[] : [];
  const byId = new Map(found.map((w) => [w.id, w]));
  const rows = pageIds.map((id) => byId.get(id)).filter((w): w is WishRow => !!w && (PUBLIC_STATUSES as readonly string[]).includes(w.status));
  const [names, claimers, photos] = await Promise.all([communityNames(db, rows.map((r) => r.community_id)), liveClaimers(db, rows.map((r) => r.id)), photosOf(db, rows.map((r) => r.id))]);
  return {
    items: rows.map((w) => presentPublicWish(w, { communityName: names.get(w.community_id) ?? '', claimerName: claimers.get(w.id)?.publicName, claimerPartyMember: claimers.get(w.id)?.partyMember, photos: photos.get(w.id) })),
    total: order.length, page: page.page, pageSize: page.pageSize,
  };
}

/** A season page's view (counted once per visitor per day, written within seconds: views.ts); the count as last written. */
export async function recordSeasonView(db: Db, seasonId: number, visitor: string) {
  const exists = await db.selectFrom('seasons').select('id').where('id', '=', seasonId).executeTakeFirst();
  if (!exists) throw notFound();
  countSeasonView(db, seasonId, visitor);
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
export async function wishTree(db: Executor, seasonId: number | undefined, auth: AuthContext) {
  let q = db.selectFrom('wishes as w').innerJoin('regions as c', 'c.id', 'w.community_id')
    .select(['w.community_id as communityId', 'c.name as communityName',
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where w.status in ('fulfilled','confirmed'))`.as('lit'),
      sql<number>`count(*) filter (where w.status = 'claimed')`.as('claimed')])
    .where('w.status', 'in', [...PUBLIC_STATUSES]).where(inScope(auth, 'w.region_path'))
    .groupBy(['w.community_id', 'c.name']).orderBy('c.name');
  if (seasonId) q = q.where('w.season_id', '=', seasonId);
  return (await q.execute()).map((r) => ({ communityId: r.communityId, communityName: r.communityName, total: Number(r.total), lit: Number(r.lit), claimed: Number(r.claimed) }));
}

/**
 * The cockpit's live feed: the latest lit (fulfilled or confirmed) wishes under a region, newest
 * first, presented as on the public wall. Strictly the region shown: a community's screen never
 * lists another community's wishes.
 */
export async function litFeed(db: Executor, regionPath: string, limit = 20) {
  const rows = (await db.selectFrom('wishes').selectAll().where('status', 'in', ['fulfilled', 'confirmed']).where(underPath('region_path', regionPath))
    .orderBy('fulfilled_at', 'desc').orderBy('id', 'desc').limit(limit).execute()) as WishRow[];
  const [names, claimers] = await Promise.all([communityNames(db, rows.map((r) => r.community_id)), liveClaimers(db, rows.map((r) => r.id))]);
  return rows.map((w) => presentPublicWish(w, { communityName: names.get(w.community_id) ?? '', claimerName: claimers.get(w.id)?.publicName, claimerPartyMember: claimers.get(w.id)?.partyMember }));
}

/** The communities at or under a region (a community itself, a street's, the district's); a 400 naming `regionId` for no such region. */
export async function communitiesUnder(db: Executor, regionId: number) {
  const region = await db.selectFrom('regions').select('path').where('id', '=', regionId).executeTakeFirst();
  if (!region) throw fieldError('regionId', 'no_such_region');
  const rows = await db.selectFrom('regions').select('id').where('level', '=', 'community').where(underPath('path', region.path)).execute();
  return new Set(rows.map((r) => r.id));
}

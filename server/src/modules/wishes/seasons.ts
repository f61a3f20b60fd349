import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import { inScope, isInScope } from '../../core/scope.js';

export interface SeasonInput { name: string; theme?: string | null; startsOn: string; endsOn: string; valueCap?: number; claimDays?: number; communityIds: number[] }

function presentSeason(s: { id: number; name: string; theme: string | null; starts_on: string; ends_on: string; value_cap_fen: number; claim_days: number }, communityIds: number[]) {
  const today = new Date().toISOString().slice(0, 10);
  return {
    id: s.id, name: s.name, theme: s.theme, startsOn: s.starts_on, endsOn: s.ends_on, valueCap: s.value_cap_fen / 100, claimDays: s.claim_days,
    communityIds, current: s.starts_on <= today && s.ends_on >= today,
  };
}

async function checkCommunities(tx: Executor, auth: AuthContext, ids: number[]) {
  const rows = await tx.selectFrom('regions').select(['id', 'level', 'path']).where('id', 'in', ids.length ? ids : [0]).execute();
  if (rows.length !== new Set(ids).size || rows.some((r) => r.level !== 'community')) throw fieldError('communityIds', 'not_communities');
  if (rows.some((r) => !isInScope(auth, r.path))) throw fieldError('communityIds', 'out_of_scope_field');
}

export async function createSeason(db: Db, auth: AuthContext, actor: Actor, input: SeasonInput) {
  if (input.endsOn < input.startsOn) throw fieldError('endsOn', 'ends_before_start');
  return db.transaction().execute(async (tx) => {
    await checkCommunities(tx, auth, input.communityIds);
    const s = await tx.insertInto('seasons').values({
      name: input.name, theme: input.theme ?? null, starts_on: input.startsOn, ends_on: input.endsOn,
      value_cap_fen: Math.round((input.valueCap ?? 300) * 100), claim_days: input.claimDays ?? 14,
    }).returningAll().executeTakeFirstOrThrow();
    await tx.insertInto('season_communities').values(input.communityIds.map((community_id) => ({ season_id: s.id, community_id }))).execute();
    await appendAudit(tx, actor, { action: 'season.create', targetType: 'season', targetId: s.id, summary: { ...input } });
    return presentSeason(s, input.communityIds);
  });
}

export async function updateSeason(db: Db, auth: AuthContext, actor: Actor, id: number, patch: Partial<SeasonInput>) {
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('seasons').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound();
    // A season is changed only by a worker whose scope covers every community it runs in.
    const covered = await tx.selectFrom('season_communities as l').innerJoin('regions as r', 'r.id', 'l.community_id').select('r.path').where('l.season_id', '=', id).execute();
    if (covered.some((r) => !isInScope(auth, r.path)) || !auth.scope) throw outOfScope();
    const starts = patch.startsOn ?? before.starts_on, ends = patch.endsOn ?? before.ends_on;
    if (ends < starts) throw fieldError('endsOn', 'ends_before_start');
    if (patch.communityIds) await checkCommunities(tx, auth, patch.communityIds);
    const s = await tx.updateTable('seasons').set({
      ...(patch.name !== undefined && { name: patch.name }), ...(patch.theme !== undefined && { theme: patch.theme }),
      starts_on: starts, ends_on: ends,
      ...(patch.valueCap !== undefined && { value_cap_fen: Math.round(patch.valueCap * 100) }),
      ...(patch.claimDays !== undefined && { claim_days: patch.claimDays }),
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    if (patch.communityIds) {
      await tx.deleteFrom('season_communities').where('season_id', '=', id).execute();
      await tx.insertInto('season_communities').values(patch.communityIds.map((community_id) => ({ season_id: id, community_id }))).execute();
    }
    await appendAudit(tx, actor, { action: 'season.update', targetType: 'season', targetId: id, summary: { ...patch } });
    const ids = (await tx.selectFrom('season_communities').select('community_id').where('season_id', '=', id).execute()).map((r) => r.community_id);
    return presentSeason(s, ids);
  });
}

export async function listSeasons(db: Executor) {
  const rows = await db.selectFrom('seasons').selectAll().orderBy('starts_on', 'desc').execute();
  const links = await db.selectFrom('season_communities as l').innerJoin('regions as r', 'r.id', 'l.community_id').select(['l.season_id', 'l.community_id', 'r.name']).orderBy('r.sort').orderBy('r.id').execute();
  return rows.map((s) => {
    const mine = links.filter((l) => l.season_id === s.id);
    return { ...presentSeason(s, mine.map((l) => l.community_id)), communities: mine.map((l) => ({ id: l.community_id, name: l.name })) };
  });
}

/**
 * Per community of a season: collected, published (ever), claimed, fulfilled,
 * confirmed, mean days from publish to fulfil; and the top claimers by
 * fulfilled wishes (rankings count fulfilment, not claims).
 */
export async function seasonStats(db: Executor, seasonId: number, auth: AuthContext) {
  const season = await db.selectFrom('seasons').selectAll().where('id', '=', seasonId).executeTakeFirst();
  if (!season) throw notFound();
  const q = db.selectFrom('wishes as w').innerJoin('regions as c', 'c.id', 'w.community_id')
    .select([
      'w.community_id as communityId', 'c.name as communityName',
      sql<number>`count(*)`.as('collected'),
      sql<number>`count(w.published_at)`.as('published'),
      sql<number>`count(*) filter (where w.status in ('claimed','fulfilled','confirmed'))`.as('claimed'),
      sql<number>`count(*) filter (where w.status in ('fulfilled','confirmed'))`.as('fulfilled'),
      sql<number>`count(*) filter (where w.status = 'confirmed')`.as('confirmed'),
      sql<number | null>`avg(extract(epoch from (w.fulfilled_at - w.published_at)) / 86400) filter (where w.fulfilled_at is not null)`.as('meanDaysToFulfil'),
    ])
    .where('w.season_id', '=', seasonId).where(inScope(auth, 'w.region_path')).groupBy(['w.community_id', 'c.name']).orderBy('c.name');
  const byCommunity = (await q.execute()).map((r) => ({
    communityId: r.communityId, communityName: r.communityName, collected: Number(r.collected), published: Number(r.published), claimed: Number(r.claimed),
    fulfilled: Number(r.fulfilled), confirmed: Number(r.confirmed), meanDaysToFulfil: r.meanDaysToFulfil == null ? null : Math.round(Number(r.meanDaysToFulfil) * 10) / 10,
  }));
  const top = db.selectFrom('wish_claims as k').innerJoin('wishes as w', 'w.id', 'k.wish_id')
    .select(['k.claimer_name as name', 'k.claimer_org_id as orgId', sql<number>`count(*)`.as('fulfilled')])
    .where('w.season_id', '=', seasonId).where(inScope(auth, 'w.region_path')).where('k.status', '=', 'fulfilled')
    .groupBy(['k.claimer_id', 'k.claimer_name', 'k.claimer_org_id']).orderBy(sql`count(*)`, 'desc').orderBy('k.claimer_name').limit(10);
  const views = await db.selectFrom('season_views').select(sql<number>`count(*)`.as('n')).where('season_id', '=', seasonId).executeTakeFirst();
  const sum = (k: 'collected' | 'published' | 'claimed' | 'fulfilled' | 'confirmed') => byCommunity.reduce((s, r) => s + r[k], 0);
  return {
    season: presentSeason(season, []),
    totals: { collected: sum('collected'), published: sum('published'), claimed: sum('claimed'), fulfilled: sum('fulfilled'), confirmed: sum('confirmed'), pageViews: Number(views?.n ?? 0) },
    byCommunity,
    topClaimers: (await top.execute()).map((t) => ({ name: t.orgId ? t.name : `${t.name[0]}某`, fulfilled: Number(t.fulfilled) })),
  };
}

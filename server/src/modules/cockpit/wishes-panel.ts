import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { underPath } from '../../core/scope.js';
import { litFeed } from '../wishes/public.js';
import { byChild, childOf, childRegions, type CockpitRegion } from './region.js';

/**
 * Micro-wishes under a region: collected (taken into a season: not rejected or withdrawn), claimed
 * (claimed and still held, or fulfilled since), fulfilled (lit: fulfilled or confirmed), confirmed
 * (the beneficiary said thanks). Totals over all seasons, the last 12 seasons as the trend, totals
 * per child region, and the latest lit wishes for the live feed.
 */
export async function wishesPanel(db: Db, region: CockpitRegion) {
  const child = childOf('w.region_path', region);
  const [rows, seasons, children, feed] = await Promise.all([
    db.selectFrom('wishes as w').select([
      'w.season_id as seasonId', child.as('child'),
      sql<number>`(count(*) filter (where w.status not in ('rejected', 'withdrawn')))::int`.as('collected'),
      sql<number>`(count(*) filter (where w.status in ('claimed', 'fulfilled', 'confirmed')))::int`.as('claimed'),
      sql<number>`(count(*) filter (where w.status in ('fulfilled', 'confirmed')))::int`.as('fulfilled'),
      sql<number>`(count(*) filter (where w.status = 'confirmed'))::int`.as('confirmed'),
    ]).where(underPath('w.region_path', region.path)).groupBy(['w.season_id', 'child']).execute(),
    db.selectFrom('seasons').select(['id', 'name', 'starts_on as startsOn']).orderBy('starts_on', 'desc').orderBy('id', 'desc').limit(12).execute(),
    childRegions(db, region),
    litFeed(db, region.path),
  ]);
  const zero = () => ({ collected: 0, claimed: 0, fulfilled: 0, confirmed: 0 });
  const add = (to: ReturnType<typeof zero>, r: ReturnType<typeof zero>) => {
    to.collected += Number(r.collected); to.claimed += Number(r.claimed); to.fulfilled += Number(r.fulfilled); to.confirmed += Number(r.confirmed);
  };
  const total = zero(), perSeason = new Map<number, ReturnType<typeof zero>>(), perChild = new Map<number, ReturnType<typeof zero>>();
  for (const r of rows) {
    add(total, r);
    if (!perSeason.has(r.seasonId)) perSeason.set(r.seasonId, zero());
    add(perSeason.get(r.seasonId)!, r);
    if (r.child != null) {
      if (!perChild.has(r.child)) perChild.set(r.child, zero());
      add(perChild.get(r.child)!, r);
    }
  }
  return {
    region: { id: region.id, name: region.name, level: region.level },
    ...total,
    seasons: seasons.reverse().map((s) => ({ id: s.id, name: s.name, startsOn: s.startsOn, ...(perSeason.get(s.id) ?? zero()) })),
    breakdown: byChild(children, perChild, zero()),
    feed,
    at: new Date().toISOString(),
  };
}

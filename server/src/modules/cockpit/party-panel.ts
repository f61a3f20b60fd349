import type { Db } from '../../core/db.js';
import type { OrgKind } from '../../core/schema.js';
import { memberFigures } from '../party/figures.js';
import { byChild, childRegions, type CockpitRegion } from './region.js';

const PARTY_KINDS: OrgKind[] = ['party_working_committee', 'party_committee', 'general_branch', 'branch'];

/**
 * Party organisations under a region (by the region each organisation sits in), by kind and per child,
 * and the members the party register counts there.
 */
export async function partyPanel(db: Db, region: CockpitRegion) {
  const [orgs, children, members] = await Promise.all([
    db.selectFrom('organisations').select(['kind', 'region_id']).where('kind', 'in', PARTY_KINDS).where('region_id', 'is not', null).execute(),
    childRegions(db, region),
    partyMembers(db, region),
  ]);
  // The organisations' regions by id, then the region filter here: in one SQL join the planner walks the
  // whole region tree by primary key (245,000 rows at district scale, ~180 ms) to find a few hundred.
  const ids = [...new Set(orgs.map((o) => o.region_id!))];
  const paths = new Map(ids.length ? (await db.selectFrom('regions').select(['id', 'path']).where('id', 'in', ids).execute()).map((r) => [r.id, r.path]) : []);
  const depth = region.path.split('/').filter(Boolean).length;
  const byKind = Object.fromEntries(PARTY_KINDS.map((k) => [k, 0])) as Record<(typeof PARTY_KINDS)[number], number>;
  const per = new Map<number, { organisations: number }>();
  let organisations = 0;
  for (const o of orgs) {
    const path = paths.get(o.region_id!);
    if (!path?.startsWith(region.path)) continue;
    organisations++;
    byKind[o.kind as (typeof PARTY_KINDS)[number]]++;
    const child = Number(path.split('/')[depth + 1]) || null;
    if (child) per.set(child, { organisations: (per.get(child)?.organisations ?? 0) + 1 });
  }
  return {
    region: { id: region.id, name: region.name, level: region.level },
    organisations,
    organisationsByKind: byKind,
    members,
    breakdown: byChild(children, per, { organisations: 0 }),
    at: new Date().toISOString(),
  };
}

/** Party members under a region: the register's count (members of organisations there, and those reporting there by 双报到). */
async function partyMembers(db: Db, region: CockpitRegion): Promise<number> {
  return (await memberFigures(db, region.path)).members;
}

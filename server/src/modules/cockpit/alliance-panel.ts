import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { underPath } from '../../core/scope.js';
import { byChild, childOf, childRegions, fillMonths, last12Months, monthOf, monthsStart, type CockpitRegion } from './region.js';

/**
 * The alliance under a region. A unit belongs where its committee (大工委 of a street, 大党委 of a
 * community) is, and its resources and co-building projects with it — as the alliance statistics
 * count them. Projects by status and by progress (the weighted share of completed milestones).
 */
export async function alliancePanel(db: Db, region: CockpitRegion) {
  const months = last12Months();
  const child = childOf('cr.path', region);
  const units = db.selectFrom('alliance_units as u').innerJoin('regions as cr', 'cr.id', 'u.committee_region_id')
    .where('u.status', '=', 'verified').where(underPath('cr.path', region.path));
  // A project's progress 0–100 from its milestones' weights (no milestones: 0).
  const progress = sql<number>`coalesce((select round(100.0 * sum(m.weight) filter (where m.done_at is not null) / nullif(sum(m.weight), 0)) from coop_milestones m where m.project_id = p.id), 0)`;
  const projects = units.innerJoin('coop_projects as p', 'p.owner_unit_id', 'u.id');
  const [unitRows, resourceRows, projectRows, trendRows, children] = await Promise.all([
    units.select([child.as('child'), sql<number>`count(*)::int`.as('units'), sql<number>`(count(*) filter (where u.is_committee_unit))::int`.as('committeeUnits')]).groupBy('child').execute(),
    units.innerJoin('resources as r', 'r.unit_id', 'u.id').where('r.status', '=', 'active').select([child.as('child'), sql<number>`count(*)::int`.as('resources')]).groupBy('child').execute(),
    projects.select([child.as('child'), 'p.status', sql<'not_started' | 'started' | 'over_half' | 'done'>`case when ${progress} >= 100 then 'done' when ${progress} >= 50 then 'over_half' when ${progress} > 0 then 'started' else 'not_started' end`.as('stage'), sql<number>`count(*)::int`.as('n')])
      .groupBy(['child', 'p.status', 'stage']).execute(),
    projects.select([monthOf('p.created_at').as('month'), sql<number>`count(*)::int`.as('projects')]).where('p.created_at', '>=', monthsStart(months)).groupBy('month').execute(),
    childRegions(db, region),
  ]);
  const zero = () => ({ units: 0, committeeUnits: 0, resources: 0, projects: 0 });
  const per = new Map<number, ReturnType<typeof zero>>();
  const total = zero();
  const at = (id: number | null) => {
    if (id == null) return null;
    if (!per.has(id)) per.set(id, zero());
    return per.get(id)!;
  };
  for (const r of unitRows) for (const row of [total, at(r.child)]) if (row) { row.units += r.units; row.committeeUnits += r.committeeUnits; }
  for (const r of resourceRows) for (const row of [total, at(r.child)]) if (row) row.resources += r.resources;
  const byStatus = { planned: 0, active: 0, done: 0, cancelled: 0 };
  const byProgress = { not_started: 0, started: 0, over_half: 0, done: 0 };
  for (const r of projectRows) {
    for (const row of [total, at(r.child)]) if (row) row.projects += r.n;
    byStatus[r.status] += r.n;
    byProgress[r.stage] += r.n;
  }
  return {
    region: { id: region.id, name: region.name, level: region.level },
    ...total,
    projectsByStatus: byStatus,
    projectsByProgress: byProgress,
    trend: fillMonths(months, trendRows, ['projects']),
    breakdown: byChild(children, per, zero()),
    at: new Date().toISOString(),
  };
}

import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { isRootPath, underPath } from '../../core/scope.js';
import { hubFigures } from '../brain/registry.js';
import { taskFigures } from '../brain/tasks/figures.js';
import { byChild, childOf, childRegions, fillMonths, last12Months, monthOf, monthsStart, type CockpitRegion } from './region.js';

/**
 * Red Brain under a region: the hub's figures (sources connected, rows moved; district level only —
 * the hub is not regional) and verification tasks (the module's own cockpit figures), with a
 * 12-month trend of rows exchanged and tasks created/closed, and tasks per child region.
 */
export async function brainPanel(db: Db, region: CockpitRegion) {
  const months = last12Months();
  const since = monthsStart(months);
  const district = isRootPath(region.path);
  const [hub, tasks, created, closed, rowsMoved, perChild, children] = await Promise.all([
    hubFigures(db, region.path),
    taskFigures(db, region.path),
    db.selectFrom('brain_verification_tasks').select([monthOf('created_at').as('month'), sql<number>`count(*)::int`.as('n')])
      .where(underPath('region_path', region.path)).where('created_at', '>=', since).groupBy('month').execute(),
    db.selectFrom('brain_verification_tasks').select([monthOf('closed_at').as('month'), sql<number>`count(*)::int`.as('n')])
      .where(underPath('region_path', region.path)).where('closed_at', '>=', since).groupBy('month').execute(),
    district
      ? db.selectFrom('brain_runs').select([monthOf('finished_at').as('month'), sql<number>`coalesce(sum(inserted + updated + deleted), 0)::int`.as('n')])
        .where('finished_at', '>=', since).groupBy('month').execute()
      : Promise.resolve([]),
    db.selectFrom('brain_verification_tasks').select([childOf('region_path', region).as('child'),
      sql<number>`(count(*) filter (where status = 'open'))::int`.as('open'), sql<number>`(count(*) filter (where status <> 'open'))::int`.as('closed')])
      .where(underPath('region_path', region.path)).groupBy('child').execute(),
    childRegions(db, region),
  ]);
  const c = new Map(created.map((r) => [r.month, r.n])), k = new Map(closed.map((r) => [r.month, r.n]));
  const moved = fillMonths(months, rowsMoved, ['n']);
  return {
    region: { id: region.id, name: region.name, level: region.level },
    hub: 'brain' in hub && hub.brain ? hub.brain : null,
    ...tasks,
    trend: moved.map((m) => ({ month: m.month, rowsExchanged: district ? m.n : null, tasksCreated: c.get(m.month) ?? 0, tasksClosed: k.get(m.month) ?? 0 })),
    breakdown: byChild(children, new Map(perChild.flatMap((r) => (r.child == null ? [] : [[r.child, { openTasks: r.open, closedTasks: r.closed }] as const]))), { openTasks: 0, closedTasks: 0 }),
    at: new Date().toISOString(),
  };
}

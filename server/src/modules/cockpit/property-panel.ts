import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { underPath } from '../../core/scope.js';
import { ELEVATOR_STAGES, STAGE_GROUP, type ElevatorStage } from '../consult/elevators.js';
import { MATTER_STATUSES } from '../property/practical-tables.js';
import { childOf, childRegions, fillMonths, last12Months, monthOf, monthsStart, type CockpitRegion } from './region.js';

const pct = (met: number, done: number) => (done ? Math.round((met / done) * 1000) / 10 : null);
// As the service-request statistics count them: done in time = first done within the type's SLA hours from submission.
const OPEN = sql`r.status in ('submitted', 'accepted', 'assigned', 'in_progress')`;
const MET = sql`r.first_done_at is not null and r.first_done_at <= r.created_at + make_interval(hours => r.sla_hours)`;
// A booking that held its room (as the booking statistics count it).
const HELD = ['confirmed', 'checked_in', 'no_show'] as const;

/** Red Property under a region: elevator retrofits by stage, practical matters by status, service requests with SLA met %, room bookings. */
export async function propertyPanel(db: Db, region: CockpitRegion) {
  const months = last12Months();
  const since = monthsStart(months);
  const [elevators, matters, requests, requestTrend, bookings, bookingTrend, children] = await Promise.all([
    db.selectFrom('elevator_projects').select([childOf('unit_path', region).as('child'), 'stage', sql<number>`count(*)::int`.as('n')])
      .where(underPath('unit_path', region.path)).groupBy(['child', 'stage']).execute(),
    db.selectFrom('practical_matters').select([childOf('region_path', region).as('child'), 'status', sql<number>`count(*)::int`.as('n')])
      .where(underPath('region_path', region.path)).groupBy(['child', 'status']).execute(),
    db.selectFrom('service_requests as r').select([childOf('r.region_path', region).as('child'), sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where ${OPEN}))::int`.as('open'), sql<number>`count(r.first_done_at)::int`.as('done'), sql<number>`(count(*) filter (where ${MET}))::int`.as('met')])
      .where(underPath('r.region_path', region.path)).groupBy('child').execute(),
    db.selectFrom('service_requests as r').select([monthOf('r.created_at').as('month'), sql<number>`count(*)::int`.as('requests'),
      sql<number>`count(r.first_done_at)::int`.as('done'), sql<number>`(count(*) filter (where ${MET}))::int`.as('met')])
      .where(underPath('r.region_path', region.path)).where('r.created_at', '>=', since).groupBy('month').execute(),
    db.selectFrom('room_bookings as b').innerJoin('function_rooms as fr', 'fr.id', 'b.room_id').innerJoin('service_positions as p', 'p.id', 'fr.position_id')
      .select([childOf('p.region_path', region).as('child'), sql<number>`count(*)::int`.as('n')])
      .where('b.status', 'in', [...HELD]).where(underPath('p.region_path', region.path)).groupBy('child').execute(),
    db.selectFrom('room_bookings as b').innerJoin('function_rooms as fr', 'fr.id', 'b.room_id').innerJoin('service_positions as p', 'p.id', 'fr.position_id')
      .select([monthOf('b.starts_at').as('month'), sql<number>`count(*)::int`.as('bookings')])
      .where('b.status', 'in', [...HELD]).where(underPath('p.region_path', region.path)).where('b.starts_at', '>=', since).groupBy('month').execute(),
    childRegions(db, region),
  ]);
  const zero = () => ({ elevators: 0, elevatorsCompleted: 0, practicalMatters: 0, serviceRequests: 0, openRequests: 0, requestsDone: 0, requestsInTime: 0, bookings: 0 });
  const total = zero();
  const per = new Map<number, ReturnType<typeof zero>>();
  const rowsOf = (id: number | null) => {
    if (id == null) return [total];
    if (!per.has(id)) per.set(id, zero());
    return [total, per.get(id)!];
  };
  const byStage = Object.fromEntries(ELEVATOR_STAGES.map((s) => [s, 0])) as Record<ElevatorStage, number>;
  const byGroup = { preparing: 0, approved: 0, under_construction: 0, completed: 0 };
  for (const e of elevators) {
    const group = STAGE_GROUP[e.stage as ElevatorStage];
    byStage[e.stage as ElevatorStage] += e.n;
    byGroup[group] += e.n;
    for (const row of rowsOf(e.child)) { row.elevators += e.n; if (group === 'completed') row.elevatorsCompleted += e.n; }
  }
  const matterStatus = Object.fromEntries(MATTER_STATUSES.map((s) => [s, 0])) as Record<(typeof MATTER_STATUSES)[number], number>;
  for (const m of matters) {
    matterStatus[m.status] += m.n;
    for (const row of rowsOf(m.child)) row.practicalMatters += m.n;
  }
  for (const r of requests) for (const row of rowsOf(r.child)) { row.serviceRequests += r.total; row.openRequests += r.open; row.requestsDone += r.done; row.requestsInTime += r.met; }
  for (const b of bookings) for (const row of rowsOf(b.child)) row.bookings += b.n;
  const withPct = <T extends ReturnType<typeof zero>>(r: T) => ({ ...r, slaMetPercent: pct(r.requestsInTime, r.requestsDone) });
  const reqTrend = fillMonths(months, requestTrend, ['requests', 'done', 'met']);
  const bookTrend = fillMonths(months, bookingTrend, ['bookings']);
  return {
    region: { id: region.id, name: region.name, level: region.level },
    ...withPct(total),
    elevatorsByStage: byStage,
    elevatorsByGroup: byGroup,
    practicalMattersByStatus: matterStatus,
    trend: reqTrend.map((m, i) => ({ month: m.month, serviceRequests: m.requests, slaMetPercent: pct(m.met, m.done), bookings: bookTrend[i].bookings })),
    breakdown: children.map((c) => ({ id: c.id, name: c.name, level: c.level, ...withPct(per.get(c.id) ?? zero()) })),
    at: new Date().toISOString(),
  };
}

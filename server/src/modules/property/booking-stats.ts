import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { inScope } from '../../core/scope.js';
import { shanghaiDate, shanghaiDayStart } from './positions.js';

/**
 * Usage of function rooms over whole Asia/Shanghai days, per room or per position, in the caller's scope:
 * hours booked (confirmed, checked in or missed — the room was held), hours used (checked in), and
 * occupancy = hours booked ÷ opening hours of the period. Bookings are clipped to the period.
 */

export const MAX_STATS_DAYS = 366;
const r1 = (n: number) => Math.round(n * 10) / 10;

export async function bookingStats(db: Db, auth: AuthContext, by: 'room' | 'position', q: { from?: string; to?: string }, now = new Date()) {
  const to = q.to ?? shanghaiDate(now);
  const from = q.from ?? shanghaiDate(new Date(shanghaiDayStart(to).getTime() - 29 * 86400_000));
  const start = shanghaiDayStart(from), end = new Date(shanghaiDayStart(to).getTime() + 86400_000);
  const days = Math.round((end.getTime() - start.getTime()) / 86400_000);
  if (days < 1) throw fieldError('to', 'ends_before_start');
  if (days > MAX_STATS_DAYS) throw fieldError('to', 'range_too_long', { max: MAX_STATS_DAYS });
  const held = sql`b.status in ('confirmed','checked_in','no_show')`;
  const hours = sql<number>`extract(epoch from (least(b.ends_at, ${end}) - greatest(b.starts_at, ${start}))) / 3600.0`;
  const rows = await db.selectFrom('function_rooms as r').innerJoin('service_positions as p', 'p.id', 'r.position_id')
    .leftJoin('room_bookings as b', (j) => j.onRef('b.room_id', '=', 'r.id').on('b.starts_at', '<', end).on('b.ends_at', '>', start))
    .select([
      'r.id', 'r.name', 'p.id as position_id', 'p.name as position_name', 'p.opens_min', 'p.closes_min',
      sql<number>`coalesce(sum(${hours}) filter (where ${held}), 0)`.as('booked'),
      sql<number>`coalesce(sum(${hours}) filter (where b.status = 'checked_in'), 0)`.as('used'),
      sql<number>`count(b.id) filter (where ${held})`.as('bookings'),
      sql<number>`count(b.id) filter (where b.status = 'no_show')`.as('no_shows'),
    ])
    .where(inScope(auth, 'p.region_path'))
    .groupBy(['r.id', 'p.id']).orderBy('p.region_path').orderBy('p.id').orderBy('r.sort').orderBy('r.id').execute();
  const acc = new Map<number, { id: number; name: string; positionId: number; positionName: string; open: number; booked: number; used: number; bookings: number; noShows: number }>();
  for (const r of rows) {
    const key = by === 'room' ? r.id : r.position_id;
    const cur = acc.get(key) ?? { id: key, name: by === 'room' ? r.name : r.position_name, positionId: r.position_id, positionName: r.position_name, open: 0, booked: 0, used: 0, bookings: 0, noShows: 0 };
    cur.open += days * (r.closes_min - r.opens_min) / 60;
    cur.booked += Number(r.booked); cur.used += Number(r.used); cur.bookings += Number(r.bookings); cur.noShows += Number(r.no_shows);
    acc.set(key, cur);
  }
  const items = [...acc.values()].map((x) => ({
    id: x.id, name: x.name, positionId: x.positionId, positionName: x.positionName, bookings: x.bookings, noShows: x.noShows,
    openHours: r1(x.open), hoursBooked: r1(x.booked), hoursUsed: r1(x.used), occupancyPercent: x.open > 0 ? r1((100 * x.booked) / x.open) : 0,
  }));
  return { by, from, to, days, items };
}

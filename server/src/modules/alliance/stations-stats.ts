import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { inScope } from '../../core/scope.js';
import { stationsInScope } from './stations-policy.js';
import { shanghaiDay } from './stations.js';

/**
 * Station check-ins per month (Asia/Shanghai days), per station or per community, in the caller's
 * scope. Closed stations keep their history: they are counted, and listed with their status.
 */

/** At most two years of months (731 days covers any 24 months, leap day included). */
export const MAX_STATS_DAYS = 731;

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
const monthsBack = (m: string, n: number) => {
  const [y, mo] = m.split('-').map(Number);
  const k = y * 12 + (mo - 1) - n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
};

/** The months from `from` to `to` (YYYY-MM), the last six by default. */
export function statsMonths(q: { from?: string; to?: string }, now = new Date()) {
  const to = q.to ?? shanghaiDay(now).slice(0, 7);
  const from = q.from ?? monthsBack(to, 5);
  if (from > to) throw fieldError('to', 'ends_before_start');
  const start = `${from}-01`, end = `${nextMonth(to)}-01`;
  if ((Date.parse(end) - Date.parse(start)) / 86400_000 > MAX_STATS_DAYS) throw fieldError('to', 'range_too_long', { max: MAX_STATS_DAYS });
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return { from, to, start, end, months };
}

interface Acc { id: number; name: string; communityName: string | null; status: string | null; stations: number; openStations: number; byMonth: Map<string, number> }

export async function stationStats(db: Db, auth: AuthContext, by: 'station' | 'community', q: { from?: string; to?: string }, now = new Date()) {
  const { from, to, start, end, months } = statsMonths(q, now);
  // Check-ins joined on the period only, so that stations and communities without any still get a row.
  const month = sql<string | null>`to_char(k.day, 'YYYY-MM')`;
  const acc = new Map<number, Acc>();
  if (by === 'station') {
    const rows = await db.selectFrom('stations as s').innerJoin('regions as r', 'r.id', 's.region_id')
      .leftJoin('station_checkins as k', (j) => j.onRef('k.station_id', '=', 's.id').on('k.day', '>=', start).on('k.day', '<', end))
      .select(['s.id', 's.name', 's.status', 'r.name as community_name', 'r.path', month.as('month'), sql<number>`count(k.station_id)`.as('n')])
      .where(stationsInScope(auth)).groupBy(['s.id', 'r.name', 'r.path', month]).orderBy('r.path').orderBy('s.id').execute();
    for (const r of rows) {
      const a = acc.get(r.id) ?? { id: r.id, name: r.name, communityName: r.community_name, status: r.status, stations: 1, openStations: r.status === 'open' ? 1 : 0, byMonth: new Map() };
      if (r.month) a.byMonth.set(r.month, Number(r.n));
      acc.set(r.id, a);
    }
  } else {
    const rows = await db.selectFrom('regions as c').leftJoin('stations as s', 's.region_id', 'c.id')
      .leftJoin('station_checkins as k', (j) => j.onRef('k.station_id', '=', 's.id').on('k.day', '>=', start).on('k.day', '<', end))
      .select(['c.id', 'c.name', month.as('month'), sql<number>`count(k.station_id)`.as('n'),
        sql<number>`(select count(*) from stations x where x.region_id = c.id)`.as('stations'),
        sql<number>`(select count(*) from stations x where x.region_id = c.id and x.status = 'open')`.as('open_stations')])
      .where('c.level', '=', 'community').where(inScope(auth, 'c.path')).groupBy(['c.id', month]).orderBy('c.path').orderBy('c.id').execute();
    for (const r of rows) {
      const a = acc.get(r.id) ?? { id: r.id, name: r.name, communityName: null, status: null, stations: Number(r.stations), openStations: Number(r.open_stations), byMonth: new Map() };
      if (r.month) a.byMonth.set(r.month, Number(r.n));
      acc.set(r.id, a);
    }
  }
  const items = [...acc.values()].map((a) => {
    const counts = months.map((m) => a.byMonth.get(m) ?? 0);
    return { id: a.id, name: a.name, communityName: a.communityName, status: a.status, stations: a.stations, openStations: a.openStations, months: counts, total: counts.reduce((x, y) => x + y, 0) };
  });
  const totals = months.map((_, i) => items.reduce((x, it) => x + it.months[i], 0));
  return { by, from, to, months, items, totals, total: totals.reduce((x, y) => x + y, 0) };
}

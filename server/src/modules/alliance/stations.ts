import { sql } from 'kysely';
import type { Db, Executor } from '../../core/db.js';
import { notFound } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { underPath } from '../../core/scope.js';
import { STATION_KIND_NAMES, STATION_SERVICES, type StationKind } from './stations-tables.js';

/** The public side of the convenience stations (锋小巢, 歇歇脚): the map's list, the check-in counter, the cockpit's use figures. */

/** The Asia/Shanghai calendar day of an instant (UTC+8 all year): a check-in at 07:00 belongs to that morning, not to yesterday in UTC. */
export const shanghaiDay = (at = new Date()) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export const serviceNames = (codes: string[]) => codes.map((x) => STATION_SERVICES[x as keyof typeof STATION_SERVICES] ?? x);
export const kindName = (kind: string) => STATION_KIND_NAMES[kind as StationKind] ?? kind;

/**
 * Open stations, optionally filtered by service and kind and ordered by distance from a point (haversine, km).
 * A closed station is off the map: it is not listed, and checking in there answers 404.
 */
export async function listStations(db: Db, f: { service?: string; lat?: number; lng?: number; kind?: string }, page: PageQuery) {
  let q = db.selectFrom('stations as s').leftJoin('alliance_units as u', 'u.id', 's.owner_unit_id')
    .select(['s.id', 's.name', 's.kind', 's.lat', 's.lng', 's.address', 's.opening_hours', 's.services', 'u.name as owner_name',
      sql<number>`(select count(*) from station_checkins c where c.station_id = s.id)`.as('checkins')])
    .where('s.status', '=', 'open');
  if (f.service) q = q.where(sql<boolean>`${f.service} = any(s.services)`);
  if (f.kind) q = q.where('s.kind', '=', f.kind as StationKind);
  const near = f.lat != null && f.lng != null;
  const distance = sql<number>`6371 * 2 * asin(sqrt(power(sin(radians(s.lat - ${f.lat ?? 0}) / 2), 2) + cos(radians(${f.lat ?? 0})) * cos(radians(s.lat)) * power(sin(radians(s.lng - ${f.lng ?? 0}) / 2), 2)))`;
  const ordered = near ? q.select(distance.as('distance_km')).orderBy(distance) : q.select(sql<number>`null`.as('distance_km')).orderBy('s.id');
  const res = await paginate(ordered, page);
  return {
    ...res,
    items: res.items.map((s) => ({
      id: s.id, name: s.name, kind: s.kind, kindName: kindName(s.kind), lat: s.lat, lng: s.lng, address: s.address,
      openingHours: s.opening_hours, services: s.services, serviceNames: serviceNames(s.services),
      ownerUnit: s.owner_name, checkins: Number(s.checkins), distanceKm: s.distance_km == null ? null : Math.round(Number(s.distance_km) * 100) / 100,
    })),
  };
}

/** Counts a use of an open station once per visitor per (Shanghai) day (feeds the cockpit and the statistics). */
export async function checkIn(db: Db, stationId: number, visitor: string, day = shanghaiDay()) {
  const s = await db.selectFrom('stations').select('id').where('id', '=', stationId).where('status', '=', 'open').executeTakeFirst();
  if (!s) throw notFound();
  await db.insertInto('station_checkins').values({ station_id: stationId, day, visitor }).onConflict((oc) => oc.doNothing()).execute();
  const n = await db.selectFrom('station_checkins').select(sql<number>`count(*)`.as('n')).where('station_id', '=', stationId).executeTakeFirst();
  return { stationId, checkins: Number(n?.n ?? 0) };
}

/** Convenience-station use in a scope (check-ins today and in all, closed stations' history included), for the cockpit's service panel. */
export async function stationUse(db: Executor, scopePath: string) {
  const today = shanghaiDay();
  const row = await db.selectFrom('station_checkins as k').innerJoin('stations as s', 's.id', 'k.station_id').innerJoin('regions as r', 'r.id', 's.region_id')
    .select([sql<number>`count(*)`.as('total'), sql<number>`count(*) filter (where k.day = ${today})`.as('today')])
    .where(underPath('r.path', scopePath)).executeTakeFirst();
  return { checkinsToday: Number(row?.today ?? 0), checkinsTotal: Number(row?.total ?? 0) };
}

import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { underPath } from '../../core/scope.js';
import { managedStation, stationCommunity, stationsInScope } from './stations-policy.js';
import { kindName, serviceNames, shanghaiDay } from './stations.js';
import type { StationKind, StationService, StationStatus } from './stations-tables.js';

/** The console's convenience stations: the list in the caller's scope (closed ones too), create, edit, close and reopen. */

export interface StationFilter { q?: string; kind?: StationKind; status?: StationStatus; service?: StationService; regionId?: number; from?: string; to?: string }

/** Longest period the list counts check-ins over. */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86400_000;

/** The period the list counts check-ins over: whole Shanghai days, the last 30 by default. */
export function checkinPeriod(f: { from?: string; to?: string }, now = new Date()) {
  const to = f.to ?? shanghaiDay(now);
  const from = f.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  if (days < 1) throw fieldError('to', 'ends_before_start');
  if (days > MAX_PERIOD_DAYS) throw fieldError('to', 'range_too_long', { max: MAX_PERIOD_DAYS });
  return { from, to };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Stations in the caller's scope matching the filter, with their community, street, owner unit and check-in counts (in the period and in all). */
export async function managedStationQuery(db: Executor, auth: AuthContext, f: StationFilter, period: { from: string; to: string }) {
  let q = db.selectFrom('stations as s').innerJoin('regions as r', 'r.id', 's.region_id').leftJoin('regions as st', 'st.id', 'r.parent_id')
    .leftJoin('alliance_units as u', 'u.id', 's.owner_unit_id')
    .select(['s.id', 's.name', 's.kind', 's.status', 's.closed_reason', 's.closed_at', 's.region_id', 'r.name as community_name', 'st.name as street_name',
      's.address', 's.lat', 's.lng', 's.opening_hours', 's.services', 's.owner_unit_id', 'u.name as owner_name', 's.contact_name', 's.contact_phone',
      's.description', 's.created_at', 's.updated_at',
      sql<number>`(select count(*) from station_checkins k where k.station_id = s.id and k.day between ${period.from} and ${period.to})`.as('checkins'),
      sql<number>`(select count(*) from station_checkins k where k.station_id = s.id)`.as('checkins_total')])
    .where(stationsInScope(auth));
  if (f.q) q = q.where((eb) => eb.or([eb('s.name', 'like', `%${escapeLike(f.q!)}%`), eb('s.address', 'like', `%${escapeLike(f.q!)}%`)]));
  if (f.kind) q = q.where('s.kind', '=', f.kind);
  if (f.status) q = q.where('s.status', '=', f.status);
  if (f.service) q = q.where(sql<boolean>`${f.service} = any(s.services)`);
  if (f.regionId != null) {
    // A street or community to narrow to; one outside the scope simply matches nothing (the scope filter above still holds).
    const region = await db.selectFrom('regions').select('path').where('id', '=', f.regionId).executeTakeFirst();
    q = region ? q.where(underPath('r.path', region.path)) : q.where(sql<boolean>`false`);
  }
  return q.orderBy(sql`case s.status when 'open' then 0 else 1 end`).orderBy('r.path').orderBy('s.id');
}

type ManagedRow = Awaited<ReturnType<Awaited<ReturnType<typeof managedStationQuery>>['execute']>>[number];

export function presentManaged(s: ManagedRow) {
  return {
    id: s.id, name: s.name, kind: s.kind, kindName: kindName(s.kind), status: s.status, closedReason: s.closed_reason, closedAt: s.closed_at,
    regionId: s.region_id!, communityName: s.community_name, streetName: s.street_name, address: s.address, lat: s.lat, lng: s.lng,
    openingHours: s.opening_hours, services: s.services, serviceNames: serviceNames(s.services), ownerUnitId: s.owner_unit_id, ownerUnit: s.owner_name,
    contactName: s.contact_name, contactPhone: s.contact_phone, description: s.description,
    checkins: Number(s.checkins), checkinsTotal: Number(s.checkins_total), createdAt: s.created_at, updatedAt: s.updated_at,
  };
}

export async function listManagedStations(db: Db, auth: AuthContext, f: StationFilter, page: PageQuery) {
  const period = checkinPeriod(f);
  const res = await paginate(await managedStationQuery(db, auth, f, period), page);
  return { ...res, items: res.items.map(presentManaged), ...period };
}

export interface StationInput {
  name?: string; kind?: StationKind; regionId?: number; address?: string; lat?: number; lng?: number; openingHours?: string; services?: StationService[];
  ownerUnitId?: number | null; contactName?: string | null; contactPhone?: string | null; description?: string | null;
}
export type NewStation = StationInput & Required<Pick<StationInput, 'name' | 'kind' | 'regionId' | 'address' | 'lat' | 'lng' | 'openingHours' | 'services'>>;

/** The unit that runs a station: a verified alliance unit (the roster is public, so any in the district). */
export async function checkOwnerUnit(db: Executor, field: string, id: number | null | undefined) {
  if (id == null) return;
  const u = await db.selectFrom('alliance_units').select('status').where('id', '=', id).executeTakeFirst();
  if (u?.status !== 'verified') throw fieldError(field, 'no_such_unit');
}

/** One name per community (a unique index holds it too; this check names the field before the database has to). */
async function checkNameFree(db: Executor, regionId: number, name: string, exceptId?: number) {
  let q = db.selectFrom('stations').select('id').where('region_id', '=', regionId).where('name', '=', name);
  if (exceptId != null) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw fieldError('name', 'taken', undefined, 409);
}

export async function createStation(db: Db, auth: AuthContext, actor: Actor, b: NewStation) {
  return db.transaction().execute(async (tx) => {
    const community = await stationCommunity(tx, auth, 'regionId', b.regionId);
    await checkOwnerUnit(tx, 'ownerUnitId', b.ownerUnitId);
    await checkNameFree(tx, community.id, b.name);
    const row = await tx.insertInto('stations').values({
      name: b.name, kind: b.kind, region_id: community.id, address: b.address, lat: b.lat, lng: b.lng, opening_hours: b.openingHours, services: b.services,
      owner_unit_id: b.ownerUnitId ?? null, contact_name: b.contactName ?? null, contact_phone: b.contactPhone ?? null, description: b.description ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'station.create', targetType: 'station', targetId: row.id, summary: { name: b.name, kind: b.kind, regionId: community.id } });
    return { id: row.id };
  });
}

const COLUMNS = {
  name: 'name', kind: 'kind', address: 'address', lat: 'lat', lng: 'lng', openingHours: 'opening_hours', services: 'services',
  ownerUnitId: 'owner_unit_id', contactName: 'contact_name', contactPhone: 'contact_phone', description: 'description',
} as const;

/** The columns an edit sets (region, when moved, is checked by the caller). */
export function stationChanges(b: StationInput) {
  const set: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(COLUMNS)) if (b[k as keyof typeof COLUMNS] !== undefined) set[col] = b[k as keyof typeof COLUMNS];
  return set;
}

/** Edits a station in the caller's scope; moving it to another community needs that one in scope too. Opening and closing have their own routes. */
export async function updateStation(db: Db, auth: AuthContext, actor: Actor, id: number, b: StationInput) {
  return db.transaction().execute(async (tx) => {
    const s = await managedStation(tx, auth, id);
    const set: Record<string, unknown> = { ...stationChanges(b), updated_at: new Date() };
    let regionId = s.region_id!;
    if (b.regionId !== undefined && b.regionId !== regionId) regionId = set.region_id = (await stationCommunity(tx, auth, 'regionId', b.regionId)).id;
    await checkOwnerUnit(tx, 'ownerUnitId', b.ownerUnitId);
    if (b.name !== undefined || regionId !== s.region_id) await checkNameFree(tx, regionId, b.name ?? s.name, id);
    await tx.updateTable('stations').set(set).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'station.update', targetType: 'station', targetId: id, summary: { name: b.name ?? s.name, changed: Object.keys(b) } });
    return { id };
  });
}

const stateOf = (s: { id: number; status: string; closed_reason: string | null; closed_at: Date | null }) =>
  ({ id: s.id, status: s.status, closedReason: s.closed_reason, closedAt: s.closed_at });

/**
 * Closes a station with the reason (it leaves the public map; its check-ins stay in the statistics).
 * Closing a closed station records the new reason and keeps the time it closed.
 */
export async function closeStation(db: Db, auth: AuthContext, actor: Actor, id: number, reason: string) {
  return db.transaction().execute(async (tx) => {
    const s = await managedStation(tx, auth, id);
    const row = await tx.updateTable('stations').set({ status: 'closed', closed_reason: reason, closed_at: sql`coalesce(closed_at, now())`, updated_at: new Date() })
      .where('id', '=', id).returning(['id', 'status', 'closed_reason', 'closed_at']).executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'station.close', targetType: 'station', targetId: id, summary: { name: s.name, reason, wasClosed: s.status === 'closed' } });
    return stateOf(row);
  });
}

/** Reopens a closed station (back on the public map); reopening an open station changes nothing. */
export async function reopenStation(db: Db, auth: AuthContext, actor: Actor, id: number) {
  return db.transaction().execute(async (tx) => {
    const s = await managedStation(tx, auth, id);
    if (s.status === 'open') return stateOf(s);
    const row = await tx.updateTable('stations').set({ status: 'open', closed_reason: null, closed_at: null, updated_at: new Date() })
      .where('id', '=', id).returning(['id', 'status', 'closed_reason', 'closed_at']).executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'station.reopen', targetType: 'station', targetId: id, summary: { name: s.name, closedReason: s.closed_reason } });
    return stateOf(row);
  });
}

import { randomBytes } from 'node:crypto';
import { sql, type SqlBool } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope, regionFieldInScope, underPath } from '../../core/scope.js';
import { photosOf } from './position-photos.js';
import { isPositionStaff } from './policy.js';
import { LIVE_STATUSES, type PositionLevel, type RoomKind, type WhoMayBook } from './positions-tables.js';

/** Service positions (1+1+N) and their function rooms: the public list, a room's free slots, and the console's CRUD. */

// ---- Asia/Shanghai days (UTC+8 all year: no daylight saving since 1991)
const SHANGHAI_MS = 8 * 3600_000;
/** The instant a Shanghai calendar day starts. */
export const shanghaiDayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS);
/** The Shanghai calendar day of an instant. */
export const shanghaiDate = (at: Date) => new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
/** Minutes after Shanghai midnight of an instant. */
export const shanghaiMinutes = (at: Date) => Math.floor(((at.getTime() + SHANGHAI_MS) % 86400_000 + 86400_000) % 86400_000 / 60_000);
const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
export const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

export const newCheckinCode = () => randomBytes(12).toString('base64url');

/** The worker roles that may be on duty at a position. */
const STAFF_ROLES = ['street_worker', 'community_worker', 'grid_worker', 'property_staff'];

const LEVEL_OF_REGION: Record<string, PositionLevel> = { street: 'street', community: 'community', compound: 'compound' };

const rulesOf = (r: { who_may_book: string; advance_days: number; max_minutes: number; needs_approval: boolean }) => ({
  whoMayBook: r.who_may_book, advanceDays: r.advance_days, maxMinutes: r.max_minutes, needsApproval: r.needs_approval,
});

async function roomsOf(db: Executor, positionIds: number[], activeOnly: boolean) {
  if (!positionIds.length) return [];
  let q = db.selectFrom('function_rooms').select(['id', 'position_id', 'name', 'kind', 'capacity', 'equipment', 'who_may_book', 'advance_days', 'max_minutes', 'needs_approval', 'active'])
    .where('position_id', 'in', positionIds).orderBy('sort').orderBy('id');
  if (activeOnly) q = q.where('active', '=', true);
  return (await q.execute()).map((r) => ({
    id: r.id, positionId: r.position_id, name: r.name, kind: r.kind, capacity: r.capacity, equipment: r.equipment, rules: rulesOf(r), active: r.active,
  }));
}

export interface PositionFilter { level?: PositionLevel; regionId?: number; q?: string }

/** The public list of open positions with their rooms (no staff, no check-in codes). */
export async function listPositions(db: Db, f: PositionFilter, page: PageQuery) {
  let qb = db.selectFrom('service_positions as p').innerJoin('regions as g', 'g.id', 'p.region_id')
    .select(['p.id', 'p.level', 'p.name', 'p.region_id', 'g.name as region_name', 'p.address', 'p.lat', 'p.lng', 'p.hours', 'p.opens_min', 'p.closes_min', 'p.description'])
    .where('p.active', '=', true)
    .orderBy(sql`case p.level when 'street' then 0 when 'community' then 1 else 2 end`).orderBy('p.region_path').orderBy('p.id');
  if (f.level) qb = qb.where('p.level', '=', f.level);
  if (f.q) qb = qb.where('p.name', 'like', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.regionId != null) {
    const region = await db.selectFrom('regions').select('path').where('id', '=', f.regionId).executeTakeFirst();
    if (!region) return { items: [], total: 0, page: page.page, pageSize: page.pageSize };
    qb = qb.where(underPath('p.region_path', region.path));
  }
  const res = await paginate(qb, page);
  const ids = res.items.map((p) => p.id);
  const [rooms, photos] = await Promise.all([roomsOf(db, ids, true), photosOf(db, ids)]);
  return { ...res, items: res.items.map((p) => presentPosition(p, rooms.filter((r) => r.positionId === p.id), photos.get(p.id))) };
}

/**
 * The console's list: positions in the caller's scope (the staff relation of policy.ts, applied in the
 * query), active or not, with all their rooms; the public list above shows open ones only.
 */
export async function listManagedPositions(db: Db, auth: AuthContext, f: Omit<PositionFilter, 'regionId'> & { active?: boolean }, page: PageQuery) {
  let qb = db.selectFrom('service_positions as p').innerJoin('regions as g', 'g.id', 'p.region_id')
    .select(['p.id', 'p.level', 'p.name', 'p.region_id', 'g.name as region_name', 'p.address', 'p.lat', 'p.lng', 'p.hours', 'p.opens_min', 'p.closes_min', 'p.description', 'p.active'])
    .where(positionsInScope(auth))
    .orderBy(sql`case p.level when 'street' then 0 when 'community' then 1 else 2 end`).orderBy('p.region_path').orderBy('p.id');
  if (f.level) qb = qb.where('p.level', '=', f.level);
  if (f.active != null) qb = qb.where('p.active', '=', f.active);
  if (f.q) qb = qb.where('p.name', 'like', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const res = await paginate(qb, page);
  const ids = res.items.map((p) => p.id);
  const [rooms, photos] = await Promise.all([roomsOf(db, ids, false), photosOf(db, ids)]);
  return { ...res, items: res.items.map((p) => ({ ...presentPosition(p, rooms.filter((r) => r.positionId === p.id), photos.get(p.id)), active: p.active })) };
}

function presentPosition(p: {
  id: number; level: string; name: string; region_id: number; region_name: string; address: string; lat: number | null; lng: number | null; hours: string;
  opens_min: number; closes_min: number; description: string | null;
}, rooms: Awaited<ReturnType<typeof roomsOf>>, photos: { id: number; url: string; thumbUrl: string }[] = []) {
  return {
    id: p.id, level: p.level, name: p.name, regionId: p.region_id, regionName: p.region_name, address: p.address, lat: p.lat, lng: p.lng, hours: p.hours,
    opensAt: hhmm(p.opens_min), closesAt: hhmm(p.closes_min), description: p.description, rooms, photos,
  };
}

async function loadPosition(db: Executor, id: number) {
  return db.selectFrom('service_positions as p').innerJoin('regions as g', 'g.id', 'p.region_id')
    .select(['p.id', 'p.level', 'p.name', 'p.region_id', 'p.region_path', 'g.name as region_name', 'p.address', 'p.lat', 'p.lng', 'p.hours', 'p.opens_min', 'p.closes_min', 'p.description', 'p.active'])
    .where('p.id', '=', id).executeTakeFirst();
}

/** A position the caller manages: 404 when missing, 403 when outside the caller's scope. */
async function managedPosition(db: Executor, auth: AuthContext, id: number) {
  const p = await loadPosition(db, id);
  if (!p) throw notFound();
  if (!isPositionStaff(auth, p.region_path)) throw outOfScope();
  return p;
}

/** The console's view of a position: rooms with their rules (inactive ones too) and the staff on duty. */
export async function getPosition(db: Db, auth: AuthContext, id: number) {
  const p = await managedPosition(db, auth, id);
  const staff = await db.selectFrom('position_staff as s').innerJoin('accounts as a', 'a.id', 's.account_id')
    .select(['a.id', 'a.display_name']).where('s.position_id', '=', id).orderBy('a.id').execute();
  const [rooms, photos] = await Promise.all([roomsOf(db, [id], false), photosOf(db, [id])]);
  return { ...presentPosition(p, rooms, photos.get(id)), active: p.active, staff: staff.map((s) => ({ id: s.id, name: s.display_name })) };
}

export interface PositionInput {
  name?: string; regionId?: number; address?: string; lat?: number | null; lng?: number | null; hours?: string; opensAt?: string; closesAt?: string;
  description?: string | null; staffAccountIds?: number[]; active?: boolean;
}

/**
 * Who may be on duty at a position: active worker accounts inside the caller's scope (so no one is
 * listed at a position they cannot see) whose own scope is on the position's line — inside its
 * region, or the community/street above it (a community's workers staff its compound stations too).
 */
function staffCandidateQuery(db: Executor, auth: AuthContext, positionPath: string) {
  return db.selectFrom('accounts as a').innerJoin('regions as g', 'g.id', 'a.scope_region_id')
    .select(['a.id', 'a.display_name', 'g.name as region_name'])
    .where('a.active', '=', true).where(inScope(auth, 'g.path'))
    // region paths are ids and slashes, so `like` needs no escaping (as in core/scope.ts underPath)
    .where((eb) => eb.or([underPath('g.path', positionPath), sql<SqlBool>`${positionPath} like g.path || '%'`]))
    .where((eb) => eb.exists(eb.selectFrom('account_roles as r').select('r.account_id').whereRef('r.account_id', '=', 'a.id').where('r.role_code', 'in', STAFF_ROLES)));
}

/** The accounts the console offers for a position's staff on duty. */
export async function staffCandidates(db: Db, auth: AuthContext, id: number) {
  const p = await managedPosition(db, auth, id);
  const rows = await staffCandidateQuery(db, auth, p.region_path).orderBy('g.path').orderBy('a.id').limit(500).execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.display_name, regionName: r.region_name })) };
}

/** Replaces the staff on duty; every account must be a candidate (staffCandidateQuery). */
async function setStaff(tx: Executor, auth: AuthContext, positionId: number, positionPath: string, ids: number[]) {
  const unique = [...new Set(ids)];
  if (unique.length) {
    const rows = await staffCandidateQuery(tx, auth, positionPath).where('a.id', 'in', unique).execute();
    if (rows.length !== unique.length) throw fieldError('staffAccountIds', 'not_staff_candidate');
  }
  await tx.deleteFrom('position_staff').where('position_id', '=', positionId).execute();
  if (unique.length) await tx.insertInto('position_staff').values(unique.map((account_id) => ({ position_id: positionId, account_id }))).execute();
}

function hoursOf(b: PositionInput, current?: { opens_min: number; closes_min: number }) {
  const opens = b.opensAt != null ? minutesOf(b.opensAt) : current?.opens_min ?? 510;
  const closes = b.closesAt != null ? (b.closesAt === '24:00' ? 1440 : minutesOf(b.closesAt)) : current?.closes_min ?? 1230;
  if (opens >= 1440) throw fieldError('opensAt', 'invalid_format');
  if (closes <= opens) throw fieldError('closesAt', 'closes_before_opens');
  return { opens_min: opens, closes_min: closes };
}

export async function createPosition(db: Db, auth: AuthContext, actor: Actor, b: PositionInput & { level: PositionLevel; name: string; regionId: number; address: string }) {
  return db.transaction().execute(async (tx) => {
    const region = await regionFieldInScope(tx, auth, 'regionId', b.regionId);
    if (LEVEL_OF_REGION[region.level] !== b.level) throw fieldError('regionId', 'position_level_mismatch', { level: b.level });
    const row = await tx.insertInto('service_positions').values({
      level: b.level, name: b.name, region_id: region.id, region_path: region.path, address: b.address, lat: b.lat ?? null, lng: b.lng ?? null,
      hours: b.hours ?? '', ...hoursOf(b), description: b.description ?? null, active: b.active ?? true,
    }).returning('id').executeTakeFirstOrThrow();
    if (b.staffAccountIds) await setStaff(tx, auth, row.id, region.path, b.staffAccountIds);
    await appendAudit(tx, actor, { action: 'position.create', targetType: 'service_position', targetId: row.id, summary: { name: b.name, level: b.level, regionId: region.id } });
    return { id: row.id };
  });
}

export async function updatePosition(db: Db, auth: AuthContext, actor: Actor, id: number, b: PositionInput) {
  return db.transaction().execute(async (tx) => {
    const p = await managedPosition(tx, auth, id);
    const cur = await tx.selectFrom('service_positions').select(['opens_min', 'closes_min']).where('id', '=', id).executeTakeFirstOrThrow();
    const set: Record<string, unknown> = { updated_at: new Date() };
    for (const [k, col] of [['name', 'name'], ['address', 'address'], ['lat', 'lat'], ['lng', 'lng'], ['hours', 'hours'], ['description', 'description'], ['active', 'active']] as const) {
      if (b[k] !== undefined) set[col] = b[k];
    }
    if (b.opensAt != null || b.closesAt != null) Object.assign(set, hoursOf(b, cur));
    await tx.updateTable('service_positions').set(set).where('id', '=', id).execute();
    if (b.staffAccountIds) await setStaff(tx, auth, id, p.region_path, b.staffAccountIds);
    await appendAudit(tx, actor, { action: 'position.update', targetType: 'service_position', targetId: id, summary: { name: p.name, changed: Object.keys(b), ...(b.staffAccountIds && { staffAccountIds: [...new Set(b.staffAccountIds)] }) } });
    return { id };
  });
}

export interface RoomInput {
  name?: string; kind?: RoomKind; capacity?: number; equipment?: string[]; whoMayBook?: WhoMayBook; advanceDays?: number; maxMinutes?: number;
  needsApproval?: boolean; active?: boolean; rotateCode?: boolean;
}

export async function createRoom(db: Db, auth: AuthContext, actor: Actor, positionId: number, b: RoomInput & { name: string; kind: RoomKind; capacity: number }) {
  return db.transaction().execute(async (tx) => {
    await managedPosition(tx, auth, positionId);
    const row = await tx.insertInto('function_rooms').values({
      position_id: positionId, name: b.name, kind: b.kind, capacity: b.capacity, equipment: b.equipment ?? [], who_may_book: b.whoMayBook ?? 'any_resident',
      advance_days: b.advanceDays ?? 14, max_minutes: b.maxMinutes ?? 120, needs_approval: b.needsApproval ?? false, active: b.active ?? true, checkin_code: newCheckinCode(),
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'room.create', targetType: 'function_room', targetId: row.id, summary: { positionId, name: b.name } });
    return { id: row.id };
  });
}

/** A room with its position's scope facts. */
export async function loadRoom(db: Executor, id: number) {
  return db.selectFrom('function_rooms as r').innerJoin('service_positions as p', 'p.id', 'r.position_id')
    .select(['r.id', 'r.position_id', 'r.name', 'r.kind', 'r.capacity', 'r.who_may_book', 'r.advance_days', 'r.max_minutes', 'r.needs_approval', 'r.checkin_code', 'r.active',
      'p.region_path as position_path', 'p.active as position_active', 'p.name as position_name', 'p.opens_min', 'p.closes_min'])
    .where('r.id', '=', id).executeTakeFirst();
}

async function managedRoom(db: Executor, auth: AuthContext, id: number) {
  const r = await loadRoom(db, id);
  if (!r) throw notFound();
  if (!isPositionStaff(auth, r.position_path)) throw outOfScope();
  return r;
}

export async function updateRoom(db: Db, auth: AuthContext, actor: Actor, id: number, b: RoomInput) {
  return db.transaction().execute(async (tx) => {
    const r = await managedRoom(tx, auth, id);
    const set: Record<string, unknown> = { updated_at: new Date() };
    const cols = { name: 'name', kind: 'kind', capacity: 'capacity', equipment: 'equipment', whoMayBook: 'who_may_book', advanceDays: 'advance_days', maxMinutes: 'max_minutes', needsApproval: 'needs_approval', active: 'active' } as const;
    for (const [k, col] of Object.entries(cols)) if (b[k as keyof typeof cols] !== undefined) set[col] = b[k as keyof typeof cols];
    if (b.rotateCode) set.checkin_code = newCheckinCode();
    await tx.updateTable('function_rooms').set(set).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'room.update', targetType: 'function_room', targetId: id, summary: { name: r.name, changed: Object.keys(b) } });
    return { id };
  });
}

/** The room's door code for its QR sign: staff of the position only. */
export async function roomCheckinCode(db: Db, auth: AuthContext, id: number) {
  const r = await managedRoom(db, auth, id);
  return { roomId: r.id, name: r.name, positionName: r.position_name, code: r.checkin_code };
}

/** A room's bookable day (Asia/Shanghai): 30-minute slots from opening to closing, with the live bookings that hold it. */
export async function roomSlots(db: Db, id: number, date: string, now = new Date()) {
  const r = await loadRoom(db, id);
  if (!r || !r.active || !r.position_active) throw notFound();
  const day = shanghaiDayStart(date);
  const from = new Date(day.getTime() + r.opens_min * 60_000), to = new Date(day.getTime() + r.closes_min * 60_000);
  const busy = await db.selectFrom('room_bookings').select(['starts_at', 'ends_at', 'status'])
    .where('room_id', '=', id).where('status', 'in', LIVE_STATUSES).where('starts_at', '<', to).where('ends_at', '>', from).orderBy('starts_at').execute();
  const slots = [];
  for (let t = from.getTime(); t < to.getTime(); t += 30 * 60_000) {
    const s = new Date(t), e = new Date(Math.min(t + 30 * 60_000, to.getTime()));
    const taken = busy.some((b) => b.starts_at < e && b.ends_at > s);
    slots.push({ startsAt: s, endsAt: e, free: !taken && s > now });
  }
  return {
    roomId: r.id, date, opensAt: hhmm(r.opens_min), closesAt: hhmm(r.closes_min), rules: rulesOf(r),
    busy: busy.map((b) => ({ startsAt: b.starts_at, endsAt: b.ends_at, status: b.status })), slots,
  };
}

/** Positions in the caller's scope (for the console's filters and statistics). */
export const positionsInScope = (auth: AuthContext) => inScope(auth, 'p.region_path');

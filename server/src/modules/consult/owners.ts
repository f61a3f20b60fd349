import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import type { PageQuery } from '../../core/paging.js';
import { paginate } from '../../core/paging.js';
import { inScope, isInScope, regionInScope, underPath } from '../../core/scope.js';
import type { RegisterRoom } from './tally.js';
import { setRoomAreas } from '../regions/service.js';

export type AreaSource = 'registry' | 'survey' | 'contract';
export const AREA_SOURCE_NAMES: Record<AreaSource, string> = { registry: '不动产登记', survey: '测绘', contract: '购房合同' };

/** Area in m² (2 decimals) ↔ integer 0.01 m². */
export const toCenti = (m2: number) => Math.round(Number(m2) * 100);

/** Rooms under a scope region with owners and register data, in region order. */
export function ownerRoomsQuery(db: Executor, path: string) {
  return db.selectFrom('regions as r').leftJoin('room_register as g', 'g.room_id', 'r.id')
    .select(['r.id as roomId', 'r.name as roomName', 'r.floor', 'r.area', 'r.path', 'g.area_source', 'g.unsold_developer_unit'])
    .where('r.level', '=', 'room').where(underPath('r.path', path));
}

async function ownersOf(db: Executor, roomIds: number[]) {
  const rows = roomIds.length ? await db.selectFrom('room_owners').select(['room_id', 'person_id', 'casts_vote']).where('room_id', 'in', roomIds).orderBy('person_id').execute() : [];
  const m = new Map<number, { ids: number[]; holder: number | null }>();
  for (const r of rows) {
    const e = m.get(r.room_id) ?? { ids: [], holder: null };
    e.ids.push(r.person_id);
    if (r.casts_vote) e.holder = r.person_id;
    m.set(r.room_id, e);
  }
  return m;
}

/** GET /api/owners: every room of a scope with its area, owners and whether it is an unsold developer unit. */
export async function listOwners(db: Db, auth: AuthContext, regionId: number, page: PageQuery) {
  const region = await regionInScope(db, auth, regionId);
  // The room's unit and building, so that two "101室" of one building are told apart.
  const res = await paginate(ownerRoomsQuery(db, region.path).leftJoin('regions as u', 'u.id', 'r.parent_id').leftJoin('regions as b', 'b.id', 'u.parent_id')
    .select(['u.name as parent_name', 'u.level as parent_level', 'b.name as grandparent_name']).orderBy('r.path'), page);
  const owners = await ownersOf(db, res.items.map((r) => r.roomId));
  return {
    ...res,
    items: res.items.map((r) => ({
      roomId: r.roomId, roomName: r.roomName, floor: r.floor, area: r.area == null ? null : Number(r.area),
      unitName: r.parent_level === 'unit' ? r.parent_name : null, buildingName: r.parent_level === 'unit' ? r.grandparent_name : r.parent_level === 'building' ? r.parent_name : null,
      areaSource: (r.area_source ?? 'registry') as AreaSource, ownerPersonIds: owners.get(r.roomId)?.ids ?? [],
      voteHolderPersonId: owners.get(r.roomId)?.holder ?? null, unsoldDeveloperUnit: !!r.unsold_developer_unit,
    })),
  };
}

/** The register of a scope as the tally reads it. */
export async function registerOf(db: Executor, path: string): Promise<(RegisterRoom & { holder: number | null })[]> {
  const rooms = await ownerRoomsQuery(db, path).orderBy('r.path').execute();
  const owners = await ownersOf(db, rooms.map((r) => r.roomId));
  return rooms.filter((r) => r.area != null).map((r) => ({
    roomId: r.roomId, areaCenti: toCenti(r.area!), ownerIds: owners.get(r.roomId)?.ids ?? [],
    unsoldDeveloperUnit: !!r.unsold_developer_unit, holder: owners.get(r.roomId)?.holder ?? null,
  }));
}

export interface OwnerInput { ownerPersonIds: number[]; voteHolderPersonId?: number | null; area?: number; areaSource?: AreaSource; unsoldDeveloperUnit?: boolean }

/** Writes one room's register entry (owners, vote holder, area and its source, developer flag) in the caller's transaction. */
export async function writeRoomRegister(tx: Executor, roomId: number, input: OwnerInput) {
  if (input.unsoldDeveloperUnit && input.ownerPersonIds.length) throw fieldError('ownerPersonIds', 'developer_unit_has_owners');
  const holder = input.voteHolderPersonId ?? input.ownerPersonIds[0] ?? null;
  if (holder != null && !input.ownerPersonIds.includes(holder)) throw fieldError('voteHolderPersonId', 'holder_not_owner');
  if (input.ownerPersonIds.length) {
    const found = await tx.selectFrom('persons').select('id').where('id', 'in', input.ownerPersonIds).execute();
    if (found.length !== new Set(input.ownerPersonIds).size) throw fieldError('ownerPersonIds', 'no_such_person');
  }
  await tx.deleteFrom('room_owners').where('room_id', '=', roomId).execute();
  if (input.ownerPersonIds.length) {
    await tx.insertInto('room_owners').values([...new Set(input.ownerPersonIds)].map((person_id) => ({ room_id: roomId, person_id, casts_vote: person_id === holder }))).execute();
  }
  await tx.insertInto('room_register').values({ room_id: roomId, area_source: input.areaSource ?? 'registry', unsold_developer_unit: !!input.unsoldDeveloperUnit })
    .onConflict((oc) => oc.column('room_id').doUpdateSet({ area_source: input.areaSource ?? 'registry', unsold_developer_unit: !!input.unsoldDeveloperUnit, updated_at: new Date() }))
    .execute();
  if (input.area !== undefined) await setRoomAreas(tx, [{ roomId, area: input.area }]);
}

export async function updateRoomOwners(db: Db, auth: AuthContext, actor: Actor, roomId: number, input: OwnerInput) {
  return db.transaction().execute(async (tx) => {
    const room = await tx.selectFrom('regions').select(['id', 'level', 'path']).where('id', '=', roomId).executeTakeFirst();
    if (!room || room.level !== 'room') throw notFound();
    if (!isInScope(auth, room.path)) throw outOfScope();
    // Owners come from the caller's own registry: a person outside the scope is "no such person" (no existence oracle).
    if (input.ownerPersonIds.length) {
      const found = await tx.selectFrom('persons').select('id').where('id', 'in', input.ownerPersonIds).where(inScope(auth, 'region_path')).execute();
      if (found.length !== new Set(input.ownerPersonIds).size) throw fieldError('ownerPersonIds', 'no_such_person');
    }
    await writeRoomRegister(tx, roomId, input);
    await appendAudit(tx, actor, { action: 'owners.update', targetType: 'room', targetId: roomId, summary: { ...input } });
    return { roomId, ...input, voteHolderPersonId: input.voteHolderPersonId ?? input.ownerPersonIds[0] ?? null };
  });
}

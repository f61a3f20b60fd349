import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Actor } from '../../core/audit.js';
import { appendAudit } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError } from '../../core/errors.js';
import { inScope, regionInScope, underPath } from '../../core/scope.js';
import { REGION_LEVELS, type Region, type RegionLevel } from '../../core/schema.js';
import type { PageQuery } from '../../core/paging.js';
import { paginate } from '../../core/paging.js';

export const LEVEL_NAMES: Record<RegionLevel, string> = {
  district: '区', street: '街道', community: '社区', compound: '小区', building: '楼栋', unit: '单元', room: '房屋',
};

export const childLevel = (level: RegionLevel): RegionLevel | null => REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1] ?? null;

export function presentRegion(r: Region & { child_count?: number | null }) {
  return {
    id: r.id, parentId: r.parent_id, level: r.level, code: r.code, name: r.name,
    floor: r.floor, area: r.area == null ? null : Number(r.area),
    ...(r.child_count != null ? { childCount: Number(r.child_count) } : {}),
  };
}

const childCount = sql<number>`(select count(*) from regions c where c.parent_id = regions.id)`;

export interface TreeNode extends ReturnType<typeof presentRegion> { children: TreeNode[] }

/** The caller's scope subtree down to `maxLevel` (rooms would be far too many for one tree). */
export async function regionTree(db: Db, auth: AuthContext, maxLevel: RegionLevel): Promise<TreeNode[]> {
  const levels = REGION_LEVELS.slice(0, REGION_LEVELS.indexOf(maxLevel) + 1);
  const rows = await db.selectFrom('regions').selectAll().select(childCount.as('child_count'))
    .where(inScope(auth, 'path')).where('level', 'in', levels)
    .orderBy('sort').orderBy('id').execute();
  const nodes = new Map<number, TreeNode>();
  for (const r of rows) nodes.set(r.id, { ...presentRegion(r), children: [] });
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId != null ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n); else roots.push(n);
  }
  return roots;
}

export async function regionChildren(db: Db, auth: AuthContext, id: number, page: PageQuery) {
  await regionInScope(db, auth, id);
  const res = await paginate(db.selectFrom('regions').selectAll().select(childCount.as('child_count'))
    .where('parent_id', '=', id).orderBy('sort').orderBy('id'), page);
  return { ...res, items: res.items.map(presentRegion) };
}

/** One region with its ancestors (for breadcrumbs) and subtree counts. */
export async function regionDetail(db: Db, auth: AuthContext, id: number) {
  const region = await regionInScope(db, auth, id);
  const ids = region.path.split('/').filter(Boolean).map(Number);
  const ancestors = await db.selectFrom('regions').selectAll().where('id', 'in', ids).execute();
  ancestors.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const counts = await subtreeCounts(db, region.path);
  return { ...presentRegion(region), ancestors: ancestors.filter((a) => a.id !== id).map(presentRegion), counts };
}

/** Regions under a path, counted by level (the root path needs no filter). */
export async function regionLevelCounts(db: Executor, path: string) {
  const q = db.selectFrom('regions').select(['level', sql<number>`count(*)`.as('n')]).where(underPath('path', path)).groupBy('level');
  const byLevel = Object.fromEntries((await q.execute()).map((l) => [l.level, Number(l.n)]));
  return {
    streets: byLevel.street ?? 0, communities: byLevel.community ?? 0, compounds: byLevel.compound ?? 0,
    buildings: byLevel.building ?? 0, rooms: byLevel.room ?? 0,
  };
}

export async function subtreeCounts(db: Executor, path: string) {
  const count = async (table: 'persons' | 'households') => {
    const q = db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where(underPath('region_path', path));
    return Number((await q.executeTakeFirst())?.n ?? 0);
  };
  return { ...(await regionLevelCounts(db, path)), households: await count('households'), residents: await count('persons') };
}

export interface NewRegionInput { parentId: number; name: string; code: string; floor?: number | null; area?: number | null; sort?: number }

export async function createRegion(db: Db, auth: AuthContext, actor: Actor, input: NewRegionInput) {
  return db.transaction().execute(async (tx) => {
    const parent = await regionInScope(tx, auth, input.parentId);
    const level = childLevel(parent.level);
    if (!level) throw fieldError('parentId', 'bad_child_level', { expected: '-' });
    if (level !== 'room' && (input.floor != null || input.area != null)) throw fieldError('area', 'room_only');
    const taken = await tx.selectFrom('regions').select('id').where('code', '=', input.code).executeTakeFirst();
    if (taken) throw fieldError('code', 'taken', undefined, 409);
    const row = await tx.insertInto('regions').values({
      parent_id: parent.id, level, code: input.code, name: input.name, path: '', sort: input.sort ?? 0,
      floor: input.floor ?? null, area: input.area ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    const created = await tx.updateTable('regions').set({ path: `${parent.path}${row.id}/` }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'region.create', targetType: 'region', targetId: row.id, summary: { parentId: parent.id, level, code: input.code, name: input.name } });
    return presentRegion(created);
  });
}

/** The district root of an empty tree (production bootstrap, from the CLI). */
export async function createDistrictRoot(db: Db, actor: Actor, code: string, name: string) {
  return db.transaction().execute(async (tx) => {
    if (await tx.selectFrom('regions').select('id').where('parent_id', 'is', null).executeTakeFirst()) throw new Error('区域树已有根节点 / the region tree already has a root');
    const row = await tx.insertInto('regions').values({ parent_id: null, level: 'district', code, name, path: '' }).returning('id').executeTakeFirstOrThrow();
    const created = await tx.updateTable('regions').set({ path: `/${row.id}/` }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'region.create', targetType: 'region', targetId: row.id, summary: { level: 'district', code, name } });
    return presentRegion(created);
  });
}

export interface RegionPatch { name?: string; floor?: number | null; area?: number | null; sort?: number }

export async function updateRegion(db: Db, auth: AuthContext, actor: Actor, id: number, patch: RegionPatch) {
  return db.transaction().execute(async (tx) => {
    const before = await regionInScope(tx, auth, id);
    if (before.id === auth.scope?.regionId) throw new AppError(403, 'out_of_scope');
    if (before.level !== 'room' && (patch.floor !== undefined || patch.area !== undefined)) throw fieldError('area', 'room_only');
    const after = await tx.updateTable('regions').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const changes = Object.fromEntries(Object.keys(patch).map((k) => [k, { from: (before as any)[k], to: (after as any)[k] }]));
    await appendAudit(tx, actor, { action: 'region.update', targetType: 'region', targetId: id, summary: changes });
    return presentRegion(after);
  });
}

/** "鹿鸣社区 橡树湾 3幢 1单元 301室" for each path, from the community down, in one query. */
export async function addressesOf(db: Executor, paths: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(paths.flatMap((p) => p.split('/').filter(Boolean).map(Number)))];
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('regions').select(['id', 'name', 'level']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const p of paths) {
    const parts = p.split('/').filter(Boolean).map((i) => byId.get(Number(i))).filter((r) => r && r.level !== 'district' && r.level !== 'street');
    out.set(p, parts.map((r) => r!.name).join(' '));
  }
  return out;
}

export async function listGrids(db: Db, auth: AuthContext, communityId: number | undefined, page: PageQuery) {
  let q = db.selectFrom('grids').innerJoin('regions as c', 'c.id', 'grids.community_id')
    .select(['grids.id', 'grids.code', 'grids.name', 'grids.community_id as communityId', 'c.name as communityName',
      sql<number>`(select count(*) from grid_regions gr where gr.grid_id = grids.id)`.as('regionCount')])
    .where(inScope(auth, 'c.path')).orderBy('grids.code');
  if (communityId) q = q.where('grids.community_id', '=', communityId);
  const res = await paginate(q, page);
  const ids = res.items.map((g) => g.id);
  const workers = ids.length
    ? await db.selectFrom('grid_workers as w').innerJoin('accounts as a', 'a.id', 'w.account_id')
      .select(['w.grid_id', 'a.id', 'a.display_name as name']).where('w.grid_id', 'in', ids).orderBy('a.id').execute()
    : [];
  return {
    ...res,
    items: res.items.map((g) => ({
      ...g, regionCount: Number(g.regionCount),
      workers: workers.filter((w) => w.grid_id === g.id).map((w) => ({ accountId: w.id, name: w.name })),
    })),
  };
}

/** Sets rooms' exclusive areas (m², from the owner register) in one statement; the owner register calls this. */
export async function setRoomAreas(tx: Executor, areas: { roomId: number; area: number }[]) {
  if (!areas.length) return;
  const values = sql.join(areas.map((r) => sql`(${r.roomId}::integer, ${r.area}::numeric)`));
  await sql`update regions set area = v.area from (values ${values}) as v (id, area) where regions.id = v.id and regions.level = 'room'`.execute(tx);
}

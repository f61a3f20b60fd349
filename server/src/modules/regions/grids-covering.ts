import type { Executor } from '../../core/db.js';

/**
 * Which grid covers a place, and which grids an account works: grids cover compounds or buildings
 * (grid_regions), so the grid of a room is the grid of its deepest covered ancestor.
 */
export async function gridsCovering(db: Executor, paths: string[]): Promise<Map<string, number | null>> {
  const ids = [...new Set(paths.flatMap((p) => p.split('/').filter(Boolean).map(Number)))];
  const rows = ids.length ? await db.selectFrom('grid_regions').select(['grid_id', 'region_id']).where('region_id', 'in', ids).orderBy('grid_id').execute() : [];
  const gridOf = new Map<number, number>();
  for (const r of rows) if (!gridOf.has(r.region_id)) gridOf.set(r.region_id, r.grid_id);
  const out = new Map<string, number | null>();
  for (const p of paths) {
    const chain = p.split('/').filter(Boolean).map(Number).reverse();
    out.set(p, chain.map((id) => gridOf.get(id)).find((g) => g != null) ?? null);
  }
  return out;
}

export async function gridsOfAccount(db: Executor, accountId: number): Promise<number[]> {
  const rows = await db.selectFrom('grid_workers').select('grid_id').where('account_id', '=', accountId).orderBy('grid_id').execute();
  return rows.map((r) => r.grid_id);
}

/** Region names by id (a statistic's rows name their street and community). */
export async function regionNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
  const uniq = [...new Set(ids)];
  const rows = uniq.length ? await db.selectFrom('regions').select(['id', 'name']).where('id', 'in', uniq).execute() : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

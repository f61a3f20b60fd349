import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';

/**
 * The population registry as other modules read it: persons in id order, a page at a time, with
 * the address written out from the region names ("黄海街道鹿鸣社区橡树湾3幢1单元301室"), the way a
 * departmental list writes it. The brain's built-in dataset 人口库（一人一档） is synced from here.
 */
export interface RegistryRow {
  id: number; name: string; sex: 'M' | 'F'; birth_date: string | null; id_number: string | null; phone: string | null;
  region_id: number; region_path: string; address: string;
}

export async function registryRows(db: Executor, afterId: number, limit: number): Promise<RegistryRow[]> {
  const rows = await db.selectFrom('persons as p')
    .select(['p.id', 'p.name', 'p.sex', sql<string | null>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'), 'p.id_number', 'p.phone', 'p.region_id', 'p.region_path'])
    .where('p.id', '>', afterId).orderBy('p.id').limit(limit).execute();
  const names = await regionNamesOnPaths(db, rows.map((r) => r.region_path));
  return rows.map((r) => ({ ...r, address: addressOf(r.region_path, names) }));
}

async function regionNamesOnPaths(db: Executor, paths: string[]) {
  const ids = [...new Set(paths.flatMap((p) => p.split('/').filter(Boolean).map(Number)))];
  if (!ids.length) return new Map<number, { name: string; level: string }>();
  const rows = await db.selectFrom('regions').select(['id', 'name', 'level']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

function addressOf(path: string, names: Map<number, { name: string; level: string }>) {
  return path.split('/').filter(Boolean).map((id) => names.get(Number(id))).filter((r) => r && r.level !== 'district').map((r) => r!.name).join('');
}

/** Active accounts whose data scope is exactly this region and whose roles grant the permission (or everything). */
export async function accountsHoldingAt(db: Executor, regionId: number, permission: string): Promise<number[]> {
  const rows = await db.selectFrom('accounts as a').innerJoin('account_roles as ar', 'ar.account_id', 'a.id').innerJoin('roles as ro', 'ro.code', 'ar.role_code')
    .select('a.id').distinct().where('a.scope_region_id', '=', regionId).where('a.active', '=', true)
    .where((eb) => eb.or([eb(sql.lit(permission), '=', sql<string>`any(ro.permissions)`), eb(sql.lit('*'), '=', sql<string>`any(ro.permissions)`)]))
    .orderBy('a.id').execute();
  return rows.map((a) => a.id);
}

import { sql, type RawBuilder } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { AppError } from '../../core/errors.js';
import { isInScope } from '../../core/scope.js';
import type { RegionLevel } from '../../core/schema.js';
import { LEVEL_NAMES } from '../regions/service.js';

/** The levels a cockpit page can show; each drills down into the level below (a community into its compounds). */
export const COCKPIT_LEVELS = ['district', 'street', 'community'] as const;
export type CockpitLevel = (typeof COCKPIT_LEVELS)[number];
const LEVEL_EN: Record<CockpitLevel, string> = { district: 'district', street: 'street', community: 'community' };

export interface CockpitRegion { id: number; name: string; level: CockpitLevel; path: string }
export interface ChildRegion { id: number; name: string; level: RegionLevel }

/**
 * The region a cockpit page shows: 404 naming `regionId` when it is missing or not of the level in
 * the URL (a lobby screen pointed at the wrong id should say so), 403 when it is outside the caller's
 * scope — a street account opens its street and its communities, a community account only its own.
 */
export async function cockpitRegion(db: Db, auth: AuthContext, level: CockpitLevel, regionId: number): Promise<CockpitRegion> {
  const r = await db.selectFrom('regions').select(['id', 'name', 'level', 'path']).where('id', '=', regionId).executeTakeFirst();
  if (!r || r.level !== level) {
    throw new AppError(404, 'not_found', 'not_found', {}, { regionId: { key: 'cockpit_region_level', params: { level: LEVEL_NAMES[level], levelEn: LEVEL_EN[level] } } });
  }
  if (!isInScope(auth, r.path)) throw new AppError(403, 'out_of_scope');
  return { id: r.id, name: r.name, level, path: r.path };
}

/** The regions one level down, in tree order: the drill-down targets of every breakdown. */
export function childRegions(db: Db, region: CockpitRegion): Promise<ChildRegion[]> {
  return db.selectFrom('regions').select(['id', 'name', 'level']).where('parent_id', '=', region.id).orderBy('sort').orderBy('id').execute();
}

/**
 * The child of `region` a row belongs to, read from the row's materialised path ('/1/4/9/…'): the
 * segment after the region's own. Null for rows attached to the region itself.
 */
export function childOf(column: string, region: CockpitRegion): RawBuilder<number | null> {
  const depth = region.path.split('/').filter(Boolean).length;
  return sql<number | null>`cast(nullif(split_part(${sql.ref(column)}, '/', ${sql.lit(depth + 2)}), '') as integer)`;
}

/** One row per child region, in tree order, with zeros where a child has nothing. */
export function byChild<T extends Record<string, number>>(children: ChildRegion[], rows: Map<number, T>, zero: T) {
  return children.map((c) => ({ id: c.id, name: c.name, level: c.level, ...(rows.get(c.id) ?? zero) }));
}

// ---- months: Asia/Shanghai calendar months (UTC+8 all year), written 'YYYY-MM'

/** The last 12 months up to and including the current one, oldest first. */
export function last12Months(now = new Date()): string[] {
  const cn = new Date(now.getTime() + 8 * 3600_000);
  const out: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(cn.getUTCFullYear(), cn.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/** The instant the first of the 12 months began (midnight in Shanghai). */
export function monthsStart(months: string[]): Date {
  return new Date(`${months[0]}-01T00:00:00+08:00`);
}

/** A timestamptz column's Shanghai month, independent of the session's time zone. */
export function monthOf(column: string): RawBuilder<string> {
  return sql<string>`to_char((${sql.ref(column)} at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`;
}

/** Rows keyed by month → one entry per month of the 12, zeros where a month had nothing. */
export function fillMonths<K extends string>(months: string[], rows: ({ month: string } & Record<K, number>)[], keys: K[]) {
  const at = new Map(rows.map((r) => [r.month, r]));
  return months.map((month) => {
    const r = at.get(month);
    return { month, ...Object.fromEntries(keys.map((k) => [k, Number(r?.[k] ?? 0)])) } as { month: string } & Record<K, number>;
  });
}

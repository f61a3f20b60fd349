import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { cached } from '../../core/cache.js';
import { underPath } from '../../core/scope.js';
import type { ModuleManifest } from '../../core/module.js';
import { regionLevelCounts } from '../regions/service.js';

/**
 * The big screen polls every 30 s from several displays; the counts take one pass
 * over 620k persons. Results are cached per scope for a few seconds — a cache,
 * not state: every instance recomputes on its own and nothing is lost on restart.
 */
const CACHE_MS = 10_000;

type Overview = Awaited<ReturnType<typeof computeOverview>>;

/** Each module's own numbers (its manifest's `cockpit`), counted in the same scope. */
export type Indicator = NonNullable<ModuleManifest['cockpit']>;

export function cockpitOverview(db: Db, auth: AuthContext, indicators: Indicator[]): Promise<Overview> {
  const scope = auth.scope?.regionId ?? null;
  return cached(db, 'cockpit_scope_overview', String(scope ?? 0), CACHE_MS, () => computeOverview(db, scope, indicators));
}

/** Live counts for a scope, with residents and households per child region (street, or community below). */
async function computeOverview(db: Db, scopeRegionId: number | null, indicators: Indicator[]) {
  if (!scopeRegionId) return { scope: null, totals: null, breakdown: [], at: new Date().toISOString() };
  const root = await db.selectFrom('regions').selectAll().where('id', '=', scopeRegionId).executeTakeFirstOrThrow();
  // One grouped pass per table: each row counted under the child of the scope root on its path.
  const depth = root.path.split('/').filter(Boolean).length;
  const childId = sql<number>`cast(nullif(split_part(region_path, '/', ${sql.lit(depth + 2)}), '') as integer)`;
  const grouped = (table: 'persons' | 'households') =>
    db.selectFrom(table).select([childId.as('id'), sql<number>`count(*)`.as('n')]).where(underPath('region_path', root.path)).groupBy(childId).execute();
  const [people, households, children, levels] = await Promise.all([
    grouped('persons'), grouped('households'),
    db.selectFrom('regions').select(['id', 'name', 'level']).where('parent_id', '=', root.id).orderBy('sort').orderBy('id').execute(),
    regionLevelCounts(db, root.path),
  ]);
  const moduleNumbers = Object.assign({}, ...(await Promise.all(indicators.map((f) => f(db, root.path)))));
  const sum = (rows: { n: number }[]) => rows.reduce((s, r) => s + Number(r.n), 0);
  const p = new Map(people.map((x) => [Number(x.id), Number(x.n)]));
  const h = new Map(households.map((x) => [Number(x.id), Number(x.n)]));
  return {
    scope: { id: root.id, name: root.name, level: root.level },
    // People attached to the root region itself (no child) are in the totals too.
    totals: { ...levels, households: sum(households), residents: sum(people) },
    breakdown: children.map((c) => ({ id: c.id, name: c.name, level: c.level, residents: p.get(c.id) ?? 0, households: h.get(c.id) ?? 0 })),
    ...moduleNumbers,
    at: new Date().toISOString(),
  };
}

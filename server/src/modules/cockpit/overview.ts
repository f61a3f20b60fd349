import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { subtreeCounts } from '../regions/service.js';

/** Live counts for the caller's scope, plus residents and households per street (or per community below street level). */
export async function cockpitOverview(db: Db, auth: AuthContext) {
  if (!auth.scope) return { scope: null, totals: null, breakdown: [], at: new Date().toISOString() };
  const root = await db.selectFrom('regions').selectAll().where('id', '=', auth.scope.regionId).executeTakeFirstOrThrow();
  const totals = await subtreeCounts(db, root.path);
  // One grouped query: each person counted under the child of the scope root on their path.
  const depth = root.path.split('/').filter(Boolean).length;
  const childId = sql<number>`cast(split_part(region_path, '/', ${sql.lit(depth + 2)}) as integer)`;
  const [people, households, children] = await Promise.all([
    db.selectFrom('persons').select([childId.as('id'), sql<number>`count(*)`.as('n')])
      .where('region_path', 'like', `${root.path}_%`).groupBy(childId).execute(),
    db.selectFrom('households').select([childId.as('id'), sql<number>`count(*)`.as('n')])
      .where('region_path', 'like', `${root.path}_%`).groupBy(childId).execute(),
    db.selectFrom('regions').select(['id', 'name', 'level']).where('parent_id', '=', root.id).orderBy('sort').orderBy('id').execute(),
  ]);
  const p = new Map(people.map((x) => [Number(x.id), Number(x.n)]));
  const h = new Map(households.map((x) => [Number(x.id), Number(x.n)]));
  return {
    scope: { id: root.id, name: root.name, level: root.level },
    totals,
    breakdown: children.map((c) => ({ id: c.id, name: c.name, level: c.level, residents: p.get(c.id) ?? 0, households: h.get(c.id) ?? 0 })),
    at: new Date().toISOString(),
  };
}

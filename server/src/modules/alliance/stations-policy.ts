import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import type { Executor } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import { inScope, isInScope, regionFieldInScope } from '../../core/scope.js';

/**
 * Who may manage a convenience station, decided here for every console read and write of
 * stations-manage.ts, stations-excel.ts and stations-stats.ts: a holder of station:manage whose
 * scope holds the station's community. Reads filter in SQL with `stationsInScope` (fail closed:
 * no scope, no rows); writes load the station and go through `managedStation`.
 */

/** The SQL filter for stations joined as `s` with their community as `r` (regions on s.region_id). */
export const stationsInScope = (auth: AuthContext) => inScope(auth, 'r.path');

export function canManageStation(auth: AuthContext | null, communityPath: string) {
  return !!auth && can(auth.permissions, 'station:manage') && isInScope(auth, communityPath);
}

/** A station with its community's path, for a write: 404 when missing, 403 when outside the caller's scope. */
export async function managedStation(db: Executor, auth: AuthContext, id: number) {
  const s = await db.selectFrom('stations as s').innerJoin('regions as r', 'r.id', 's.region_id')
    .select(['s.id', 's.name', 's.region_id', 's.status', 's.closed_reason', 's.closed_at', 'r.path'])
    .where('s.id', '=', id).executeTakeFirst();
  if (!s) throw notFound();
  if (!canManageStation(auth, s.path)) throw outOfScope();
  return s;
}

/** The community a station is placed in (named in body field `field`): 400 when missing or not a community, 403 when outside the scope. */
export async function stationCommunity(db: Executor, auth: AuthContext, field: string, regionId: number) {
  const region = await regionFieldInScope(db, auth, field, regionId);
  if (region.level !== 'community') throw fieldError(field, 'not_communities');
  return region;
}

import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../core/db.js';
import { isRootPath } from '../../core/scope.js';
import { membersFrom } from './access.js';

/**
 * The register's numbers under a region path, for the cockpit (the manifest's `cockpit`, and for any
 * panel that asks): members whose organisation lies under it or who report (双报到) to a community
 * under it — the same rule as a worker's list — with the probationary ones and those who report there.
 */
export async function memberFigures(db: Executor, path: string) {
  const like = `${path}%`;
  const under = isRootPath(path) ? sql<SqlBool>`true` : sql<SqlBool>`(ro.path like ${like} or rc.path like ${like})`;
  const row = await membersFrom(db).where(under).select([
    sql<number>`count(*)::int`.as('members'),
    sql<number>`(count(*) filter (where m.status = 'probationary'))::int`.as('probationary'),
    sql<number>`(count(*) filter (where rc.path like ${like}))::int`.as('reported'),
  ]).executeTakeFirstOrThrow();
  return { members: Number(row.members), probationary: Number(row.probationary), reported: Number(row.reported) };
}

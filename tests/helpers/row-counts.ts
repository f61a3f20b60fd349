import { sql } from 'kysely';
import type { Db } from '../../server/src/core/db.js';
import { flushViews } from '../../server/src/modules/wishes/views.js';

/**
 * Row count of every table in the public schema, in one statement (same on PGlite and PostgreSQL).
 * Page views counted by earlier requests are written first, so their timed flush never shows up as
 * a later (refused) request's write.
 */
export async function countRows(db: Db): Promise<Map<string, number>> {
  await flushViews(db);
  const tables = (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db)).rows.map((r) => r.name);
  const union = tables.map((name) => `select '${name}' as name, count(*)::int as n from "${name}"`).join(' union all ');
  const rows = (await sql<{ name: string; n: number }>`${sql.raw(union)}`.execute(db)).rows;
  return new Map(rows.map((r) => [r.name, Number(r.n)]));
}

/** `table: before→after` for every table whose count changed. */
export function diffCounts(before: Map<string, number>, after: Map<string, number>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).map((n) => `${n}: ${before.get(n) ?? '-'}→${after.get(n) ?? '-'}`);
}

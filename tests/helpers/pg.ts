import pg from 'pg';

/** The PostgreSQL server tests use: CI has one at 127.0.0.1:5432, user root, trust auth. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

export function pgUrl(database: string) {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

export async function pgReachable(): Promise<boolean> {
  try { await pgAdmin((c) => c.query('select 1')); return true; } catch { return false; }
}

export const uniqueDbName = (prefix: string) => `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;

/** For tests that need the server: false skips them visibly (it.runIf) on a laptop; on CI a missing server fails the run. */
export async function pgRequired(): Promise<boolean> {
  const up = await pgReachable();
  if (!up && process.env.CI) throw new Error('PostgreSQL is unreachable at 127.0.0.1:5432 on CI: the PostgreSQL tests must run');
  return up;
}

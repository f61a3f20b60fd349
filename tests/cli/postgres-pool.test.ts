import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../server/src/core/db.js';
import { pgAdmin, pgRequired, pgUrl, uniqueDbName } from '../helpers/pg.js';

const pgUp = await pgRequired();

describe('PostgreSQL pool', () => {
  it.runIf(pgUp)('survives an idle connection being killed: the error is reported, not thrown, and the next query works', async () => {
    const name = uniqueDbName('redcom_pool');
    await pgAdmin((c) => c.query(`create database ${name}`));
    const errors: Error[] = [];
    const dbh = await openDb({ databaseUrl: pgUrl(name), onPoolError: (e) => errors.push(e) });
    try {
      await sql`select 1`.execute(dbh.db);
      await pgAdmin((c) => c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]));
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(errors[0].message).toMatch(/terminat/);
      const r = await sql<{ x: number }>`select 2 as x`.execute(dbh.db);
      expect(r.rows[0].x).toBe(2);
    } finally {
      await dbh.close();
      await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
});

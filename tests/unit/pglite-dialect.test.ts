import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../server/src/core/db.js';

// The dialect must report affected rows truthfully: races are decided on them.
describe('PGlite dialect', () => {
  let dbh: DbHandle;
  beforeAll(async () => {
    dbh = await openDb({});
    await sql`create table t (id int primary key, claimed_by int)`.execute(dbh.db);
    await sql`insert into t values (1, null), (2, null)`.execute(dbh.db);
  });
  afterAll(() => dbh.close());

  it('reports numUpdatedRows of a conditional update that won and one that lost', async () => {
    const db = dbh.db as any;
    const won = await db.updateTable('t').set({ claimed_by: 7 }).where('id', '=', 1).where('claimed_by', 'is', null).executeTakeFirst();
    const lost = await db.updateTable('t').set({ claimed_by: 8 }).where('id', '=', 1).where('claimed_by', 'is', null).executeTakeFirst();
    expect(won.numUpdatedRows).toBe(1n);
    expect(lost.numUpdatedRows).toBe(0n);
  });

  it('serialises concurrent conditional updates: exactly one wins', async () => {
    const db = dbh.db as any;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      db.transaction().execute((tx: any) => tx.updateTable('t').set({ claimed_by: i }).where('id', '=', 2).where('claimed_by', 'is', null).executeTakeFirst())));
    expect(results.filter((r: any) => r.numUpdatedRows === 1n)).toHaveLength(1);
  });

  it('rolls a failed transaction back whole', async () => {
    const db = dbh.db as any;
    await expect(db.transaction().execute(async (tx: any) => {
      await tx.insertInto('t').values({ id: 3, claimed_by: null }).execute();
      await tx.insertInto('t').values({ id: 3, claimed_by: null }).execute();
    })).rejects.toThrow(/duplicate key/);
    const rows = await db.selectFrom('t').selectAll().where('id', '=', 3).execute();
    expect(rows).toHaveLength(0);
  });

  it('runs parameterless multi-statement SQL (migrations) and reports deletes', async () => {
    await sql.raw('create table u (x int); insert into u values (1), (2), (3);').execute(dbh.db);
    const res = await (dbh.db as any).deleteFrom('u').where('x', '>', 1).executeTakeFirst();
    expect(res.numDeletedRows).toBe(2n);
  });
});

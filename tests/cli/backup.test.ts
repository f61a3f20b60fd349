import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../server/src/core/db.js';
import { redcom } from '../helpers/cli.js';
import { pgAdmin, pgReachable, pgRequired, pgUrl, uniqueDbName } from '../helpers/pg.js';

const pgUp = await pgRequired();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-cli-'));
const pgDbs: string[] = [];
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (pgDbs.length && await pgReachable()) for (const d of pgDbs) await pgAdmin((c) => c.query(`drop database if exists ${d} with (force)`));
});

/** A fingerprint of every table: row count and a hash over all rows in a stable order. */
async function fingerprint(dbh: DbHandle) {
  const tables = (await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'schema_migrations' order by 1`.execute(dbh.db)).rows.map((r) => r.t);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = await sql<{ n: number; h: string }>`select count(*) as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${sql.table(t)} x`.execute(dbh.db);
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

async function withDb<T>(env: { DATA_DIR?: string; DATABASE_URL?: string }, fn: (d: DbHandle) => Promise<T>) {
  const dbh = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, onPoolError: () => {} });
  try { return await fn(dbh); } finally { await dbh.close(); }
}

const pgEnv = async () => {
  const name = uniqueDbName('redcom_cli');
  await pgAdmin((c) => c.query(`create database ${name}`));
  pgDbs.push(name);
  return { DATABASE_URL: pgUrl(name) };
};

describe('redcom backup / restore / audit verify', () => {
  const a = { DATA_DIR: path.join(tmp, 'a') };
  const b = { DATA_DIR: path.join(tmp, 'b') };
  const file = path.join(tmp, 'a.bak');

  it('seeds, backs up, restores into an empty data dir with every record the same', async () => {
    const seeded = redcom(['seed'], a);
    expect(seeded.code, seeded.out).toBe(0);
    expect(seeded.out).toMatch(/seeded \(demo\): .* persons/);
    const added = redcom(['user', 'add', '--username', 'ops.admin', '--password', 'OpsAdmin2026', '--role', 'district_admin'], a);
    expect(added.code, added.out).toBe(0);
    const backedUp = redcom(['backup', file], a);
    expect(backedUp.code, backedUp.out).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    const restored = redcom(['restore', file], b);
    expect(restored.code, restored.out).toBe(0);
    const fa = await withDb(a, fingerprint);
    const fb = await withDb(b, fingerprint);
    expect(Number(fa.persons.split(':')[0])).toBeGreaterThan(8000);
    expect(fb).toEqual(fa);
    // The restored database keeps working: new ids continue after the restored ones.
    expect(redcom(['user', 'add', '--username', 'after.restore', '--password', 'After2026x', '--role', 'resident'], b).code).toBe(0);
  }, 180_000);

  it('refuses to restore over existing data', () => {
    const again = redcom(['restore', file], b);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/不为空|not empty|empty database/);
  });

  it('audit verify passes, then catches a row edited by hand', async () => {
    const ok = redcom(['audit', 'verify'], b);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/audit chain OK: \d+ records/);
    const target = await withDb(b, async (d) => {
      const row = await d.db.selectFrom('audit_log').select('id').orderBy('id').offset(1).limit(1).executeTakeFirstOrThrow();
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(d.db);
      await sql`update audit_log set actor_name = 'mallory' where id = ${row.id}`.execute(d.db);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(d.db);
      return row.id;
    });
    const broken = redcom(['audit', 'verify'], b);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`BROKEN at record #${target}`);
  });

  it.runIf(pgUp)('works the same on PostgreSQL, and a PGlite backup restores into PostgreSQL', async () => {
    const p1 = await pgEnv();
    expect(redcom(['seed'], p1).code).toBe(0);
    const pgFile = path.join(tmp, 'p1.bak');
    expect(redcom(['backup', pgFile], p1).code).toBe(0);
    const p2 = await pgEnv();
    const r = redcom(['restore', pgFile], p2);
    expect(r.code, r.out).toBe(0);
    expect(await withDb(p2, fingerprint)).toEqual(await withDb(p1, fingerprint));
    const p3 = await pgEnv();
    const fromFile = redcom(['restore', file], p3);
    expect(fromFile.code, fromFile.out).toBe(0);
    const fromPglite = await withDb(p3, fingerprint);
    expect(fromPglite.persons).toBe((await withDb(a, fingerprint)).persons);
    expect(redcom(['audit', 'verify'], p3).code).toBe(0);
  });
});

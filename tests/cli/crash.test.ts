import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/src/core/db.js';
import { freePort, redcom, ROOT, startServer, type Server } from '../helpers/cli.js';

/**
 * Issue 13, crash safety on PGlite: a `redcom` process killed with SIGKILL during a district seed,
 * an Excel import and a burst of claims. Afterwards the database opens, nothing is half-written,
 * counts add up, and `redcom audit verify` passes. Kills are timed by the process's own progress
 * (its progress lines, its request log, answers received), never by a fixed sleep alone.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-crash-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let seeded: string;

/** A copy of the demo-seeded data directory, so each case starts from the same database. */
const copyOfSeeded = (name: string) => {
  const dir = path.join(tmp, name);
  fs.cpSync(seeded, dir, { recursive: true });
  return dir;
};

/** Opens the data directory in this process (no server running) and runs `fn` on it. */
async function inDb<T>(dataDir: string, fn: (db: Awaited<ReturnType<typeof openDb>>['db']) => Promise<T>): Promise<T> {
  const dbh = await openDb({ dataDir });
  try {
    return await fn(dbh.db);
  } finally {
    await dbh.close();
  }
}
const count = async (db: Awaited<ReturnType<typeof openDb>>['db'], query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(db)).rows[0].n);

function expectAuditIntact(dataDir: string) {
  const r = redcom(['audit', 'verify'], { DATA_DIR: dataDir });
  expect(r.code, r.out).toBe(0);
  expect(r.stdout).toMatch(/audit chain OK: \d+ records verified/);
}

/** SIGKILL, and wait until the process is gone. */
function killHard(proc: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

/** Polls until `check` is true (the process's own progress), failing after a generous deadline. */
async function until(what: string, check: () => boolean, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const json = async (url: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
};
const tokenOf = async (s: Server, username: string) => (await json(`${s.url}/api/auth/login`, { method: 'POST', body: { username, password: 'Demo@1234' } })).body.token as string;

beforeAll(() => {
  seeded = path.join(tmp, 'seeded');
  const r = redcom(['seed'], { DATA_DIR: seeded });
  expect(r.code, r.out).toBe(0);
}, 600_000);

describe('kill -9 on PGlite', () => {
  it('during `seed --scale district`: the database opens with nothing of the seed, and seeding again works', async () => {
    const dataDir = path.join(tmp, 'district');
    const proc = spawn(process.execPath, [path.join(ROOT, 'bin/redcom.mjs'), 'seed', '--scale', 'district'], {
      cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: '', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    // Killed once persons are being written (its progress line), well before the 620,000th.
    await until('seed progress', () => /persons: [\d,]*[1-9][\d,]*\/620,000/.test(out) || proc.exitCode !== null);
    expect(proc.exitCode, out).toBeNull();
    await killHard(proc);
    expect(out).not.toContain('seeded (district)');

    // One transaction: none of the seed's rows are there, so the district is not half-built.
    const after = await inDb(dataDir, async (db) => ({
      regions: await count(db, sql`select count(*) as n from regions`),
      persons: await count(db, sql`select count(*) as n from persons`),
      households: await count(db, sql`select count(*) as n from households`),
      accounts: await count(db, sql`select count(*) as n from accounts`),
      seedRuns: await count(db, sql`select count(*) as n from audit_log where action = 'seed.run'`),
      migrated: await count(db, sql`select count(*) as n from schema_migrations`),
    }));
    expect(after).toMatchObject({ regions: 0, persons: 0, households: 0, accounts: 0, seedRuns: 0 });
    expect(after.migrated).toBeGreaterThan(0);
    expectAuditIntact(dataDir);

    // The refusal "already holds regions" does not apply: a seed runs again on the same directory.
    const again = redcom(['seed'], { DATA_DIR: dataDir });
    expect(again.code, again.out).toBe(0);
    const counts = await inDb(dataDir, async (db) => ({
      persons: await count(db, sql`select count(*) as n from persons`),
      orphans: await count(db, sql`select count(*) as n from persons p where not exists (select 1 from households h where h.id = p.household_id)`),
    }));
    expect(counts.persons).toBeGreaterThan(1000);
    expect(counts.orphans).toBe(0);
    expectAuditIntact(dataDir);
  }, 900_000);

  it('during an Excel import: the stations of the sheet are all there or none is, and importing again works', async () => {
    const dataDir = copyOfSeeded('import');
    const ROWS = 4000;
    const sheet = async (prefix: string) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('便民服务站');
      ws.addRow(['编号', '名称', '类型', '所在社区', '地址', '纬度', '经度', '开放时间', '服务项目（用、分隔）', '所属联盟单位', '联系人', '联系电话', '简介']);
      for (let i = 1; i <= ROWS; i++) ws.addRow(['', `${prefix}-站点${i}`, '锋小巢', '鹿鸣社区', `新洋路${i}号`, 33.36, 120.18, '08:00—20:00', '休息、饮水', '', '', '', '']);
      return new Blob([await wb.xlsx.writeBuffer()]);
    };
    const stationsNamed = (prefix: string) => inDb(dataDir, (db) => count(db, sql`select count(*) as n from stations where name like ${`${prefix}-%`}`));
    const importSheet = async (s: Server, token: string, prefix: string) => {
      const form = new FormData();
      form.append('file', await sheet(prefix), `${prefix}.xlsx`);
      return fetch(`${s.url}/api/stations/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    };
    const importsLogged = (s: Server) => s.output().split('\n').filter((l) => l.includes('incoming request') && l.includes('/api/stations/import')).length;
    const port = freePort();

    // A complete import first: how long one takes on this machine, from the server's log of its arrival.
    let s = await startServer({ DATA_DIR: dataDir }, port);
    let token = await tokenOf(s, 'admin');
    const before = await json(`${s.url}/api/stations?pageSize=1`, { token });
    let t0 = 0;
    const full = importSheet(s, token, 'C0');
    await until('the import request', () => importsLogged(s) >= 1);
    t0 = Date.now();
    const done = await full;
    const took = Date.now() - t0;
    expect(done.status, await done.clone().text()).toBe(201);
    expect((await done.json()).created).toBe(ROWS);
    await s.stop('SIGTERM');

    // Then kills at several points of the same import (after its arrival is logged, at a share of a whole one).
    const outcomes: number[] = [];
    for (const [i, share] of [0.15, 0.5, 0.85].entries()) {
      s = await startServer({ DATA_DIR: dataDir }, port);
      token = await tokenOf(s, 'admin');
      const prefix = `K${i}`;
      const pending = importSheet(s, token, prefix).then((r) => r.status, () => 'cut off');
      await until('the import request', () => importsLogged(s) >= 1);
      await new Promise((r) => setTimeout(r, took * share));
      await killHard(s.proc);
      const answer = await pending;
      const n = await stationsNamed(prefix);
      outcomes.push(n);
      expect([0, ROWS], `import cut at ${share}: ${n} of ${ROWS} rows`).toContain(n);
      if (answer === 201) expect(n).toBe(ROWS); // an import the client saw succeed is all there
      expect(await inDb(dataDir, (db) => count(db, sql`select count(*) as n from stations s where not exists (select 1 from regions r where r.id = s.region_id)`))).toBe(0);
    }

    // After the crashes the same account imports again at once (no lock left behind), and the totals add up.
    s = await startServer({ DATA_DIR: dataDir }, port);
    try {
      token = await tokenOf(s, 'admin');
      const again = await importSheet(s, token, 'C1');
      expect(again.status, await again.clone().text()).toBe(201);
      const after = await json(`${s.url}/api/stations?pageSize=1`, { token });
      const committed = outcomes.filter((n) => n === ROWS).length;
      expect(after.body.total).toBe(before.body.total + ROWS * (2 + committed));
    } finally {
      await s.stop('SIGTERM');
    }
    const audits = await inDb(dataDir, (db) => count(db, sql`select count(*) as n from audit_log where action = 'station.import'`));
    expect(audits).toBe(2 + outcomes.filter((n) => n === ROWS).length);
    expectAuditIntact(dataDir);
  }, 900_000);

  it('during a burst of claims: no wish has two live claims, every acknowledged claim is kept, and the counts agree', async () => {
    const dataDir = copyOfSeeded('claims');
    const s = await startServer({ DATA_DIR: dataDir }, freePort());
    let wishIds: number[] = [];
    const answered: { wishId: number; who: string; status: number }[] = [];
    try {
      const [resident, worker, unit, member] = await Promise.all(['resident.demo', 'community.luming', 'unit.demo', 'member.demo'].map((u) => tokenOf(s, u)));
      for (let i = 0; i < 24; i++) {
        const created = await json(`${s.url}/api/wishes`, { method: 'POST', token: resident, body: { title: `崩溃测试心愿${i}`, story: '想要一台收音机听戏，独居多年。', category: 'goods', targetGroup: 'elder', estimatedValue: 100 } });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const reviewed = await json(`${s.url}/api/wishes/${created.body.id}/review`, { method: 'POST', token: worker, body: { decision: 'approve' } });
        expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
        wishIds.push(created.body.id);
      }
      // Every wish is claimed by the unit and the party member at once; the server dies part-way through.
      const claims = wishIds.flatMap((id) => [['unit.demo', unit], ['member.demo', member]].map(([who, token]) =>
        fetch(`${s.url}/api/wishes/${id}/claim`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
          .then((r) => { answered.push({ wishId: id, who, status: r.status }); }, () => {})));
      await until('the first claims answered', () => answered.length >= 8);
      await killHard(s.proc);
      await Promise.all(claims);
    } finally {
      await killHard(s.proc);
    }
    expect(answered.length).toBeLessThan(wishIds.length * 2); // the kill fell inside the burst

    await inDb(dataDir, async (db) => {
      const ids = wishIds;
      const twoLive = await sql<{ wish_id: number }>`select wish_id from wish_claims where status in ('live', 'fulfilled') group by wish_id having count(*) > 1`.execute(db);
      expect(twoLive.rows).toEqual([]);
      // A wish is claimed exactly when it has a live claim.
      const mismatched = await sql<{ id: number }>`
        select w.id from wishes w where w.id in (${sql.join(ids)})
          and (w.status = 'claimed') <> exists (select 1 from wish_claims c where c.wish_id = w.id and c.status = 'live')`.execute(db);
      expect(mismatched.rows).toEqual([]);
      // Every claim the server answered 200 survived the kill, with its claimer.
      const rows = await db.selectFrom('wish_claims as c').innerJoin('accounts as a', 'a.id', 'c.claimer_id').select(['c.wish_id', 'a.username']).where('c.wish_id', 'in', ids).execute();
      for (const a of answered.filter((x) => x.status === 200)) expect(rows).toContainEqual({ wish_id: a.wishId, username: a.who });
      // Claims, their audit records and their wish events: the same number, written together.
      const claimAudits = await count(db, sql`select count(*) as n from audit_log where action = 'wish.claim' and target_id in (${sql.join(ids.map(String))})`);
      const claimEvents = await count(db, sql`select count(*) as n from wish_events where kind = 'claimed' and wish_id in (${sql.join(ids)})`);
      expect(claimAudits).toBe(rows.length);
      expect(claimEvents).toBe(rows.length);
      expect(rows.length).toBeGreaterThanOrEqual(answered.filter((x) => x.status === 200).length);
    });
    expectAuditIntact(dataDir);

    // The restarted server goes on: a wish still published can be claimed.
    const s2 = await startServer({ DATA_DIR: dataDir }, freePort());
    try {
      const open = await inDbFromServer(s2, wishIds);
      if (open !== undefined) expect((await json(`${s2.url}/api/wishes/${open}/claim`, { method: 'POST', token: await tokenOf(s2, 'unit.demo') })).status).toBe(200);
      expect((await fetch(`${s2.url}/api/health`)).status).toBe(200);
    } finally {
      await s2.stop('SIGTERM');
    }
  }, 900_000);
});

/** A wish of `ids` still published, read through the running server. */
async function inDbFromServer(s: Server, ids: number[]) {
  const token = await tokenOf(s, 'community.luming');
  for (const id of ids) {
    const w = await json(`${s.url}/api/wishes/${id}`, { token });
    if (w.body?.status === 'published') return id;
  }
  return undefined;
}

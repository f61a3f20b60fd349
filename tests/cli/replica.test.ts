import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/src/core/db.js';
import { freePort, startServer, until, type Server } from '../helpers/cli.js';

/**
 * Issue 13: DATABASE_REPLICA_URL. The test makes its own primary and streaming replica with the
 * machine's PostgreSQL binaries (initdb, pg_basebackup -R, pg_ctl) in a temp dir on spare ports,
 * runs `redcom serve` on both, and shows: the cockpit's aggregates and the public pages are read
 * on the replica (with its replay paused they do not see a new write), the writer reads its own
 * write from the primary, and a write on the replica handle is refused.
 */
const binDir = (() => {
  const fromPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromPath.status === 0 && fs.existsSync(path.join(fromPath.stdout.trim(), 'initdb'))) return fromPath.stdout.trim();
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((x, y) => Number(y) - Number(x)) : [];
  return versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => fs.existsSync(path.join(d, 'initdb')));
})();
if (!binDir && process.env.CI) throw new Error('PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are missing on CI');

// initdb refuses to run as root: as root, the clusters belong to the system's postgres user.
const asRoot = process.getuid?.() === 0;
const pgUser = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : null;

function pgBin(cmd: string, args: string[]) {
  const full = path.join(binDir!, cmd);
  const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8', timeout: 180_000 })
    : spawnSync(full, args, { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

async function query<T = any>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return (await c.query(text)).rows; } finally { await c.end(); }
}

describe.runIf(!!binDir)('a read replica (DATABASE_REPLICA_URL)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-replica-'));
  const primaryDir = path.join(tmp, 'primary'), replicaDir = path.join(tmp, 'replica'), sockets = path.join(tmp, 'sockets');
  const primaryPort = freePort();
  let replicaPort = freePort();
  while (replicaPort === primaryPort) replicaPort = freePort();
  const url = (port: number, db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const primary = url(primaryPort, 'redcom'), replica = url(replicaPort, 'redcom');
  const started: string[] = [];
  let server: Server | undefined;

  const start = (dir: string, port: number) => {
    pgBin('pg_ctl', ['-D', dir, '-l', path.join(tmp, `${path.basename(dir)}.log`), '-w', '-t', '120', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${sockets}`, 'start']);
    started.push(dir);
  };
  const caughtUp = async () => {
    const [{ lsn }] = await query(url(primaryPort, 'postgres'), 'select pg_current_wal_lsn()::text as lsn');
    await until('the replica to replay the primary', async () => (await query(url(replicaPort, 'postgres'), `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as ok`))[0].ok);
  };

  beforeAll(async () => {
    fs.mkdirSync(sockets);
    if (pgUser) fs.chownSync(tmp, pgUser.uid, pgUser.gid), fs.chownSync(sockets, pgUser.uid, pgUser.gid);
    pgBin('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    start(primaryDir, primaryPort);
    await query(url(primaryPort, 'postgres'), 'create database redcom');
    // The standby: a base backup of the primary, with -R writing its primary_conninfo and standby.signal.
    pgBin('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast']);
    start(replicaDir, replicaPort);
    await until('the standby to accept reads', async () => (await query(replica, 'select pg_is_in_recovery() as r'))[0].r);
    // The app writes to the primary (it migrates and seeds it here) and reads the cockpit and public pages on the standby.
    server = await startServer({ DATABASE_URL: primary, DATABASE_REPLICA_URL: replica, DATA_DIR: path.join(tmp, 'data') }, freePort());
  }, 300_000);

  afterAll(async () => {
    await server?.stop('SIGTERM');
    for (const dir of started.reverse()) {
      try { pgBin('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']); } catch (e) { console.error(e); }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('the read handle is the standby and refuses writes; the primary handle writes', async () => {
    const dbh = await openDb({ databaseUrl: primary, replicaUrl: replica, onPoolError: () => {} });
    try {
      const recovery = async (db: typeof dbh.db) => (await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(db)).rows[0].r;
      expect(await recovery(dbh.readDb)).toBe(true);
      expect(await recovery(dbh.db)).toBe(false);
      await expect(sql`insert into app_secrets (name, value) values ('replica-test', 'x')`.execute(dbh.readDb)).rejects.toThrow(/read-only transaction/);
      await sql`insert into app_secrets (name, value) values ('replica-test', 'x')`.execute(dbh.db);
      await caughtUp();
      const back = await dbh.readDb.selectFrom('app_secrets').select('value').where('name', '=', 'replica-test').executeTakeFirst();
      expect(back?.value).toBe('x'); // streamed to the standby
    } finally {
      await dbh.close();
    }
  });

  it('public pages and the cockpit read the replica; the writer reads its own writes from the primary', async () => {
    const base = server!.url;
    const login = await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'community.luming', password: 'Demo@1234' }) })).json();
    const auth = { authorization: `Bearer ${login.token}` };
    const [{ id: luming }] = await query(primary, `select id from regions where code = 'HH-LM'`);
    const stations = async (qs: string, cookie?: string) => (await (await fetch(`${base}/api/stations?${qs}`, { headers: cookie ? { cookie } : {} })).json()).total as number;
    const residents = async (cookie?: string) => (await (await fetch(`${base}/api/cockpit/overview`, { headers: { ...auth, ...(cookie ? { cookie } : {}) } })).json()).totals.residents as number;

    // Replay paused: from now on the standby shows the state of this moment, whatever the primary does.
    await caughtUp();
    await query(replica, 'select pg_wal_replay_pause()');
    const stationsBefore = await stations('pageSize=20');
    const residentsBefore = await residents();
    const apps = await query(url(replicaPort, 'postgres'), `select count(*)::int as n from pg_stat_activity where application_name = 'redcom replica reads'`);
    expect(apps[0].n).toBeGreaterThan(0); // the app's read pool is connected to the standby

    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const station = await post('/api/stations', {
      name: '锋小巢·只读副本测试站', kind: 'fengxiaochao', regionId: luming, address: '鹿鸣社区新洋路99号', lat: 33.3612, lng: 120.1895, openingHours: '08:00—20:00', services: ['rest', 'water'],
    });
    expect(station.status, await station.clone().text()).toBe(201); // written on the primary
    const wrote = station.headers.getSetCookie().find((c) => c.startsWith('rc_wrote='))?.split(';')[0];
    expect(wrote).toBeTruthy();
    const room = (await (await fetch(`${base}/api/people?pageSize=1`, { headers: auth })).json()).items[0].regionId;
    const person = await post('/api/people', { name: '副本测试', sex: 'F', regionId: room });
    expect(person.status).toBe(201);

    // Everyone else reads the paused standby: the write is not there yet.
    expect(await stations('pageSize=20')).toBe(stationsBefore);
    expect(await residents()).toBe(residentsBefore);
    // The writer's next reads go to the primary and see it.
    expect(await stations('pageSize=20', wrote)).toBe(stationsBefore + 1);
    expect(await residents(wrote)).toBe(residentsBefore + 1);

    // Replay resumes: the standby catches up and every reader sees the write.
    await query(replica, 'select pg_wal_replay_resume()');
    await until('the public list to show the new station', async () => (await stations('pageSize=19')) === stationsBefore + 1);
    await until('the cockpit to count the new resident', async () => (await residents()) === residentsBefore + 1);
  }, 120_000);
});

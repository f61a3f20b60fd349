/**
 * Red Brain connector throughput, each against a plain baseline on the same database in the same run:
 *  1. file drop: a CSV of N synthetic population rows imported by the run executor (parse, validate,
 *     hash, upsert by key, progress, exchange log) vs. the same rows, already parsed, in a plain
 *     multi-row INSERT into a two-column table (and on PGlite also COPY FROM the CSV itself);
 *     then the same file again (every row unchanged: the cost of a repeated import);
 *  2. SQL pull: a MariaDB table of N rows synced by the connector vs. reading the same rows with the
 *     driver and inserting them plainly; then an incremental run after 1% of the rows changed;
 *  3. MQTT: M probe sightings published with QoS 1 to a broker and stored by the
 *     connector's worker (ack after commit, batched upserts) vs. a plain INSERT of M rows.
 *   npm run bench:brain                # PGlite in a temporary directory
 *   BENCH_PG=1 npm run bench:brain     # a throwaway PostgreSQL database (BENCH_PG_URL, default postgres://root@127.0.0.1:5432/postgres)
 *   BENCH_ROWS (100000), BENCH_MQTT (10000); MariaDB at 127.0.0.1:3306 (root); the `mosquitto` binary (a broker of its own).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mariadb';
import { sql } from 'kysely';
import pg from 'pg';
import { openDb, type DbHandle } from '../server/src/core/db.js';
import { diskStore, saveDataFile } from '../server/src/core/files.js';
import { migrate } from '../server/src/core/migrate.js';
import type { ModuleDeps } from '../server/src/core/module.js';
import { loadSecretKey, secretBox } from '../server/src/core/secret-box.js';
import '../server/src/modules/brain/module.js';
import { claimRun, enqueueRun, executeRun } from '../server/src/modules/brain/runs.js';
import { benchMqtt } from './brain-mqtt.js';

const N = Number(process.env.BENCH_ROWS ?? 100_000);
const M = Number(process.env.BENCH_MQTT ?? 10_000);
const onPg = process.env.BENCH_PG === '1';
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');
const time = async <T>(fn: () => Promise<T>) => { const t0 = performance.now(); const v = await fn(); return { v, ms: performance.now() - t0 }; };

function populationCsv(n: number) {
  const lines = ['idNumber,name,sex,birthDate,phone,address'];
  for (let i = 0; i < n; i++) {
    const b = Math.floor(i / 1000), y = 1930 + (b % 80), m = String(1 + (Math.floor(b / 80) % 12)).padStart(2, '0'), d = String(1 + (b % 28)).padStart(2, '0');
    lines.push(`320902${y}${m}${d}${String(i % 1000).padStart(3, '0')}${i % 10},居民${i},${i % 2 ? '男' : '女'},${y}-${m}-${d},1${3 + (i % 7)}${String(i).padStart(9, '0')},黄海街道某小区${1 + (i % 30)}幢${101 + (i % 20)}室`);
  }
  return `${lines.join('\n')}\n`;
}

async function plainInsert(dbh: DbHandle, table: string, rows: { key: string; data: Record<string, unknown> }[]) {
  for (let i = 0; i < rows.length; i += 2000) {
    await sql`insert into ${sql.table(table)} (key, data) select key, data from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 2000))}::jsonb) as x(key text, data jsonb)`.execute(dbh.db);
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-bench-brain-'));
  let dbName = '';
  let dbh: DbHandle;
  if (onPg) {
    dbName = `redcom_bench_brain_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG_ADMIN }); await c.connect(); await c.query(`create database ${dbName}`); await c.end();
    const u = new URL(PG_ADMIN); u.pathname = `/${dbName}`;
    dbh = await openDb({ databaseUrl: u.toString() });
  } else {
    dbh = await openDb({ dataDir: path.join(dir, 'pglite') });
  }
  const mdb = `redcom_bench_${Date.now().toString(36)}`;
  const maria = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  try {
    await migrate(dbh.db);
    const deps: ModuleDeps = { db: dbh.db, bus: null, files: diskStore(path.join(dir, 'files')), secrets: secretBox(loadSecretKey({ dataDir: dir, production: false })) };
    // A department, a system and three datasets, written directly (no demo seed needed).
    const dep = await dbh.db.insertInto('brain_departments').values({ code: 'bench', name: '基准测试局' }).returning('id').executeTakeFirstOrThrow();
    const sys = await dbh.db.insertInto('brain_systems').values({ department_id: dep.id, code: 'bench', name: '基准系统', description: null }).returning('id').executeTakeFirstOrThrow();
    const dataset = async (name: string, fields: object[], keys: string[], more: object = {}) => (await dbh.db.insertInto('brain_datasets').values({
      system_id: sys.id, name, fields: JSON.stringify(fields), key_fields: keys, share_type: 'conditional', legal_basis: 'legal_duty', purpose: '基准测试', ...more,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const person = [['idNumber', 'text', 'personal'], ['name', 'text', 'personal'], ['sex', 'text', 'none'], ['birthDate', 'date', 'personal'], ['phone', 'text', 'personal'], ['address', 'text', 'personal']]
      .map(([name, type, personal], i) => ({ name, type, personal, ...(i === 0 ? { key: true } : {}) }));
    const fileDs = await dataset('基准人口（文件）', person, ['idNumber']);
    const sqlDs = await dataset('基准人口（SQL）', [...person, { name: 'updated_at', type: 'timestamp', personal: 'none' }], ['idNumber']);
    await sql`create table bench_plain (key text primary key, data jsonb not null)`.execute(dbh.db);
    const results: string[] = [];
    const line = (what: string, rows: number, ms: number, base?: number) => {
      const s = `${what.padEnd(46)} ${fmt(rows).padStart(9)} rows ${(ms / 1000).toFixed(1).padStart(6)} s ${fmt(rate(rows, ms)).padStart(8)} rows/s${base ? `   ${(rate(rows, ms) / base).toFixed(2)}× baseline` : ''}`;
      results.push(s);
      console.log(s);
    };
    console.log(`database: ${dbh.kind}; ${fmt(N)} rows for file and SQL, ${fmt(M)} MQTT messages`);

    // 1. file drop
    const csv = populationCsv(N);
    const parsed = csv.trim().split('\n').slice(1).map((l) => { const [idNumber, name, sex, birthDate, phone, address] = l.split(','); return { key: idNumber, data: { idNumber, name, sex, birthDate, phone, address } }; });
    const plain = await time(() => plainInsert(dbh, 'bench_plain', parsed));
    const baseFile = rate(N, plain.ms);
    line('baseline: plain INSERT (parsed rows)', N, plain.ms);
    if (dbh.pglite) {
      await sql`create table bench_copy (idNumber text, name text, sex text, birthDate text, phone text, address text)`.execute(dbh.db);
      const copy = await time(() => dbh.pglite!.query(`copy bench_copy from '/dev/blob' with (format csv, header true)`, [], { blob: new Blob([csv]) }));
      line('baseline: COPY FROM the CSV (PGlite)', N, copy.ms);
    }
    const importFile = async () => {
      const stored = await saveDataFile(dbh.db, deps.files, Buffer.from(csv), 'text/csv', 'csv', null);
      const runId = await enqueueRun(dbh.db, { datasetId: fileDs, kind: 'file', fileId: stored.id, fileName: 'bench.csv', mapping: null });
      const run = await executeRun(deps, (await claimRun(dbh.db, runId))!);
      if (run.status !== 'succeeded') throw new Error(`file run failed: ${run.error}`);
      return run;
    };
    const first = await time(importFile);
    line('file drop: CSV import (new rows)', N, first.ms, baseFile);
    const repeat = await time(importFile);
    line('file drop: same CSV again (all unchanged)', N, repeat.ms, baseFile);

    // 2. SQL pull
    await maria.query(`create database ${mdb}`);
    await maria.query(`use ${mdb}`);
    await maria.query(`create table ${mdb}.people (idNumber varchar(18) primary key, name varchar(40), sex varchar(2), birthDate date, phone varchar(11), address varchar(100), updated_at datetime not null, key (updated_at, idNumber))`);
    await maria.query(`insert into ${mdb}.people select concat('3209021990', lpad(seq, 8, '0')), concat('居民', seq), if(seq % 2, '男', '女'), date_add('1930-01-01', interval seq % 29000 day),
      concat('13', lpad(seq, 9, '0')), concat('黄海街道某小区', seq % 30 + 1, '幢'), '2026-11-01 08:00:00' - interval (seq % 5000) second from seq_1_to_${N}`);
    const pulledPlain = await time(async () => {
      const rows = await maria.query(`select * from ${mdb}.people`);
      await sql`truncate bench_plain`.execute(dbh.db);
      await plainInsert(dbh, 'bench_plain', (rows as Record<string, unknown>[]).map((r) => ({ key: String(r.idNumber), data: r })));
    });
    const baseSql = rate(N, pulledPlain.ms);
    line('baseline: driver SELECT + plain INSERT', N, pulledPlain.ms);
    // MariaDB's root has no password here, so the connector has no sealed secret.
    const conn = await dbh.db.insertInto('brain_connectors').values({
      key: 'bench-sql', name: '基准 SQL', kind: 'sql', dataset_id: sqlDs, config: JSON.stringify({ url: `mysql://root@127.0.0.1:3306/${mdb}`, table: 'people', watermark: 'updated_at' }), secret: null,
    }).returning('id').executeTakeFirstOrThrow();
    const runSql = async () => {
      const runId = await enqueueRun(dbh.db, { datasetId: sqlDs, kind: 'sql', connectorId: conn.id });
      const run = await executeRun(deps, (await claimRun(dbh.db, runId))!);
      if (run.status !== 'succeeded') throw new Error(`sql run failed: ${run.error}`);
      return run;
    };
    const sync = await time(runSql);
    line('SQL pull: first sync', sync.v.rows_in, sync.ms, baseSql);
    await maria.query(`update ${mdb}.people set name = concat(name, '（改）'), updated_at = '2026-11-02 09:00:00' where right(idNumber, 2) = '07'`);
    const inc = await time(runSql);
    line(`SQL pull: incremental after 1% changed`, inc.v.rows_in, inc.ms);

    // 3. MQTT
    const plainM = await time(async () => {
      await sql`truncate bench_plain`.execute(dbh.db);
      await plainInsert(dbh, 'bench_plain', Array.from({ length: M }, (_, i) => ({ key: `p|${i}`, data: { probeId: 'TZ-1', macHash: String(i), seenAt: new Date().toISOString(), rssi: -60 } })));
    });
    line('baseline: plain INSERT of sightings', M, plainM.ms);
    const mq = await benchMqtt(deps, sys.id, M);
    line('MQTT: published QoS 1 → stored (worker)', mq.stored, mq.ms, rate(M, plainM.ms));
    console.log(`\nsummary (${dbh.kind}):\n${results.join('\n')}`);
  } finally {
    await maria.query(`drop database if exists ${mdb}`).catch(() => {});
    await maria.end();
    await dbh.close();
    if (dbName) { const c = new pg.Client({ connectionString: PG_ADMIN }); await c.connect(); await c.query(`drop database if exists ${dbName} with (force)`); await c.end(); }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });

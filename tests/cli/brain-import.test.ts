import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redcom, ROOT } from '../helpers/cli.js';
import { pgAdmin, pgRequired, pgUrl, uniqueDbName } from '../helpers/pg.js';

/**
 * `redcom brain import` at the district's scale: a 620,000-row population list (synthetic) shows
 * progress, is killed half-way with SIGKILL, and a second run finishes with exactly 620,000 rows —
 * the upsert by key adds nothing twice. Then `redcom brain verify-log` checks the exchange log and
 * names a record edited in the database. On PostgreSQL, for time (the same import on PGlite is
 * measured by `npm run bench:brain`).
 */
const ROWS = 620_000;

function writePopulationCsv(file: string) {
  const sur = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹';
  const giv = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建国', '志明', '玉兰', '海燕', '浩然', '子轩', '欣怡', '梓涵', '雨桐'];
  const lines = ['身份证号,姓名,性别,出生日期,手机号,住址'];
  for (let i = 0; i < ROWS; i++) {
    // 620 birth dates × 1,000 sequence numbers: every ID number distinct.
    const b = Math.floor(i / 1000), y = 1930 + (b % 80), m = String(1 + (Math.floor(b / 80) % 12)).padStart(2, '0'), d = String(1 + (b % 28)).padStart(2, '0');
    lines.push(`320902${y}${m}${d}${String(i % 1000).padStart(3, '0')}${i % 10},${sur[i % sur.length]}${giv[(i * 7) % giv.length]},${i % 2 ? '男' : '女'},${y}-${m}-${d},1${3 + (i % 7)}${String(i).padStart(9, '0')},黄海街道某小区${1 + (i % 30)}幢${1 + (i % 6)}单元${101 + (i % 20)}室`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

const pgUp = await pgRequired();

describe.runIf(pgUp)('redcom brain import: 620,000 rows, killed half-way, repeated', () => {
  const name = uniqueDbName('redcom_brain_import');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-brain-import-'));
  const csv = path.join(dir, 'population.csv');
  const env = { DATABASE_URL: pgUrl(name), DATA_DIR: path.join(dir, 'data') };
  const query = async <T>(text: string) => {
    const c = new pg.Client({ connectionString: pgUrl(name) });
    await c.connect();
    try { return (await c.query(text)).rows as T[]; } finally { await c.end(); }
  };
  const count = async () => (await query<{ n: number; keys: number }>(`select count(*)::int as n, count(distinct key)::int as keys from brain_rows where dataset_id = (select id from brain_datasets where name = '常住人口基础信息')`))[0];

  beforeAll(async () => {
    await pgAdmin((c) => c.query(`create database ${name}`));
    writePopulationCsv(csv);
    const seeded = redcom(['seed'], env);
    expect(seeded.code, seeded.out).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows progress, survives SIGKILL half-way, and the repeat leaves exactly 620,000 rows', async () => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'bin/redcom.mjs'), 'brain', 'import', '--dataset', '常住人口基础信息', csv], {
      cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // Progress lines ("导入 rows: 312/1,000 (31%)") every few seconds; kill once past a quarter.
    const deadline = Date.now() + 240_000;
    for (;;) {
      const pcts = [...out.matchAll(/\((\d+)%\)/g)].map((m) => Number(m[1]));
      if (pcts.some((p) => p >= 25 && p < 90)) break;
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`import ended or stalled before it could be killed:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    proc.kill('SIGKILL');
    await exited;
    const half = await count();
    expect(half.n).toBeGreaterThan(0);
    expect(half.n).toBeLessThan(ROWS);

    const again = redcom(['brain', 'import', '--dataset', '常住人口基础信息', csv], env);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/\(100%\)/);
    expect(again.out).toContain(`${ROWS} rows read, ${ROWS - half.n} inserted, 0 updated, ${half.n} unchanged, 0 rejected`);
    expect(await count()).toEqual({ n: ROWS, keys: ROWS });
  }, 400_000);

  it('verify-log checks the exchange log and names a record edited in the database', async () => {
    const ok = redcom(['brain', 'verify-log'], env);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/exchange log OK: \d+ records verified/);
    const [{ id }] = await query<{ id: number }>(`update brain_exchange_log set row_count = row_count - 1 where id = (select min(id) from brain_exchange_log where kind = 'run') returning id`);
    const bad = redcom(['brain', 'verify-log'], env);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`exchange log BROKEN at record #${id}: content does not match its hash`);
  });
});

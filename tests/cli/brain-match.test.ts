import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLinkageData, writeLinkageData } from '../../bench/linkage-data.js';
import { freePort, redcom, ROOT, startServer } from '../helpers/cli.js';
import { pgAdmin, pgRequired, pgUrl, uniqueDbName } from '../helpers/pg.js';

/**
 * `redcom brain match` on PostgreSQL: a synthetic registry of 60,000 and a dirty list of 3,000
 * imported with `redcom brain import`, matched in the CLI's own process (progress, counts, pairs per
 * rule, time per stage, precision of the auto-links against the planted truth, the exchange log).
 * Then a second job is killed with SIGKILL past standardisation; once its heartbeat is stale, a
 * started server's sweep takes it again and it finishes with the first job's counts and no
 * duplicate pair.
 */
const FIELDS = ['key', 'name', 'sex', 'birth_date', 'id_no', 'phone', 'address'];
const REGISTRY = '人口库（比对测试）', LIST = '卫健委名单（比对测试）', CLOSED = '内部名单（不予共享）';

const pgUp = await pgRequired();

/** `redcom ARGS` without blocking the test, so that independent runs overlap (each spends seconds loading). */
function redcomAsync(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; out: string }>((resolve) => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'bin/redcom.mjs'), ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    proc.stderr!.on('data', (d) => (stderr += d));
    proc.once('exit', (code) => resolve({ code, stdout, stderr, out: stdout + stderr }));
  });
}

describe.runIf(pgUp)('redcom brain match: 3,000 × 60,000, killed and recovered by the server', () => {
  const name = uniqueDbName('redcom_brain_match');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-brain-match-'));
  const env = { DATABASE_URL: pgUrl(name), DATA_DIR: path.join(dir, 'data') };
  const data = generateLinkageData({ population: 60_000, list: 3_000, seed: 3 });
  const query = async <T>(text: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: pgUrl(name) });
    await c.connect();
    try { return (await c.query(text, values)).rows as T[]; } finally { await c.end(); }
  };
  const job = async (id: number) => (await query<{ status: string; stage: string | null; attempt: number; counts: Record<string, number> | null }>(
    'select status, stage, attempt, counts from brain_match_jobs where id = $1', [id]))[0];
  const autoLinks = async (id: number) => (await query<{ l: string; r: string }>(`select l.key as l, r.key as r from brain_match_pairs p
    join brain_link_records l on l.id = p.left_id join brain_link_records r on r.id = p.right_id where p.job_id = $1 and p.decision = 'auto'`, [id]));
  const countsOf = (out: string) => {
    const m = /candidate pairs (\d+), auto (\d+), review (\d+), none (\d+), pairs per record ([\d.]+)/.exec(out);
    if (!m) throw new Error(`no counts in the output:\n${out}`);
    return { candidatePairs: Number(m[1]), auto: Number(m[2]), review: Number(m[3]), none: Number(m[4]), pairsPerRecord: Number(m[5]) };
  };
  let firstJob = 0;
  let first: ReturnType<typeof countsOf>;

  beforeAll(async () => {
    await pgAdmin((c) => c.query(`create database ${name}`));
    const seeded = redcom(['seed'], env);
    expect(seeded.code, seeded.out).toBe(0);
    // Person datasets as a steward declares them in the console (the CLI has no dataset command).
    const fields = JSON.stringify(FIELDS.map((f) => ({ name: f, type: 'text', personal: f === 'key' || f === 'sex' ? 'none' : 'personal', ...(f === 'key' ? { key: true } : {}) })));
    const [sys] = await query<{ id: number }>('select id from brain_systems order by id limit 1');
    for (const [ds, share] of [[REGISTRY, 'conditional'], [LIST, 'conditional'], [CLOSED, 'none']]) {
      await query(`insert into brain_datasets (system_id, name, fields, key_fields, share_type, legal_basis, purpose) values ($1, $2, $3, '{key}', $4, 'public_health', '核查')`, [sys.id, ds, fields, share]);
    }
    writeLinkageData(data, dir);
    const imports = await Promise.all([[REGISTRY, 'population.csv'], [LIST, 'list.csv']].map(([ds, file]) => redcomAsync(['brain', 'import', '--dataset', ds, path.join(dir, file)], env)));
    for (const r of imports) {
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/ 0 rejected/);
    }
  }, 180_000);
  afterAll(async () => {
    await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a job in its own process: progress, counts, pairs per rule, time per stage; auto-links ≥ 0.99 precise; logged', async () => {
    const r = await redcomAsync(['brain', 'match', '--left', LIST, '--right', REGISTRY], env);
    expect(r.code, r.out).toBe(0);
    firstJob = Number(/match job #(\d+) succeeded \(attempt 1\)/.exec(r.out)?.[1]);
    expect(firstJob, r.out).toBeGreaterThan(0);
    // Progress per stage on stderr (no terminal: a line per stage at least), pairs counted in compare.
    for (const s of ['standardise', 'block', 'compare', 'estimate', 'score', 'decide']) expect(r.stderr).toContain(` ${s} `);
    expect(r.stderr).toMatch(/比较 compare pairs: [\d,]+\/[\d,]+ \(100%\)/);
    first = countsOf(r.stdout);
    expect(first.candidatePairs).toBe(first.auto + first.review + first.none);
    expect(first.pairsPerRecord).toBeCloseTo(first.candidatePairs / 3000, 1);
    expect(r.stdout).toMatch(/pairs per blocking rule: 身份证号 \(id\) \d+, 手机号 \(phone\) \d+, .*\(birth_surname\) \d+, .*\(name_year\) \d+, .*\(address_name\) \d+/);
    expect(r.stdout).toMatch(/time per stage: standardise \d+ ms, block \d+ ms, compare \d+ ms, estimate \d+ ms, score \d+ ms, decide \d+ ms, total \d+ ms/);
    // What it printed is what the job holds.
    expect(await job(firstJob)).toMatchObject({ status: 'succeeded', attempt: 1, counts: expect.objectContaining({ candidatePairs: first.candidatePairs, auto: first.auto, review: first.review, none: first.none }) });

    const links = await autoLinks(firstJob);
    expect(links.length).toBe(first.auto);
    const right = links.filter((l) => data.truth.get(l.l) === l.r).length;
    expect(right / links.length).toBeGreaterThanOrEqual(0.99);
    expect(right / data.truth.size).toBeGreaterThanOrEqual(0.95);

    // Both datasets' use is on the exchange log, by the CLI, and the start is audited.
    const log = await query<{ dataset_id: number; actor_name: string; account_id: number | null; side: string }>(
      `select dataset_id, actor_name, account_id, detail->>'side' as side from brain_exchange_log where kind = 'match' and outcome = 'ok' and (detail->>'matchJobId')::int = $1 order by id`, [firstJob]);
    const ids = Object.fromEntries((await query<{ id: number; name: string }>('select id, name from brain_datasets')).map((d) => [d.name, d.id]));
    expect(log).toEqual([{ dataset_id: ids[LIST], actor_name: 'cli', account_id: null, side: 'left' }, { dataset_id: ids[REGISTRY], actor_name: 'cli', account_id: null, side: 'right' }]);
    expect(await query(`select actor_name from audit_log where action = 'brain.match.start' and target_id = $1`, [String(firstJob)])).toEqual([{ actor_name: 'cli' }]);
  }, 120_000);

  it('refuses a 不予共享 dataset (logged), an unknown name, and thresholds out of order', async () => {
    const [closed, unknown, order] = await Promise.all([
      redcomAsync(['brain', 'match', '--left', CLOSED, '--right', REGISTRY], env),
      redcomAsync(['brain', 'match', '--left', '没有这个名单', '--right', REGISTRY], env),
      redcomAsync(['brain', 'match', '--left', LIST, '--right', REGISTRY, '--auto', '0.6', '--review', '0.9'], env),
    ]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('不予共享');
    expect(await query(`select outcome, actor_name from brain_exchange_log where kind = 'match' and dataset_id = (select id from brain_datasets where name = $1)`, [CLOSED]))
      .toEqual([{ outcome: 'denied', actor_name: 'cli' }]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no dataset named "没有这个名单"');
    expect(order.code).toBe(1);
    expect(order.stderr).toContain('thresholds.review: 人工复核阈值不能高于自动关联阈值');
    expect((await query<{ n: number }>('select count(*)::int as n from brain_match_jobs'))[0].n).toBe(1);
  }, 60_000);

  it('a job killed past standardisation is taken again by the server and ends with the same counts, no pair twice', async () => {
    expect(firstJob).toBeGreaterThan(0);
    const proc = spawn(process.execPath, [path.join(ROOT, 'bin/redcom.mjs'), 'brain', 'match', '--left', LIST, '--right', REGISTRY], {
      cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // Killed once blocking has written pairs (block and compare take under a second here): poll on one connection.
    let id = 0;
    const poll = new pg.Client({ connectionString: pgUrl(name) });
    await poll.connect();
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [j] = (await poll.query(`select id, status, stage, exists (select 1 from brain_match_pairs p where p.job_id = j.id) as paired
          from brain_match_jobs j where id > $1 order by id desc limit 1`, [firstJob])).rows;
        if (j?.status === 'running' && j.paired && (j.stage === 'block' || j.stage === 'compare')) { id = j.id; break; }
        if (proc.exitCode !== null || j?.status === 'succeeded' || Date.now() > deadline) throw new Error(`match ended or stalled before it could be killed (${JSON.stringify(j)}):\n${out}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      proc.kill('SIGKILL');
    } finally {
      await poll.end();
    }
    await exited;
    const killed = await job(id);
    expect(killed.status).toBe('running');
    expect(killed.attempt).toBe(1);
    expect(['block', 'compare']).toContain(killed.stage);
    const [left] = await query<{ n: number }>('select count(*)::int as n from brain_match_pairs where job_id = $1', [id]);
    expect(left.n).toBeGreaterThan(0);
    // As after a crash: nobody heartbeats the job any more.
    await query(`update brain_match_jobs set heartbeat_at = now() - interval '5 minutes' where id = $1`, [id]);

    const server = await startServer(env, freePort());
    try {
      const until = Date.now() + 60_000;
      while ((await job(id)).status === 'running' && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    const again = await job(id);
    expect(again.status, server.output()).toBe('succeeded');
    expect(again.attempt).toBe(2);
    expect(again.counts).toMatchObject({ candidatePairs: first.candidatePairs, auto: first.auto, review: first.review, none: first.none });
    const [pairs] = await query<{ n: number; distinct: number }>(
      'select count(*)::int as n, count(distinct (left_id, right_id))::int as distinct from brain_match_pairs where job_id = $1', [id]);
    expect(pairs).toEqual({ n: first.candidatePairs, distinct: first.candidatePairs });
    // The same links as the uninterrupted job, not just as many.
    const key = (ls: { l: string; r: string }[]) => ls.map((x) => `${x.l}→${x.r}`).sort();
    expect(key(await autoLinks(id))).toEqual(key(await autoLinks(firstJob)));
  }, 120_000);
});

/**
 * What the HTTP benchmarks share: the server under test (`redcom serve`) and a bare Fastify route each
 * run in their own process, and the load (autocannon) comes from the benchmark's process — three
 * processes, so that the load generator never shares an event loop with what it measures. The data
 * is a PGlite DATA_DIR or a throwaway PostgreSQL database made for the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDb, type DbHandle } from '../../server/src/core/db.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) if (c.exitCode == null) c.kill('SIGKILL'); });

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export async function adminQuery(text: string, url = PG_ADMIN) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
}

export interface BenchData {
  kind: 'pglite' | 'postgres';
  /** The server's DATA_DIR (files; the PGlite database too when there is no databaseUrl). */
  dataDir: string;
  databaseUrl?: string;
  /** Removes the data (unless BENCH_KEEP=1, which prints where it is). */
  cleanup(): Promise<void>;
}

/**
 * A database for one run, filled by `prepare` in this process and then closed: PGlite's directory has one
 * owner at a time, and the server process opens it next. `kind` postgres makes a database on BENCH_PG_URL.
 */
export async function prepareData(kind: 'pglite' | 'postgres', label: string, prepare: (dbh: DbHandle) => Promise<void>): Promise<BenchData> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `redcom-bench-${label}-`));
  let databaseUrl: string | undefined;
  const dbName = `redcom_bench_${label.replace(/\W/g, '_')}_${process.pid}`;
  if (kind === 'postgres') {
    await adminQuery(`create database ${dbName}`);
    const u = new URL(PG_ADMIN); u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const cleanup = async () => {
    if (process.env.BENCH_KEEP === '1') { console.log(`kept: ${databaseUrl ? `${databaseUrl} (files: ${dataDir})` : dataDir}`); return; }
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await adminQuery(`drop database if exists ${dbName} with (force)`);
  };
  try {
    const dbh = await openDb({ databaseUrl, dataDir: databaseUrl ? undefined : dataDir, onPoolError: () => {} });
    try { await prepare(dbh); } finally { await dbh.close(); }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { kind, dataDir, databaseUrl, cleanup };
}

export async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

/** A child process whose stderr is kept (the last 4 KB) for the error message if it dies. */
function start(args: string[], env: NodeJS.ProcessEnv) {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const stderr = { text: '' };
  proc.stderr!.on('data', (d: Buffer) => { stderr.text = (stderr.text + d.toString()).slice(-4096); });
  proc.stdout!.resume();
  return { proc, stderr };
}

/** SIGTERM, then wait: the server closes PGlite cleanly before it exits (SIGKILL after 15 s). */
export function stopProcess(proc: ChildProcess) {
  if (proc.exitCode != null || proc.signalCode != null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => { clearTimeout(force); resolve(); });
    proc.kill('SIGTERM');
  });
}

export interface Running { base: string; proc: ChildProcess; stop(): Promise<void> }

/**
 * `redcom serve` on the data, in its own process, answering /api/health before this resolves.
 * `env` adds to (or, with undefined, removes from) the environment; public rate limits are off by default
 * (the load comes from one address) and METRICS_TOKEN is `bench` unless given.
 */
export async function startServer(data: Pick<BenchData, 'dataDir' | 'databaseUrl'>, env: Record<string, string | undefined> = {}): Promise<Running> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const full: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data.dataDir, WEB_DIST: '/nonexistent',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', RATE_LIMIT_PUBLIC_PER_MIN: '0', METRICS_TOKEN: 'bench',
  };
  delete full.DATABASE_URL;
  delete full.NODE_ENV;
  if (data.databaseUrl) full.DATABASE_URL = data.databaseUrl;
  for (const [k, v] of Object.entries(env)) { if (v === undefined) delete full[k]; else full[k] = v; }
  const { proc, stderr } = start([path.join(ROOT, 'bin/redcom.mjs'), 'serve'], full);
  const until = Date.now() + 180_000;
  for (;;) {
    if (proc.exitCode != null) throw new Error(`server exited with ${proc.exitCode}:\n${stderr.text}`);
    try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* not listening yet */ }
    if (Date.now() > until) { await stopProcess(proc); throw new Error(`server did not answer /api/health within 180 s:\n${stderr.text}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, proc, stop: () => stopProcess(proc) };
}

/**
 * The bare Fastify route (bench/lib/bare.ts) in its own process; `base` is the route's URL, and each of
 * `bodies` is served as it is at `${base}/<name>`.
 */
export async function startBare(bodies: Record<string, string> = {}): Promise<Running> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-bare-')), 'bodies.json');
  fs.writeFileSync(file, JSON.stringify(bodies));
  const { proc, stderr } = start([path.join(ROOT, 'bin/tsx-run.mjs'), path.join(ROOT, 'bench/lib/bare.ts')], { ...process.env, BARE_BODIES: file });
  proc.once('exit', () => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(out.split('\n')[0].trim()); });
    proc.once('exit', (code) => reject(new Error(`bare server exited with ${code}:\n${stderr.text}`)));
  });
  return { base: url, proc, stop: () => stopProcess(proc) };
}

export interface Load { rps: number; p50: number; p99: number; requests: number }

/** autocannon from this process; any non-2xx, error or timeout fails the run (a fast error page is no result). */
export async function load(url: string, opts: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<Load> {
  const r = await autocannon({ url, connections: opts.connections, duration: opts.seconds, headers: opts.headers, timeout: 30 });
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
}

/** GET /metrics with the bearer token the server was started with. */
export async function scrapeMetrics(base: string, token = 'bench') {
  const r = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`/metrics: ${r.status}`);
  return r.text();
}

/** Hits and misses per cache from a /metrics text (redcom_cache_lookups_total). */
export function cacheLookups(metrics: string) {
  const out = new Map<string, { hit: number; miss: number }>();
  for (const m of metrics.matchAll(/^redcom_cache_lookups_total\{cache="([^"]+)",result="(hit|miss)"\} (\d+(?:\.\d+)?)/gm)) {
    const c = out.get(m[1]) ?? { hit: 0, miss: 0 };
    c[m[2] as 'hit' | 'miss'] = Number(m[3]);
    out.set(m[1], c);
  }
  return out;
}

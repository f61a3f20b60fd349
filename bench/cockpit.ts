/**
 * The cockpit drill-down at district scale: every panel (GET /api/cockpit/:level/:regionId/<panel>) at
 * district, street and community level, served by `redcom serve` in its own process and loaded from
 * this one, against the naive live count of the same panel (the panel's SQL run against the tables on
 * every call, measured in this process on the same data before the server starts — PGlite's directory
 * has one owner at a time).
 *   npm run bench:cockpit                                   # seeds 620,000 persons into a temporary DATA_DIR first
 *   BENCH_DATA_DIR=/path/to/seeded npm run bench:cockpit    # an existing `redcom seed --scale district` directory
 *   BENCH_SEQUENTIAL (30 requests one at a time per endpoint), BENCH_SECONDS (3) and BENCH_CONNECTIONS (10) for the load,
 *   BENCH_NAIVE_RUNS (3; the median is reported).
 * Also the map (GET /api/cockpit/map), whose first, uncached computation stands for its naive cost.
 * Prints per endpoint: the naive count's median ms, the served p50 / p95 / max ms of one caller, req/s under
 * load, and naive ÷ served p50.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../server/src/core/db.js';
import { migrate } from '../server/src/core/migrate.js';
import { PANELS, type PanelName } from '../server/src/modules/cockpit/panels.js';
import type { CockpitLevel, CockpitRegion } from '../server/src/modules/cockpit/region.js';
import { ROLES } from '../server/src/modules/index.js';
import { syncRoles } from '../server/src/modules/people/accounts.js';
import { seed } from '../server/src/seed/seed.js';
import { load, startServer } from './lib/server.js';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 30);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const NAIVE_RUNS = Number(process.env.BENCH_NAIVE_RUNS ?? 3);
/** The regions of the demo district the drill-down is measured at (the 黄海街道 → 鹿鸣社区). */
const LEVELS: [CockpitLevel, string][] = [['district', '盐南高新区'], ['street', '黄海街道'], ['community', '鹿鸣社区']];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function main() {
  const given = process.env.BENCH_DATA_DIR;
  const dataDir = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-bench-cockpit-'));

  // 1. The data, and the naive live counts on it.
  const regions: CockpitRegion[] = [];
  const naive = new Map<string, number>();
  const dbh = await openDb({ dataDir });
  let persons = 0;
  try {
    await migrate(dbh.db);
    await syncRoles(dbh.db, ROLES);
    if (!(await dbh.db.selectFrom('regions').select('id').limit(1).executeTakeFirst())) {
      console.log(`seeding the district (620,000 persons) into ${dataDir} …`);
      await seed(dbh.db, 'district', (p) => { if (p.total && p.done % 100_000 < 5_000) console.log(`  ${p.done}/${p.total}`); });
    }
    persons = Number((await dbh.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    for (const [level, name] of LEVELS) {
      const r = await dbh.db.selectFrom('regions').select(['id', 'name', 'path']).where('name', '=', name).where('level', '=', level).executeTakeFirstOrThrow();
      regions.push({ id: r.id, name: r.name, level, path: r.path });
    }
    for (const r of regions) {
      for (const panel of Object.keys(PANELS) as PanelName[]) {
        const times: number[] = [];
        for (let i = 0; i < NAIVE_RUNS; i++) {
          const t0 = performance.now();
          await PANELS[panel].live(dbh.db, r);
          times.push(performance.now() - t0);
        }
        naive.set(`${r.level}/${panel}`, median(times));
        process.stdout.write(`naive ${r.level} ${panel}: ${ms(median(times))} ms\n`);
      }
    }
  } finally {
    await dbh.close();
  }

  // 2. The server in its own process (bench/lib/server.ts); the district's population count is warmed by its worker.
  const rows: { endpoint: string; naive: number; cold: number; p50: number; p95: number; max: number; rps: number }[] = [];
  const server = await startServer({ dataDir });
  const base = server.base;
  try {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Demo@1234' }) });
    const headers = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const once = async (url: string) => {
      const t0 = performance.now();
      const r = await fetch(url, { headers });
      if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
      return performance.now() - t0;
    };
    // Wait for the worker's first count (the first overview waits for it too), so that it does not land inside a measurement.
    const warm = await once(`${base}/api/cockpit/district/${regions[0].id}/overview`);
    console.log(`first district overview after start (waits for the worker's count): ${ms(warm)} ms`);
    for (const r of regions) {
      for (const panel of Object.keys(PANELS) as PanelName[]) {
        const url = `${base}/api/cockpit/${r.level}/${r.id}/${panel}`;
        const cold = await once(url);
        const times: number[] = [];
        for (let i = 0; i < SEQUENTIAL; i++) times.push(await once(url));
        times.sort((a, b) => a - b);
        const loaded = await load(url, { headers, connections: CONNECTIONS, seconds: SECONDS });
        await new Promise((res) => setTimeout(res, 500)); // let the load's last requests drain before the next endpoint's first
        rows.push({ endpoint: `${r.level} (${r.name}) ${panel}`, naive: naive.get(`${r.level}/${panel}`)!, cold, p50: pct(times, 0.5), p95: pct(times, 0.95), max: times.at(-1)!, rps: loaded.rps });
      }
    }
    // The map (the account's scope as GeoJSON, with stations, positions and elevator projects): its first
    // computation stands for the naive cost; afterwards it is served from its cache.
    {
      const url = `${base}/api/cockpit/map`;
      const cold = await once(url);
      const times: number[] = [];
      for (let i = 0; i < SEQUENTIAL; i++) times.push(await once(url));
      times.sort((a, b) => a - b);
      const loaded = await load(url, { headers, connections: CONNECTIONS, seconds: SECONDS });
      rows.push({ endpoint: 'map (the whole district)', naive: cold, cold, p50: pct(times, 0.5), p95: pct(times, 0.95), max: times.at(-1)!, rps: loaded.rps });
    }
  } finally {
    await server.stop();
    if (!given && process.env.BENCH_KEEP !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(`\ncockpit drill-down, ${persons.toLocaleString('en')} persons, PGlite; one caller ${SEQUENTIAL}× per endpoint, then ${CONNECTIONS} connections × ${SECONDS} s`);
  console.log('| endpoint | naive live count ms | served first ms | served p50 / p95 / max ms | req/s | naive ÷ served p50 |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.endpoint} | ${ms(r.naive)} | ${ms(r.cold)} | ${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.max)} | ${r.rps.toFixed(0)} | ${(r.naive / r.p50).toFixed(1)}× |`);
  const worst = Math.max(...rows.map((r) => r.p95));
  console.log(`\nslowest p95: ${ms(worst)} ms — ${worst < 200 ? 'every panel under 200 ms' : 'OVER the 200 ms budget'}`);
}

await main();

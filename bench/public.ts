/**
 * Public reads against a bare Fastify route, at 64 connections, on PGlite and on PostgreSQL: the wish wall,
 * a wish page and the stations list, served by `redcom serve` in its own process (the demo district), the
 * bare route in a second process and the load from this one (bench/lib/server.ts). Prints req/s, p99 and
 * the ratio to the bare route measured in the same run, and checks the target (≥ 0.35× bare, p99 < 50 ms).
 * At the end of each run /metrics is scraped: the response cache's hit ratio per namespace, and whether the
 * request latency histograms are there.
 *   npm run bench:public                      # PGlite, then PostgreSQL (BENCH_PG_URL, default postgres://root@127.0.0.1:5432/postgres)
 *   BENCH_DB=pglite|postgres npm run bench:public
 *   BENCH_SECONDS (10), BENCH_CONNECTIONS (64); BENCH_KEEP=1 keeps the data.
 */
import os from 'node:os';
import { migrate } from '../server/src/core/migrate.js';
import { ROLES } from '../server/src/modules/index.js';
import { syncRoles } from '../server/src/modules/people/accounts.js';
import { seed } from '../server/src/seed/seed.js';
import { cacheLookups, load, prepareData, scrapeMetrics, startBare, startServer, type Load } from './lib/server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const KINDS = (process.env.BENCH_DB ? [process.env.BENCH_DB] : ['pglite', 'postgres']) as ('pglite' | 'postgres')[];
const TARGET_RATIO = 0.35;
const TARGET_P99_MS = 50;

interface Row { kind: string; name: string; load: Load; ratio: number; sameBytes?: Load }

async function run(kind: 'pglite' | 'postgres') {
  const data = await prepareData(kind, 'public', async (dbh) => {
    await migrate(dbh.db);
    await syncRoles(dbh.db, ROLES);
    await seed(dbh.db, 'demo');
  });
  const rows: Row[] = [];
  let metrics = '';
  try {
    const server = await startServer(data);
    let bare: Awaited<ReturnType<typeof startBare>> | undefined;
    try {
      const wall = (await (await fetch(`${server.base}/api/public/wishes?pageSize=20`)).json()) as { items: { id: number }[] };
      const wishId = wall.items[0].id;
      const cases: [string, string][] = [
        ['GET /api/public/wishes?pageSize=20', '/api/public/wishes?pageSize=20'],
        ['GET /api/public/wishes/:id', `/api/public/wishes/${wishId}`],
        ['GET /api/stations?pageSize=20', '/api/stations?pageSize=20'],
      ];
      // The same bytes from the bare server, per case: how much of the gap is only the size of the answer.
      const bodies = Object.fromEntries(await Promise.all(cases.map(async ([, p], i) => [`case${i}`, await (await fetch(`${server.base}${p}`)).text()] as const)));
      bare = await startBare(bodies);
      // Warm-up: JIT, connection pools, and the first computation of each page.
      await load(bare.base, { connections: CONNECTIONS, seconds: 2 });
      for (const [, p] of cases) await load(`${server.base}${p}`, { connections: CONNECTIONS, seconds: 2 });

      const baseline = await load(bare.base, { connections: CONNECTIONS, seconds: SECONDS });
      rows.push({ kind, name: 'bare Fastify route (own process)', load: baseline, ratio: 1 });
      for (const [i, [name, p]] of cases.entries()) {
        const l = await load(`${server.base}${p}`, { connections: CONNECTIONS, seconds: SECONDS });
        const sameBytes = await load(`${bare.base}/case${i}`, { connections: CONNECTIONS, seconds: SECONDS });
        rows.push({ kind, name, load: l, ratio: l.rps / baseline.rps, sameBytes });
      }
      metrics = await scrapeMetrics(server.base);
    } finally {
      await server.stop();
      await bare?.stop();
    }
  } finally {
    await data.cleanup();
  }
  return { rows, metrics };
}

console.log(`node ${process.version}, ${os.cpus().length} cores; server \`redcom serve\` and a bare Fastify route each in their own process, autocannon in this one; ${CONNECTIONS} connections × ${SECONDS} s per endpoint`);
const all: Row[] = [];
let failed = false;
for (const kind of KINDS) {
  const { rows, metrics } = await run(kind);
  all.push(...rows);
  console.log(`\n${kind}: /metrics at the end of the run`);
  for (const [cache, n] of cacheLookups(metrics)) {
    if (!cache.startsWith('response_') && cache !== 'public_wall') continue;
    const total = n.hit + n.miss;
    console.log(`  cache ${cache}: ${n.hit} hits, ${n.miss} misses, hit ratio ${total ? (n.hit / total).toFixed(4) : '–'}`);
  }
  const histograms = /^redcom_http_request_duration_seconds_bucket\{/m.test(metrics);
  const routes = new Set([...metrics.matchAll(/^redcom_http_request_duration_seconds_count\{[^}]*route="([^"]+)"/gm)].map((m) => m[1]));
  console.log(`  latency histograms (redcom_http_request_duration_seconds): ${histograms ? `present, ${routes.size} routes` : 'MISSING'}`);
  if (!histograms) failed = true;
}

console.log(`\n| database | endpoint | req/s | p50 ms | p99 ms | × bare | target (≥ ${TARGET_RATIO}×, p99 < ${TARGET_P99_MS} ms) | bare, same bytes: req/s (p99) | × same bytes |\n|---|---|---:|---:|---:|---:|---|---:|---:|`);
for (const r of all) {
  const bare = r.ratio === 1;
  const ok = r.ratio >= TARGET_RATIO && r.load.p99 < TARGET_P99_MS;
  if (!bare && !ok) failed = true;
  const same = r.sameBytes ? `${Math.round(r.sameBytes.rps)} (${r.sameBytes.p99} ms) | ${(r.load.rps / r.sameBytes.rps).toFixed(2)}` : ' | ';
  console.log(`| ${r.kind} | ${r.name} | ${Math.round(r.load.rps)} | ${r.load.p50} | ${r.load.p99} | ${r.ratio.toFixed(2)} | ${bare ? '' : ok ? 'met' : 'MISSED'} | ${same} |`);
}
if (failed) process.exitCode = 1;

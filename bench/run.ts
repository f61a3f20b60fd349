/**
 * HTTP benchmark: our endpoints against a bare Fastify route on the same machine, in the same run.
 *   npm run bench                          # in-memory PGlite with the demo district
 *   BENCH_DATA_DIR=./data npm run bench    # an existing data dir (e.g. after `redcom seed --scale district`)
 *   BENCH_DATABASE_URL=postgres://… npm run bench
 * Prints requests/s, p50/p99 latency and each endpoint's throughput as a ratio of the bare route's.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDb } from '../server/src/core/db.js';
import { migrate } from '../server/src/core/migrate.js';
import { syncRoles } from '../server/src/modules/people/accounts.js';
import { ROLES } from '../server/src/modules/index.js';
import { seed } from '../server/src/seed/seed.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function run(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const dbh = await openDb({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR });
await migrate(dbh.db);
await syncRoles(dbh.db, ROLES);
if (!(await dbh.db.selectFrom('regions').select('id').limit(1).executeTakeFirst())) await seed(dbh.db, 'demo');
const persons = Number((await dbh.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const app = await buildApp({ config: { ...loadConfig({}), webDist: '/nonexistent' }, dbh });
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const bare = Fastify();
const sample = { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: '张三', phone: '138****5678', address: '鹿鸣社区 橡树湾 1幢 1单元 101室' })), total: 20, page: 1, pageSize: 20 };
bare.get('/bare', async () => sample);
const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });

const login = async (username: string) => {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Demo@1234' }) });
  return { authorization: `Bearer ${(await r.json()).token}` };
};
const worker = await login('community.luming');
const admin = await login('admin');
const someone = (await (await fetch(`${base}/api/people?pageSize=1`, { headers: worker })).json()).items[0];
const tail = String(someone.phone ?? '0000').slice(-4);

// The cockpit caches its counts for 10 s; time one cold computation too.
const t0 = performance.now();
await fetch(`${base}/api/cockpit/overview`, { headers: admin });
const cockpitColdMs = performance.now() - t0;

console.log(`database: ${dbh.kind}, persons: ${persons.toLocaleString()}, ${CONNECTIONS} connections × ${DURATION} s each, node ${process.version}`);
const baseline = await run(`${bareBase}/bare`);
const cases: [string, string, Record<string, string>][] = [
  ['GET /api/health (DB read memoised 1 s)', '/api/health', {}],
  ['GET /api/auth/me (session lookup)', '/api/auth/me', worker],
  ['GET /api/people (community worker, page 1)', '/api/people?pageSize=20', worker],
  ['GET /api/people?q=<phone tail> (community)', `/api/people?q=${tail}`, worker],
  ['GET /api/people/:id (community)', `/api/people/${someone.id}`, worker],
  ['GET /api/people?q=<phone tail> (district admin)', `/api/people?q=${tail}`, admin],
  ['GET /api/people (district admin, page 1, total over all)', '/api/people?pageSize=20', admin],
  ['GET /api/cockpit/overview (district admin)', '/api/cockpit/overview', admin],
];
const rows = [{ name: 'bare Fastify route (baseline)', ...baseline, ratio: 1 }];
for (const [name, path, headers] of cases) {
  const r = await run(`${base}${path}`, headers);
  rows.push({ name, ...r, ratio: r.rps / baseline.rps });
}
console.log('\n| endpoint | req/s | p50 ms | p99 ms | throughput vs bare |\n|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.ratio.toFixed(3)} |`);

console.log(`\ncockpit overview, cold (uncached) request: ${cockpitColdMs.toFixed(0)} ms`);

await app.close();
await bare.close();
await dbh.close();

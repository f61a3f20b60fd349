/**
 * Suggestions for one need with 184 units and 2,000 resources: requests/s and p99,
 * against a bare Fastify route in the same run (PGlite, demo district).
 *   npm run bench:matching
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDb } from '../server/src/core/db.js';
import { migrate } from '../server/src/core/migrate.js';
import { seed } from '../server/src/seed/seed.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const dbh = await openDb({ databaseUrl: process.env.BENCH_DATABASE_URL });
await migrate(dbh.db);
if (!(await dbh.db.selectFrom('regions').select('id').limit(1).executeTakeFirst())) await seed(dbh.db, 'demo');
// Top up to 2,000 active resources spread over the verified units.
const have = Number((await dbh.db.selectFrom('resources').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
await sql`insert into resources (unit_id, kind, category, title, capacity, value_cap_fen, service_path, lat, lng)
  select u.id, 'service', (array['goods','service','companionship','venue','tutoring','funds'])[1 + g % 6], '资源 #' || g, 5 + g % 40,
         case when g % 2 = 0 then 30000 end, u.service_path, u.lat + (g % 7) * 0.001, u.lng
  from generate_series(1, ${Math.max(0, 2000 - have)}) g
  join (select id, service_path, lat, lng, row_number() over (order by id) - 1 as k from alliance_units where status = 'verified') u on u.k = g % 183`.execute(dbh.db);
const units = Number((await dbh.db.selectFrom('alliance_units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const resources = Number((await dbh.db.selectFrom('resources').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const app = await buildApp({ config: { ...loadConfig({}), webDist: '/nonexistent' }, dbh });
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const token = (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Demo@1234' }) })).json()).token;
const needs = (await (await fetch(`${base}/api/needs?pageSize=1`, { headers: { authorization: `Bearer ${token}` } })).json()).items;
const bare = Fastify();
bare.get('/bare', async () => ({ items: Array.from({ length: 10 }, (_, i) => ({ resourceId: i, score: 80, reasons: [{ factor: 'category', score: 1, weight: 0.3, text: '类别一致' }] })) }));
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
const run = async (url: string, headers: Record<string, string> = {}) => {
  const r = await autocannon({ url, connections: 4, duration: DURATION, headers });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx`);
  return r;
};
const b = await run(`${bareUrl}/bare`);
const s = await run(`${base}/api/needs/${needs[0].id}/suggestions`, { authorization: `Bearer ${token}` });
console.log(`node ${process.version}, ${dbh.kind}, ${units} units, ${resources} resources, 4 connections × ${DURATION} s`);
console.log('| endpoint | req/s | p50 ms | p99 ms | vs bare |\n|---|---:|---:|---:|---:|');
console.log(`| bare Fastify route | ${Math.round(b.requests.average)} | ${b.latency.p50} | ${b.latency.p99} | 1.000 |`);
console.log(`| GET /api/needs/:id/suggestions | ${Math.round(s.requests.average)} | ${s.latency.p50} | ${s.latency.p99} | ${(s.requests.average / b.requests.average).toFixed(3)} |`);
await app.close(); await bare.close(); await dbh.close();

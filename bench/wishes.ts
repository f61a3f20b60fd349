/**
 * Micro-wish benchmarks, on PGlite and on PostgreSQL in the same run:
 *  1. the public wish wall with 10,000 published wishes: requests/s and p99, as a ratio of a bare Fastify route;
 *  2. 200 concurrent claims on one wish, repeated: exactly one 200 and 199 × 409 every time.
 *   npm run bench:wishes        (BENCH_PG_URL overrides postgres://root@127.0.0.1:5432/postgres)
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDb, type DbHandle } from '../server/src/core/db.js';
import { migrate } from '../server/src/core/migrate.js';
import { seed } from '../server/src/seed/seed.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_CLAIM_ROUNDS ?? 5);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: 10, duration: DURATION, headers });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

/** 10,000 published wishes for 鹿鸣社区's residents, in one statement. */
async function plantWishes(dbh: DbHandle, n: number) {
  const lm = await dbh.db.selectFrom('regions').select(['id', 'path']).where('code', '=', 'HH-LM').executeTakeFirstOrThrow();
  const season = await dbh.db.selectFrom('seasons').select('id').orderBy('starts_on', 'desc').limit(1).executeTakeFirstOrThrow();
  await sql`
    with ps as (select id, name, region_path, row_number() over (order by id) as rn from persons where region_path like ${lm.path + '%'}),
         cnt as (select count(*) as c from ps)
    insert into wishes (season_id, community_id, region_path, beneficiary_person_id, beneficiary_surname, title, story, category, target_group,
                        estimated_value_fen, channel, review_status, status, published_at, view_count)
    select ${season.id}, ${lm.id}, ps.region_path, ps.id, left(ps.name, 1), '想要一台收音机 #' || g, '独居多年，想听听戏曲广播解闷。',
           (array['goods','service','companionship'])[1 + g % 3], (array['elder','child','disabled','hardship','other'])[1 + g % 5],
           10000, 'h5', 'approved', 'published', now() - (g % 60) * interval '1 day', g % 97
    from generate_series(1, ${n}) as g cross join cnt join ps on ps.rn = 1 + (g % cnt.c)`.execute(dbh.db);
  await sql`analyze`.execute(dbh.db);
}

async function runOn(kind: 'pglite' | 'postgres', bareUrl: string, baseline: { rps: number }) {
  let dbName: string | undefined;
  let dbh: DbHandle;
  if (kind === 'postgres') {
    dbName = `redcom_bench_${process.pid}`;
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect(); await c.query(`create database ${dbName}`); await c.end();
    const u = new URL(PG_ADMIN); u.pathname = `/${dbName}`;
    dbh = await openDb({ databaseUrl: u.toString(), onPoolError: () => {} });
  } else {
    dbh = await openDb({});
  }
  try {
    await migrate(dbh.db);
    await seed(dbh.db, 'demo');
    await plantWishes(dbh, 10_000);
    const published = Number((await dbh.db.selectFrom('wishes').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').executeTakeFirstOrThrow()).n);
    const app = await buildApp({ config: { ...loadConfig({}), webDist: '/nonexistent' }, dbh });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const first = await load(`${base}/api/public/wishes?pageSize=20`);
    const deep = await load(`${base}/api/public/wishes?pageSize=20&page=100&category=goods`);

    // Claim storms: 200 concurrent claims by 20 claimer accounts on one wish.
    const tokens: string[] = [];
    for (const u of ['unit.demo', 'member.demo']) {
      const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'Demo@1234' }) });
      tokens.push((await r.json()).token);
    }
    const outcomes: string[] = [];
    const wishIds = (await dbh.db.selectFrom('wishes').select('id').where('status', '=', 'published').orderBy('id').limit(ROUNDS).execute()).map((w) => w.id);
    let exact = 0;
    for (const id of wishIds) {
      const codes = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        fetch(`${base}/api/wishes/${id}/claim`, { method: 'POST', headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } }).then((r) => r.status)));
      const ok = codes.filter((c) => c === 200).length, conflict = codes.filter((c) => c === 409).length;
      outcomes.push(`${ok}×200/${conflict}×409`);
      if (ok === 1 && conflict === 199) exact++;
    }
    await app.close();
    return { kind, published, first, deep, baseline, claims: `${exact}/${wishIds.length} rounds exactly one winner (${outcomes.join(', ')})` };
  } finally {
    await dbh.close();
    if (dbName) {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect(); await c.query(`drop database if exists ${dbName} with (force)`); await c.end();
    }
  }
}

const bare = Fastify();
const sample = { items: Array.from({ length: 20 }, (_, i) => ({ id: i, title: '想要一台收音机', beneficiary: '王某', communityName: '鹿鸣社区', status: 'published' })), total: 10000, page: 1, pageSize: 20 };
bare.get('/bare', async () => sample);
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
const baseline = await load(`${bareUrl}/bare`);
console.log(`node ${process.version}, 10 connections × ${DURATION} s; bare Fastify route: ${Math.round(baseline.rps)} req/s, p99 ${baseline.p99} ms\n`);
console.log('| database | published wishes | wall page 1 req/s (p99 ms) | ratio vs bare | wall page 100, goods only, req/s (p99 ms) | ratio vs bare | 200 concurrent claims |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const kind of ['pglite', 'postgres'] as const) {
  const r = await runOn(kind, bareUrl, baseline);
  console.log(`| ${kind} | ${r.published} | ${Math.round(r.first.rps)} (${r.first.p99}) | ${(r.first.rps / baseline.rps).toFixed(3)} | ${Math.round(r.deep.rps)} (${r.deep.p99}) | ${(r.deep.rps / baseline.rps).toFixed(3)} | ${r.claims} |`);
}
await bare.close();

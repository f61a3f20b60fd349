/**
 * Open311 reads at 10,000 service requests and the room-booking race, against the real server in its own
 * process (`redcom serve`), a bare Fastify route in a second process as the baseline, and the load
 * (autocannon, the booking requests) from this third one, so the load generator never shares an event loop
 * with what it measures.
 *  1. GET /open311/v2/… with 10,000 requests over 12 months (every category, compound, status): req/s, p50, p99,
 *     throughput as a ratio of the bare route's in the same run;
 *  2. 50 concurrent bookings of one slot over HTTP (one 201, 49 × 409 expected), repeated; and N sequential
 *     bookings of adjacent slots of the same room as the throughput baseline.
 *   npm run bench:open311               # PGlite in a temporary DATA_DIR
 *   BENCH_PG=1 npm run bench:open311    # a throwaway PostgreSQL database (BENCH_PG_URL, default postgres://root@127.0.0.1:5432/postgres)
 *   BENCH_SECONDS, BENCH_CONNECTIONS (32), BENCH_REQUESTS (10000), BENCH_RACE_ROUNDS (5), BENCH_SEQUENTIAL (100); BENCH_KEEP=1 keeps the data;
 *   BENCH_RESPONSE_CACHE=on serves the reads from the response cache (off by default: the queries are what is measured here).
 */
import os from 'node:os';
import { sql, type Insertable } from 'kysely';
import type { DbHandle } from '../server/src/core/db.js';
import { migrate } from '../server/src/core/migrate.js';
import { syncRoles } from '../server/src/modules/people/accounts.js';
import { ROLES } from '../server/src/modules/index.js';
import { OPEN_STATUSES } from '../server/src/modules/property/requests-policy.js';
import type { RequestStatus, ServiceRequestsTable } from '../server/src/modules/property/requests-tables.js';
import { newToken } from '../server/src/modules/property/service-requests.js';
import { seed } from '../server/src/seed/seed.js';
import { load as loadUrl, pct, prepareData, startBare, startServer } from './lib/server.js';

async function main() {
  const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
  const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const TARGET = Number(process.env.BENCH_REQUESTS ?? 10_000);
  const RACE_ROUNDS = Number(process.env.BENCH_RACE_ROUNDS ?? 5);
  const RACERS = 50;
  const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 100);
  const LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const onPg = process.env.BENCH_PG === '1';

  // 1. Seed the demo and bring service_requests to TARGET (bench/lib/server.ts: a PGlite DATA_DIR or a throwaway PostgreSQL database).
  let t0 = performance.now();
  let counts!: Awaited<ReturnType<typeof plantRequests>>;
  const data = await prepareData(onPg ? 'postgres' : 'pglite', 'open311', async (dbh) => {
    await migrate(dbh.db);
    await syncRoles(dbh.db, ROLES);
    await seed(dbh.db, 'demo');
    counts = await plantRequests(dbh, TARGET);
  });
  const prepSeconds = (performance.now() - t0) / 1000;

  // 2. The two server processes: `redcom serve` and the bare route. The response cache is off unless
  //    BENCH_RESPONSE_CACHE=on, so that what is measured is the Open311 queries at 10,000 requests.
  t0 = performance.now();
  const server = await startServer(data, { LOG_LEVEL, RESPONSE_CACHE: process.env.BENCH_RESPONSE_CACHE === 'on' ? 'on' : 'off' });
  const bare = await startBare();
  const base = server.base, bareUrl = bare.base;
  const startSeconds = (performance.now() - t0) / 1000;
  try {
    // 3. Open311 reads. The cases' parameters come from the data: the busiest category and a start 30 days back.
    const json = async (url: string, init?: RequestInit) => {
      const r = await fetch(url, init);
      if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    const all = await json(`${base}/open311/v2/requests.json`) as { service_request_id: string; service_code: string }[];
    const byCode = new Map<string, number>();
    for (const r of all) byCode.set(r.service_code, (byCode.get(r.service_code) ?? 0) + 1);
    const busiest = [...byCode].sort((a, b) => b[1] - a[1])[0][0];
    const since = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    const one = all[Math.floor(all.length / 2)].service_request_id;

    const load = (url: string) => loadUrl(url, { connections: CONNECTIONS, seconds: SECONDS });
    // A short warm-up so the first measured case does not pay for the JIT and cold caches.
    await loadUrl(`${base}/open311/v2/requests.json?status=open`, { connections: CONNECTIONS, seconds: 3 });
    await loadUrl(bareUrl, { connections: CONNECTIONS, seconds: 2 });

    const baseline = await load(bareUrl);
    const cases: [string, string][] = [
      ['GET /open311/v2/requests.json (default: last 90 days, ≤ 1000)', '/open311/v2/requests.json'],
      ['GET /open311/v2/requests.json?status=open', '/open311/v2/requests.json?status=open'],
      [`GET /open311/v2/requests.json?service_code=${busiest}&start_date=<30 days ago>`, `/open311/v2/requests.json?service_code=${busiest}&start_date=${since}`],
      ['GET /open311/v2/requests/{id}.json', `/open311/v2/requests/${one}.json`],
      ['GET /open311/v2/services.json', '/open311/v2/services.json'],
    ];
    // One request at a time, 20 times: the latency a single caller sees, without the queue that 32 connections build.
    const alone = async (url: string) => {
      const ms: number[] = [];
      let body = '';
      for (let i = 0; i < 20; i++) {
        const s = performance.now();
        body = await (await fetch(url)).text();
        ms.push(performance.now() - s);
      }
      const doc = JSON.parse(body) as unknown[] | { items: unknown[] };
      return { items: String(Array.isArray(doc) ? doc.length : doc.items.length), kb: kb(Buffer.byteLength(body)), alone: pct(ms.sort((x, y) => x - y), 0.5) };
    };
    const rows: { name: string; items: string; kb: string; alone: number; rps: number; p50: number; p99: number }[] = [
      { name: 'bare Fastify route, 20 rows (baseline, own process)', ...await alone(bareUrl), ...baseline },
    ];
    // Under load first, then alone: the single caller meets a warmed-up route.
    for (const [name, p] of cases) {
      const loaded = await load(`${base}${p}`);
      rows.push({ name, ...loaded, ...await alone(`${base}${p}`) });
    }

    // 4. The booking race, over HTTP as the H5 does it: resident.demo with a Bearer token, a fresh room at 橡树湾.
    const login = async (username: string) => {
      const r = await json(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Demo@1234' }) }) as { token: string };
      return { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' };
    };
    const worker = await login('community.luming');
    const resident = await login('resident.demo');
    const positions = await json(`${base}/api/positions?pageSize=100`) as { items: { id: number; name: string }[] };
    const station = positions.items.find((p) => p.name === '橡树湾党群服务站');
    if (!station) throw new Error('the demo has no 橡树湾党群服务站 to book rooms in');
    const newRoom = async (name: string) => (await json(`${base}/api/positions/${station.id}/rooms`, {
      method: 'POST', headers: worker, body: JSON.stringify({ name, kind: 'activity', capacity: 60, whoMayBook: 'any_resident', maxMinutes: 240, advanceDays: 30 }),
    }) as { id: number }).id;
    // A Shanghai date `days` from today and an instant on it (rooms are open 08:30–20:30 Shanghai time).
    const day = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
    const at = (d: string, minutes: number) => `${d}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+08:00`;
    const book = async (room: number, d: string, from: number, to: number) => {
      const r = await fetch(`${base}/api/rooms/${room}/bookings`, { method: 'POST', headers: resident, body: JSON.stringify({ startsAt: at(d, from), endsAt: at(d, to), purpose: '居民议事', headcount: 8 }) });
      await r.arrayBuffer();
      return r.status;
    };

    const raceRoom = await newRoom('压测·并发预约室');
    const races: { ok: number; conflict: number; other: number[]; ms: number }[] = [];
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const d = day(1 + round);
      const s = performance.now();
      const codes = await Promise.all(Array.from({ length: RACERS }, () => book(raceRoom, d, 600, 660)));
      races.push({ ms: performance.now() - s, ok: codes.filter((c) => c === 201).length, conflict: codes.filter((c) => c === 409).length, other: codes.filter((c) => c !== 201 && c !== 409) });
    }
    // The baseline: the same resident books SEQUENTIAL adjacent 15-minute slots one after another (no contention).
    const seqRoom = await newRoom('压测·顺序预约室');
    const perDay = (1230 - 510) / 15;
    const seqMs: number[] = [];
    const seqStart = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) {
      const from = 510 + (i % perDay) * 15;
      const s = performance.now();
      const code = await book(seqRoom, day(1 + Math.floor(i / perDay)), from, from + 15);
      if (code !== 201) throw new Error(`sequential booking ${i}: ${code}`);
      seqMs.push(performance.now() - s);
    }
    const seqWall = performance.now() - seqStart;

    await server.stop();
    await bare.stop();

    // 5. The report.
    const kind = onPg ? 'postgres' : 'pglite';
    console.log(`database: ${kind}; service_requests: ${counts.total.toLocaleString('en')} (${counts.open.toLocaleString('en')} open, ${counts.last90.toLocaleString('en')} in the last 90 days), `
      + `${counts.types} categories, ${counts.compounds} compounds; node ${process.version}, ${os.cpus().length} cores; server: \`redcom serve\` (LOG_LEVEL=${LOG_LEVEL}), `
      + `bare route and autocannon in their own processes; ${CONNECTIONS} connections × ${SECONDS} s each; prepare ${prepSeconds.toFixed(0)} s, server start ${startSeconds.toFixed(1)} s`);
    console.log(`\n| endpoint | items | KB | one caller, p50 ms | req/s (${CONNECTIONS} conn.) | p50 ms | p99 ms | throughput vs bare |\n|---|---:|---:|---:|---:|---:|---:|---:|`);
    for (const r of rows) console.log(`| ${r.name} | ${r.items} | ${r.kb} | ${r.alone.toFixed(1)} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${(r.rps / baseline.rps).toFixed(3)} |`);

    const exact = races.filter((r) => r.ok === 1 && r.conflict === RACERS - 1).length;
    const raceMs = races.map((r) => r.ms).sort((a, b) => a - b);
    const seqSorted = [...seqMs].sort((a, b) => a - b);
    const seqMean = seqWall / SEQUENTIAL;
    console.log(`\n| booking | result | wall time |\n|---|---|---:|`);
    for (const [i, r] of races.entries()) {
      console.log(`| race ${i + 1}: ${RACERS} concurrent POST /api/rooms/:id/bookings, one slot | ${r.ok} × 201, ${r.conflict} × 409${r.other.length ? `, other: ${r.other.join(',')}` : ''} | ${r.ms.toFixed(0)} ms |`);
    }
    console.log(`| ${SEQUENTIAL} sequential bookings of adjacent 15-minute slots | ${SEQUENTIAL} × 201; p50 ${pct(seqSorted, 0.5).toFixed(1)} ms, p99 ${pct(seqSorted, 0.99).toFixed(1)} ms, ${(1000 / seqMean).toFixed(0)} bookings/s | ${seqWall.toFixed(0)} ms |`);
    console.log(`\nbooking race: ${exact}/${races.length} rounds exactly one 201 and ${RACERS - 1} × 409; median race ${pct(raceMs, 0.5).toFixed(0)} ms for ${RACERS} requests `
      + `= ${(pct(raceMs, 0.5) / RACERS).toFixed(1)} ms a request, vs ${seqMean.toFixed(1)} ms a sequential booking (ratio ${(pct(raceMs, 0.5) / RACERS / seqMean).toFixed(2)})`);
    if (exact !== races.length) process.exitCode = 1;
  } finally {
    await server.stop();
    await bare.stop();
    await data.cleanup();
  }
}

/**
 * Adds requests until service_requests holds `target`: over the last 12 months (more in recent months), spread over
 * every category (repairs most), every compound with a service area (橡树湾 busiest), residents of each compound; open
 * ones mostly recent, a few stale and escalated, the rest done, rated or closed with an outcome. Batches of 500 rows.
 */
async function plantRequests(dbh: DbHandle, target: number) {
  const { db } = dbh;
  const rnd = mulberry32(20240611);
  const pickW = <T>(items: readonly (readonly [T, number])[]): T => {
    let x = rnd() * items.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of items) if ((x -= w) < 0) return v;
    return items[items.length - 1][0];
  };
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

  const types = await db.selectFrom('service_types').select(['id', 'code', 'sla_hours', 'team']).where('active', '=', true).execute();
  const compounds = (await sql<{ id: number; path: string; name: string; lat: number; lng: number }>`
    select c.id, c.path, c.name, a.lat, a.lng from request_areas a join regions c on c.id = a.compound_id order by c.id`.execute(db)).rows;
  const regions = await db.selectFrom('regions').select(['id', 'path', 'level']).where('level', 'in', ['street', 'community']).execute();
  const accounts = Object.fromEntries((await db.selectFrom('accounts').select(['id', 'username'])
    .where('username', 'in', ['property.xiangshuwan', 'community.luming', 'unit.demo', 'grid.xiangshuwan']).execute()).map((a) => [a.username, a.id]));
  const places: { compound: (typeof compounds)[number]; community: (typeof regions)[number]; street: (typeof regions)[number] | null; people: { id: number; region_id: number; path: string }[]; weight: number }[] = [];
  for (const c of compounds) {
    const people = (await sql<{ id: number; region_id: number; path: string }>`
      select p.id, p.region_id, g.path from persons p join regions g on g.id = p.region_id
      where p.region_path like ${`${c.path}%`} and g.level = 'room' order by p.id limit 400`.execute(db)).rows;
    if (!people.length) continue;
    const community = regions.find((r) => r.level === 'community' && c.path.startsWith(r.path))!;
    const street = regions.find((r) => r.level === 'street' && c.path.startsWith(r.path)) ?? null;
    places.push({ compound: c, community, street, people, weight: c.name.includes('橡树湾') ? 6 : 1 });
  }
  const lumingPath = regions.find((r) => r.level === 'community' && places.some((p) => p.community.id === r.id && p.compound.name.includes('橡树湾')))?.path;

  const have = Number((await db.selectFrom('service_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const typeWeights: Record<string, number> = {
    'repair.water': 22, 'repair.door': 10, 'repair.public': 14, 'repair.elevator': 6, 'home.cleaning': 6, 'home.appliance': 4,
    'complaint.noise': 9, 'complaint.environment': 12, 'complaint.property': 7, suggestion: 10,
  };
  const now = Date.now();
  const hours = (h: number) => h * 3600_000;
  const planted: Insertable<ServiceRequestsTable>[] = [];
  for (let k = have; k < target; k++) {
    const t = pickW(types.map((x) => [x, typeWeights[x.code] ?? 5] as const));
    const place = pickW(places.map((p) => [p, p.weight] as const));
    const person = place.people[int(0, place.people.length - 1)];
    // Age in hours, skewed to recent months (more residents use it as it becomes known).
    const ageH = Math.max(1, Math.floor(365 * 24 * rnd() ** 1.4));
    const fresh = ageH < t.sla_hours * 3;
    let status: RequestStatus = fresh
      ? pickW([['submitted', 8], ['accepted', 6], ['assigned', 7], ['in_progress', 7], ['done', 6], ['rated', 3], ['closed', 3]])
      : pickW([['submitted', 1], ['in_progress', 2], ['done', 14], ['rated', 30], ['closed', 53]]);
    const xsw = place.compound.name.includes('橡树湾');
    const assignee = t.team === 'property' ? (xsw ? accounts['property.xiangshuwan'] : null)
      : t.team === 'alliance' ? accounts['unit.demo'] : place.community.path === lumingPath ? accounts['community.luming'] : null;
    // Compounds without a demo staff account: finished by someone not in the demo, but nobody is "assigned" now.
    if (!assignee && ['assigned', 'in_progress'].includes(status)) status = 'accepted';
    const open = OPEN_STATUSES.includes(status);
    const created = new Date(now - hours(ageH) - int(0, 3599_000));
    const at = (h: number) => new Date(created.getTime() + hours(h));
    const took = rnd() < 0.78 ? int(1, t.sla_hours) : int(t.sla_hours + 1, t.sla_hours * 3);
    const doneAt = ['done', 'rated'].includes(status) || (status === 'closed' && rnd() < 0.85) ? at(took) : null;
    const level = open ? (now >= at(2 * t.sla_hours).getTime() ? 2 : now >= at(t.sla_hours).getTime() ? 1 : 0) : 0;
    const rating = status === 'rated' || (status === 'closed' && doneAt && rnd() < 0.7) ? (took <= t.sla_hours ? int(4, 5) : int(2, 4)) : null;
    const outcome = status === 'closed' ? (doneAt ? 'fixed' : pickW([['not_ours', 3], ['referred', 2]] as const)) : null;
    const onBehalf = rnd() < 0.2;
    const texts = TEXTS[t.code] ?? ['居民反映的问题，请尽快处理'];
    planted.push({
      token: newToken(), service_type_id: t.id, status, description: texts[int(0, texts.length - 1)], attributes: '{}',
      room_id: person.region_id, compound_id: place.compound.id, community_id: place.community.id, street_id: place.street?.id ?? null, region_path: person.path,
      requester_person_id: person.id, submitted_by: onBehalf && xsw ? accounts['grid.xiangshuwan'] : null, channel: onBehalf ? 'on_behalf' : 'self', team: t.team,
      assignee_id: ['assigned', 'in_progress', 'done', 'rated'].includes(status) || doneAt ? assignee : null,
      sla_hours: t.sla_hours, sla_started_at: created, due_at: at(t.sla_hours), escalation_level: level,
      next_escalation_at: open ? (level === 0 ? at(t.sla_hours) : level === 1 ? at(2 * t.sla_hours) : null) : null, escalated_at: level ? at(t.sla_hours * level) : null,
      done_note: doneAt ? '已上门处理，恢复正常' : null, rating, rating_text: rating ? (rating >= 4 ? '师傅很专业，及时' : '来得有点慢') : null,
      outcome, referred_to: outcome === 'referred' ? '区城管局' : null, close_note: outcome === 'not_ours' ? '属市政管网，已告知居民拨打12345' : null,
      created_at: created, accepted_at: status === 'submitted' ? null : at(0.5), assigned_at: assignee && !['submitted', 'accepted'].includes(status) ? at(1) : null,
      started_at: status === 'in_progress' || doneAt ? at(Math.min(2, took)) : null, done_at: doneAt, first_done_at: doneAt,
      rated_at: rating && doneAt ? new Date(doneAt.getTime() + hours(5)) : null, closed_at: status === 'closed' ? at(Math.max(took, 2) + 24) : null,
      updated_at: status === 'closed' ? at(Math.max(took, 2) + 24) : doneAt ?? created,
    });
  }
  // Appended in time order, as a live system writes them (the heap order then follows created_at, as in production).
  planted.sort((a, b) => (a.created_at as Date).getTime() - (b.created_at as Date).getTime());
  for (let i = 0; i < planted.length; i += 500) await db.insertInto('service_requests').values(planted.slice(i, i + 500)).execute();
  // Every request has its first timeline entry, as one filed through the API would.
  await sql`insert into service_request_events (request_id, kind, at, actor_id, data)
    select r.id, 'submitted', r.created_at, r.submitted_by, jsonb_build_object('channel', r.channel) from service_requests r
    where not exists (select 1 from service_request_events e where e.request_id = r.id)`.execute(db);
  await sql`analyze`.execute(db);
  const n = async (where: ReturnType<typeof sql>) => Number((await sql<{ n: number }>`select count(*)::int as n from service_requests where ${where}`.execute(db)).rows[0].n);
  return {
    total: await n(sql`true`), open: await n(sql`status in ('submitted','accepted','assigned','in_progress')`),
    last90: await n(sql`created_at >= now() - interval '90 days'`), types: types.length, compounds: places.length,
  };
}

/** What residents type, per category; some with a phone number or a door that the public screen masks. */
const TEXTS: Record<string, string[]> = {
  'repair.water': ['厨房水槽下水管漏水，地面有积水', '卫生间马桶水箱一直流水', '家里插座跳闸，一开空调就断电', '热水器进水阀滴水', '楼上渗水到我家卫生间吊顶，3幢502室，电话13812345678', '水表井盖松动，晚上路过容易踩空'],
  'repair.door': ['阳台推拉窗关不严，下雨渗水', '入户门锁芯卡住，钥匙拧不动', '卧室纱窗脱轨', '单元门闭门器坏了，门砰砰响'],
  'repair.public': ['楼道声控灯不亮，晚上上楼看不见', '单元门禁刷卡没反应', '小区健身器材螺丝松动，有安全隐患', '地下车库入口路灯坏了', '12号楼楼道扶手松了，老人上下楼不安全'],
  'repair.elevator': ['电梯运行时有异响', '电梯按钮失灵，到不了十二楼', '电梯门关得太快，夹到老人'],
  'home.cleaning': ['老人独居，想请人做一次全屋保洁', '新装修完需要开荒保洁', '想约每周一次的钟点保洁'],
  'home.appliance': ['油烟机需要拆洗', '空调换季清洗', '洗衣机滚筒有异味，想清洗一下'],
  'complaint.noise': ['楼上装修周末一早就开始电钻', '晚上十点后广场舞音响太大', '隔壁空调外机噪音很大，晚上睡不着'],
  'complaint.environment': ['垃圾分类点溢满，两天没有清运', '草坪里宠物粪便没人清理', '楼道堆放杂物堵住消防通道', '小区河道有异味，夏天蚊子多'],
  'complaint.property': ['报修三天没人上门', '保安夜间巡逻不到位', '物业费收据一直没开，请联系0515-88881234'],
  suggestion: ['建议在小区东门增加电动车充电桩', '建议给老年活动室添置几把椅子', '建议快递柜旁边加个雨棚', '建议多安排几场老年人智能手机培训'],
};

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

await main();

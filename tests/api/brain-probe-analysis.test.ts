import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowHash } from '../../server/src/modules/brain/ingest.js';
import { storySize } from '../../server/src/modules/brain/seed-story.js';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';
import { sqlRows } from '../helpers/brain.js';

/**
 * Probe analysis (无线探针研判) through the API, over the seeded week of probe sightings and the
 * population registry: an operator's device dataset (MAC hash → phone) and a risk list built here,
 * the hits with their chain of evidence (probe, time, device, phone, list entry), phones written
 * differently on each side, a person reached by ID number, the window filter, masking, the
 * exchange log, who may run it, and bad windows named by field.
 */
describe('red brain: probe analysis', () => {
  let t: TestApp;
  const as = requester(() => t);
  const q = sqlRows(() => t);
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, any>;
  const mac = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
  const now = Date.now();
  const day = 86400_000;
  const window = { from: new Date(now - 8 * day).toISOString(), to: new Date(now + 3600_000).toISOString() };

  interface Reg { key: string; data: Record<string, any> }
  let probe = 0, registry = 0, device = 0, risk = 0;
  let A: Reg, B: Reg, C: Reg, D: Reg;
  let M1 = '', M3 = '';
  const M2 = mac('test-mac-b'), M4 = mac('test-mac-d');
  const PX = '13900000001'; // a phone the registry does not know: B is reached by ID number
  const inside = new Date(now - 2 * day), outside = new Date(now - 10 * day);
  inside.setMilliseconds(0); outside.setMilliseconds(0);

  async function dataset(name: string, systemQuery: string, fields: unknown[], shareType = 'conditional') {
    const sys = (await as('data.admin', 'GET', `/api/brain/systems?q=${encodeURIComponent(systemQuery)}`)).json().items[0];
    const r = await as('data.admin', 'POST', '/api/brain/datasets', { name, systemId: sys.id, shareType, fields, legalBasis: 'public_health', purpose: '突发公共卫生事件应对', retentionDays: 30 });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  }
  async function put(datasetId: number, key: string, data: Record<string, unknown>) {
    await sql`insert into brain_rows (dataset_id, key, data, row_hash) values (${datasetId}, ${key}, ${JSON.stringify(data)}::jsonb, ${rowHash(data)})`.execute(t.dbh.db);
  }
  const DEVICE_FIELDS = [{ name: 'macHash', type: 'text', personal: 'sensitive', key: true }, { name: 'phone', type: 'text', personal: 'personal' }];

  beforeAll(async () => {
    t = await createTestApp();
    probe = (await q<{ id: number }>(sql`select id from brain_datasets where name = '无线探针发现记录'`))[0].id;
    registry = (await q<{ dataset_id: number }>(sql`select dataset_id from brain_builtin_datasets where code = 'population_registry'`))[0].dataset_id;
    // Registry persons whose phone no other person has, and one with an ID number.
    const unique = await q<{ key: string; data: unknown }>(sql`
      select key, data from brain_rows r where dataset_id = ${registry} and coalesce(data->>'phone', '') ~ '^1[3-9][0-9]{9}$' and data->>'id_no' is not null
        and (select count(*) from brain_rows o where o.dataset_id = ${registry} and o.data->>'phone' = r.data->>'phone') = 1
      order by key limit 4`);
    expect(unique.length).toBe(4);
    [A, B, C, D] = unique.map((r) => ({ key: r.key, data: json(r.data) }));
    expect(await q(sql`select 1 from brain_rows where dataset_id = ${registry} and data->>'phone' = ${PX}`)).toEqual([]);
    // Two seeded MACs: M1 is A's phone, M3 a phone no list names.
    const macs = await q<{ mac: string }>(sql`select data->>'macHash' as mac from brain_rows where dataset_id = ${probe} group by 1 having count(*) >= 2 order by 1 limit 2`);
    [M1, M3] = macs.map((m) => m.mac);
    // M2: one sighting inside the window, one before it.
    for (const at of [inside, outside]) await put(probe, `TZ-HH-900|${M2}|${at.toISOString()}`, { probeId: 'TZ-HH-900', macHash: M2, seenAt: at.toISOString(), rssi: -60 });

    device = await dataset('手机终端 MAC 对应号码（测试）', '信令', DEVICE_FIELDS);
    const digits = String(A.data.phone);
    await put(device, M1, { macHash: M1, phone: `+86 ${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}` });
    await put(device, M2, { macHash: M2, phone: PX });
    await put(device, M3, { macHash: M3, phone: C.data.phone });
    await put(device, M4, { macHash: M4, phone: D.data.phone }); // never sighted

    risk = await dataset('中高风险地区来返人员（测试）', '传染病', [
      { name: 'entryNo', type: 'text', personal: 'none', key: true }, { name: 'id_no', type: 'text', personal: 'personal' }, { name: 'name', type: 'text', personal: 'personal' },
      { name: 'phone', type: 'text', personal: 'personal' }, { name: 'fromArea', type: 'text', personal: 'sensitive' }, { name: 'arrivedOn', type: 'date', personal: 'sensitive' },
    ]);
    await put(risk, 'R1', { entryNo: 'R1', id_no: '', name: A.data.name, phone: `86${A.data.phone}`, fromArea: '湖北省武汉市', arrivedOn: '2026-11-20' });
    await put(risk, 'R2', { entryNo: 'R2', id_no: String(B.data.id_no).toLowerCase(), name: B.data.name, phone: PX, fromArea: '上海市浦东新区', arrivedOn: '2026-11-21' });
    await put(risk, 'R4', { entryNo: 'R4', id_no: D.data.id_no, name: D.data.name, phone: D.data.phone, fromArea: '北京市朝阳区', arrivedOn: '2026-11-22' });
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  const body = (more: Record<string, unknown> = {}) => ({ probeDatasetId: probe, deviceDatasetId: device, riskDatasetId: risk, ...window, ...more });

  it('finds the registry persons on the list seen by the probes, each with the chain of evidence, masked', async () => {
    const r = await as('data.admin', 'POST', '/api/brain/probe-analysis', body());
    expect(r.statusCode).toBe(200);
    const out = r.json();
    expect(out.hits.map((h: any) => h.personKey).sort()).toEqual([A.key, B.key].sort());

    const inWindow = await q<{ n: number; macs: number }>(sql`
      select count(*)::int as n, count(distinct data->>'macHash')::int as macs from brain_rows
      where dataset_id = ${probe} and (data->>'seenAt')::timestamptz between ${new Date(window.from)} and ${new Date(window.to)}`);
    expect(out.counts).toEqual({ sightings: inWindow[0].n, devices: inWindow[0].macs, phonesMatched: 3, riskMatched: 2, persons: 2 });

    const a = out.hits.find((h: any) => h.personKey === A.key);
    const seenA = await q<{ seen: string; probe: string }>(sql`select data->>'seenAt' as seen, data->>'probeId' as probe from brain_rows where dataset_id = ${probe} and data->>'macHash' = ${M1} order by 1`);
    expect(a.evidenceTotal).toBe(seenA.length);
    expect(a.evidence.map((e: any) => [e.seenAt, e.probeId])).toEqual(seenA.map((s) => [new Date(s.seen).toISOString(), s.probe]));
    const phoneA = String(A.data.phone);
    expect(a.evidence[0]).toMatchObject({ macHash: `${M1.slice(0, 8)}…`, phone: `${phoneA.slice(0, 3)}****${phoneA.slice(-4)}` });
    expect(a.evidence[0].riskEntry.key).toBe('R1');
    expect(a.evidence[0].riskEntry.values.fromArea).not.toBe('湖北省武汉市');
    expect(a.evidence[0].riskEntry.values.fromArea).toMatch(/^湖\*+$/);
    expect(a.evidence[0].riskEntry.values.arrivedOn).toBe('2026-**-**');
    expect(a.person.birthYear).toBe(Number(String(A.data.birth_date).slice(0, 4)));
    expect(a.person.name).not.toBe(A.data.name);
    expect(a.person.name[0]).toBe(String(A.data.name)[0]);
    if (A.data.address) expect(a.person.address).not.toBe(A.data.address);
    // Nothing in the reply is a full phone, ID number or MAC hash.
    const text = r.body;
    for (const secret of [phoneA, String(A.data.id_no), String(B.data.id_no), PX, M1, M2]) expect(text).not.toContain(secret);

    // B is reached through the ID number on the list (the operator's phone is not in the registry); only the sighting inside the window counts.
    const b = out.hits.find((h: any) => h.personKey === B.key);
    expect(b.evidence).toHaveLength(1);
    expect(b.evidence[0]).toMatchObject({ probeId: 'TZ-HH-900', seenAt: inside.toISOString(), macHash: `${M2.slice(0, 8)}…`, riskEntry: { key: 'R2' } });
  });

  it('a window without B\'s sighting leaves B out; every dataset used is on the exchange log', async () => {
    const narrow = { from: new Date(inside.getTime() + 60_000).toISOString(), to: new Date(now + 3600_000).toISOString() };
    const r = await as('data.admin', 'POST', '/api/brain/probe-analysis', body(narrow));
    expect(r.statusCode).toBe(200);
    expect(r.json().hits.map((h: any) => h.personKey)).not.toContain(B.key);
    const before = { from: new Date(outside.getTime() - day).toISOString(), to: new Date(outside.getTime() + 60_000).toISOString() };
    const old = (await as('data.admin', 'POST', '/api/brain/probe-analysis', body(before))).json();
    expect(old.hits.map((h: any) => h.personKey)).toEqual([B.key]);
    expect(old.hits[0].evidence.map((e: any) => e.seenAt)).toEqual([outside.toISOString()]);
    for (const id of [probe, device, risk, registry]) {
      const log = (await as('data.admin', 'GET', `/api/brain/exchange-log?kind=match&datasetId=${id}`)).json();
      expect(log.items[0]).toMatchObject({ outcome: 'ok', purpose: '无线探针研判' });
    }
  });

  it('the demo tells the seed\'s story in proportion: the arrivals list links to its planted residents, and the probes find the planted few among them', async () => {
    const id = async (name: string) => (await q<{ id: number }>(sql`select id from brain_datasets where name = ${name}`))[0].id;
    const persons = (await q<{ n: number }>(sql`select count(*)::int as n from persons`))[0].n;
    const story = storySize(persons);
    expect(story.linked).toBe(Math.round((1685 * persons) / 620_000));
    const arrivals = await id('中高风险地区来返人员');
    const created = await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: arrivals, rightDatasetId: registry });
    expect(created.statusCode).toBe(201);
    let job: any;
    for (let i = 0; i < 600 && !['succeeded', 'failed'].includes(job?.status); i++) {
      await new Promise((res) => setTimeout(res, 50));
      job = (await as('data.admin', 'GET', `/api/brain/match-jobs/${created.json().id}`)).json();
    }
    expect(job.status).toBe('succeeded');
    // Every planted resident is linked automatically, and no one who lives elsewhere (decoys with a resident's name and birth year among them).
    expect(job.counts).toMatchObject({ auto: story.linked, review: 0 });
    const links = (await as('data.admin', 'GET', `/api/brain/match-jobs/${created.json().id}/links?decision=auto&pageSize=100`)).json().items;
    const planted = new Set(links.map((l: any) => l.rightKey));

    const r = await as('data.admin', 'POST', '/api/brain/probe-analysis', body({ deviceDatasetId: await id('手机终端 MAC 与号码对应'), riskDatasetId: arrivals }));
    expect(r.statusCode).toBe(200);
    const out = r.json();
    expect(out.counts.persons).toBe(story.probeHits);
    expect(out.hits).toHaveLength(story.probeHits);
    // A visitor on the list was seen too, but lives elsewhere: matched on the list, not a resident.
    expect(out.counts.riskMatched).toBeGreaterThan(story.probeHits);
    for (const h of out.hits) {
      expect(planted.has(h.personKey)).toBe(true);
      expect(h.evidence.length).toBeGreaterThan(0);
    }
  });

  it('stewards only, never over a dataset that is not shared; bad input is 4xx naming the field', async () => {
    expect((await as('dept.weijian', 'POST', '/api/brain/probe-analysis', body())).statusCode).toBe(403);
    expect((await as('resident.demo', 'POST', '/api/brain/probe-analysis', body())).statusCode).toBe(403);
    const closed = await dataset('内部终端号码（不予共享）', '信令', DEVICE_FIELDS, 'none');
    await put(closed, M1, { macHash: M1, phone: A.data.phone });
    expect((await as('data.admin', 'POST', '/api/brain/probe-analysis', body({ deviceDatasetId: closed }))).statusCode).toBe(403);
    const log = (await as('data.admin', 'GET', `/api/brain/exchange-log?kind=match&datasetId=${closed}`)).json();
    expect(log.items[0]).toMatchObject({ outcome: 'denied' });

    const fields = async (b: unknown, status = 400) => {
      const r = await as('data.admin', 'POST', '/api/brain/probe-analysis', b);
      expect(r.statusCode).toBe(status);
      return Object.keys(r.json().error.fields ?? {});
    };
    expect(await fields(body({ from: window.to, to: window.from }))).toEqual(['to']);
    expect(await fields(body({ from: new Date(now - 40 * day).toISOString() }))).toEqual(['to']);
    expect(await fields(body({ from: 'yesterday' }))).toEqual(['from']);
    expect(await fields(body({ probeDatasetId: device }))).toEqual(['probeDatasetId']);
    expect(await fields(body({ riskDatasetId: 99999 }), 404)).toEqual(['riskDatasetId']);
  });
});

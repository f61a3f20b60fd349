import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stationKind, stationService, stationStatus } from '../../server/src/modules/alliance/schemas.js';
import { STATION_KINDS, STATION_SERVICE_CODES, STATION_SERVICES, STATION_STATUSES } from '../../server/src/modules/alliance/stations-tables.js';
import { bearer, createTestApp, requester, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';
import { multipart } from '../helpers/multipart.js';

/**
 * Convenience stations managed from the console: create, edit, close with a reason and reopen (the
 * public map follows), scope (a community worker manages only its own community's stations), the
 * all-or-nothing import, the export read back with exceljs, and check-ins in the statistics.
 */
describe('convenience stations: management', () => {
  let t: TestApp;
  const db = () => t.dbh.db;
  const as = requester(() => t);
  let lm: { id: number; path: string }; // 鹿鸣社区 (community.luming)
  let jlh: { id: number; path: string }; // 聚龙湖社区 (community.julonghu)
  const base = () => ({
    name: '锋小巢·鹿鸣测试站', kind: 'fengxiaochao', regionId: lm.id, address: '鹿鸣社区新洋路88号', lat: 33.3612, lng: 120.1895, openingHours: '08:00—20:00',
    services: ['rest', 'water', 'express_agency', 'entrepreneurship'], contactName: '王站长', contactPhone: '0515-88881234',
  });
  /** Every id on the public map (all pages). */
  const publicIds = async () => {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const b = (await as(null, 'GET', `/api/stations?pageSize=100&page=${page}`)).json();
      ids.push(...b.items.map((s: any) => s.id));
      if (ids.length >= b.total || !b.items.length) return ids;
    }
  };
  const stationRow = (id: number) => db().selectFrom('stations').selectAll().where('id', '=', id).executeTakeFirst();
  const sheetOf = async (rows: unknown[][], header?: string[]) => {
    const tpl = new ExcelJS.Workbook();
    await tpl.xlsx.load((await as('community.luming', 'GET', '/api/stations/import-template.xlsx')).rawPayload as any);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('便民服务站');
    ws.addRow(header ?? (tpl.worksheets[0].getRow(1).values as unknown[]).slice(1));
    for (const r of rows) ws.addRow(r);
    return multipart({}, [{ field: 'file', name: 'stations.xlsx', type: 'application/octet-stream', data: Buffer.from(await wb.xlsx.writeBuffer()) }]);
  };
  const upload = async (user: string, form: { payload: Buffer; headers: Record<string, string> }) =>
    t.app.inject({ method: 'POST', url: '/api/stations/import', headers: { ...bearer(await t.token(user)), ...form.headers }, payload: form.payload });
  const readSheet = async (bytes: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as any);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    return rows;
  };

  beforeAll(async () => {
    t = await createTestApp();
    lm = await regionByCode(db(), 'HH-LM');
    jlh = await regionByCode(db(), 'HH-JLH');
  });
  afterAll(() => t?.close());

  it('the codes the web reads agree with the dictionary; 创新创业 and 快递代办 are services', () => {
    expect(stationService.options).toEqual(STATION_SERVICE_CODES);
    expect(stationStatus.options).toEqual([...STATION_STATUSES]);
    expect(stationKind.options).toEqual([...STATION_KINDS]);
    expect(Object.values(STATION_SERVICES)).toEqual(expect.arrayContaining(['创新创业', '快递代办']));
  });

  it('the demo stations offer the new services, and the public list filters by them', async () => {
    const agency = (await as(null, 'GET', '/api/stations?service=express_agency&pageSize=100')).json();
    expect(agency.total).toBeGreaterThan(0);
    expect(agency.items.every((s: any) => s.services.includes('express_agency') && s.serviceNames.includes('快递代办'))).toBe(true);
    expect((await as(null, 'GET', '/api/stations?service=entrepreneurship&pageSize=1')).json().items[0].serviceNames).toContain('创新创业');
  });

  it('creates, edits, closes with a reason and reopens a station; the public list and check-in follow', async () => {
    const before = (await publicIds()).length;
    const created = await as('community.luming', 'POST', '/api/stations', base());
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    expect(await publicIds()).toContain(id);
    expect((await as(null, 'GET', '/api/stations?pageSize=1')).json().total).toBe(before + 1);

    // Field errors name the field.
    const dup = await as('community.luming', 'POST', '/api/stations', base());
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toHaveProperty('name');
    const compound = await regionByCode(db(), 'XSW');
    const bad = await as('community.luming', 'POST', '/api/stations', { ...base(), name: '锋小巢·小区里', regionId: compound.id, contactPhone: '12345', services: ['rest', 'massage'] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['contactPhone', 'services.1']);
    const notCommunity = await as('community.luming', 'POST', '/api/stations', { ...base(), name: '锋小巢·小区里', regionId: compound.id });
    expect(notCommunity.statusCode).toBe(400);
    expect(notCommunity.json().error.fields.regionId).toBe('须为社区');
    const elsewhere = await as('community.luming', 'POST', '/api/stations', { ...base(), regionId: jlh.id });
    expect(elsewhere.statusCode).toBe(403);
    expect(await db().selectFrom('stations').select('id').where('region_id', '=', jlh.id).where('name', '=', base().name).execute()).toEqual([]);

    const edited = await as('community.luming', 'PATCH', `/api/stations/${id}`, { name: '锋小巢·鹿鸣示范站', services: ['rest', 'express_agency', 'express_agency'], contactPhone: '13912345678' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await stationRow(id)).toMatchObject({ name: '锋小巢·鹿鸣示范站', services: ['rest', 'express_agency'], contact_phone: '13912345678', status: 'open' });
    expect((await as('community.luming', 'PATCH', `/api/stations/${id}`, {})).statusCode).toBe(400);

    expect((await as('community.luming', 'POST', `/api/stations/${id}/close`, {})).json().error.fields).toHaveProperty('reason');
    const closed = await as('community.luming', 'POST', `/api/stations/${id}/close`, { reason: '道路施工，暂停开放' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ id, status: 'closed', closedReason: '道路施工，暂停开放', closedAt: expect.any(String) });
    // Closed stations leave the public map; checking in there answers as for a missing station.
    expect(await publicIds()).not.toContain(id);
    expect((await as(null, 'GET', '/api/stations?pageSize=1')).json().total).toBe(before);
    expect((await as(null, 'POST', `/api/stations/${id}/checkin`)).statusCode).toBe(404);
    // The console still lists it, with the reason.
    const managed = (await as('community.luming', 'GET', '/api/stations/managed?status=closed&pageSize=100')).json();
    expect(managed.items.find((s: any) => s.id === id)).toMatchObject({ status: 'closed', closedReason: '道路施工，暂停开放', communityName: '鹿鸣社区', streetName: '黄海街道' });
    const audit = await db().selectFrom('audit_log').select(['action', 'target_id']).where('target_type', '=', 'station').where('target_id', '=', String(id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['station.create', 'station.update', 'station.close']);

    const reopened = await as('community.luming', 'POST', `/api/stations/${id}/reopen`);
    expect(reopened.json()).toMatchObject({ id, status: 'open', closedReason: null, closedAt: null });
    expect(await publicIds()).toContain(id);
    expect((await as(null, 'POST', `/api/stations/${id}/checkin`)).statusCode).toBe(200);
    // Reopening an open station changes nothing.
    expect((await as('community.luming', 'POST', `/api/stations/${id}/reopen`, {})).json().status).toBe('open');
    expect((await db().selectFrom('audit_log').select('id').where('action', '=', 'station.reopen').where('target_id', '=', String(id)).execute()).length).toBe(1);
  });

  it('a community worker manages only its own community\'s stations: 聚龙湖 cannot touch a 鹿鸣 station', async () => {
    const lmStation = await db().selectFrom('stations').selectAll().where('region_id', '=', lm.id).where('status', '=', 'open').orderBy('id').executeTakeFirstOrThrow();
    const attempts = [
      ['PATCH', `/api/stations/${lmStation.id}`, { name: '越界改名' }],
      ['POST', `/api/stations/${lmStation.id}/close`, { reason: '越界关闭' }],
      ['PATCH', `/api/stations/${lmStation.id}`, { regionId: jlh.id }],
    ] as const;
    for (const [method, url, payload] of attempts) {
      const res = await as('community.julonghu', method, url, payload);
      expect([403, 404], `${method} ${url} → ${res.statusCode}`).toContain(res.statusCode);
    }
    expect(await stationRow(lmStation.id)).toEqual(lmStation);
    // Nor can it move its own station into 鹿鸣.
    const own = await db().selectFrom('stations').select(['id', 'region_id']).where('region_id', '=', jlh.id).orderBy('id').executeTakeFirstOrThrow();
    expect((await as('community.julonghu', 'PATCH', `/api/stations/${own.id}`, { regionId: lm.id })).statusCode).toBe(403);
    expect((await stationRow(own.id))!.region_id).toBe(jlh.id);

    const list = (await as('community.julonghu', 'GET', '/api/stations/managed?pageSize=100')).json();
    expect(list.total).toBe(await db().selectFrom('stations').select(sql<number>`count(*)::int`.as('n')).where('region_id', '=', jlh.id).executeTakeFirstOrThrow().then((r) => r.n));
    expect(list.items.every((s: any) => s.communityName === '聚龙湖社区')).toBe(true);
    expect((await as('community.julonghu', 'GET', `/api/stations/managed?regionId=${lm.id}`)).json().total).toBe(0);
    // A street worker sees the street's communities; residents and anonymous callers have no console.
    const street = (await as('street.huanghai', 'GET', '/api/stations/managed?pageSize=100')).json();
    expect(new Set(street.items.map((s: any) => s.streetName))).toEqual(new Set(['黄海街道']));
    expect((await as('resident.demo', 'GET', '/api/stations/managed')).statusCode).toBe(403);
    expect((await as(null, 'GET', '/api/stations/managed')).statusCode).toBe(401);
    expect((await as('resident.demo', 'POST', '/api/stations', base())).statusCode).toBe(403);
  });

  it('imports all or nothing: a bad row names its row and column and nothing is written', async () => {
    const count = async () => Number((await db().selectFrom('stations').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const n0 = await count();
    const good = (name: string) => ['', name, '歇歇脚', '鹿鸣社区', '鹿鸣社区通榆路1号', 33.35, 120.2, '全天', '休息、饮水、快递代办', '', '李站长', '13812345678', ''];
    const rejected = await upload('community.luming', await sheetOf([good('歇歇脚·导入一号'), good('歇歇脚·导入二号'), ['', '歇歇脚·坏行', '凉亭', '鹿鸣社区', '通榆路', 'abc', 120.2, '全天', '休息、按摩', '', '', '123', '']]));
    expect(rejected.statusCode).toBe(400);
    const body = rejected.json().error;
    expect(body.code).toBe('import_rejected');
    expect(Object.keys(body.fields).sort()).toEqual(['row4.contactPhone', 'row4.kind', 'row4.lat', 'row4.services']);
    expect(body.message).toContain('第 4 行');
    expect(await count()).toBe(n0);

    // The same rows, the bad one fixed, and one in another worker's community.
    const foreign = await upload('community.julonghu', await sheetOf([[...good('歇歇脚·越界'), '']]));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields).toEqual({ 'row2.community': expect.stringContaining('管辖') });
    expect(await count()).toBe(n0);

    const ok = await upload('community.luming', await sheetOf([good('歇歇脚·导入一号'), good('歇歇脚·导入二号'), good('歇歇脚·导入三号')]));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ created: 3, updated: 0 });
    expect(await count()).toBe(n0 + 3);
    const imported = await db().selectFrom('stations').selectAll().where('id', 'in', ok.json().ids).orderBy('id').execute();
    expect(imported.map((s) => [s.name, s.kind, s.region_id, s.services, s.contact_phone])).toEqual(
      ['一', '二', '三'].map((k) => [`歇歇脚·导入${k}号`, 'xiexiejiao', lm.id, ['rest', 'water', 'express_agency'], '13812345678']));

    // A second import with the same names is refused (names are unique per community); the template's header is required.
    const again = await upload('community.luming', await sheetOf([good('歇歇脚·导入一号')]));
    expect(again.json().error.fields).toEqual({ 'row2.name': '已被占用' });
    const wrongHeader = await upload('community.luming', await sheetOf([good('歇歇脚·导入四号')], ['名称', '类型']));
    expect(wrongHeader.json().error.fields.file).toContain('模板');

    // An id from another community is out of 聚龙湖's reach.
    const jlhRow = [imported[0].id, '歇歇脚·改名', '歇歇脚', '聚龙湖社区', '路', 33.35, 120.2, '全天', '休息', '', '', '', ''];
    const stolen = await upload('community.julonghu', await sheetOf([jlhRow]));
    expect(stolen.json().error.fields).toEqual({ 'row2.id': expect.stringContaining('管辖') });
    expect((await stationRow(imported[0].id))!.name).toBe('歇歇脚·导入一号');
  });

  it('exports the stations of the caller\'s scope (closed ones marked); the export, edited, imports back as updates', async () => {
    const closeMe = await db().selectFrom('stations').select(['id', 'name']).where('region_id', '=', lm.id).where('name', 'like', '歇歇脚·导入%').orderBy('id').executeTakeFirstOrThrow();
    await as('community.luming', 'POST', `/api/stations/${closeMe.id}/close`, { reason: '店面装修' });
    const res = await as('community.luming', 'GET', '/api/stations/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const rows = await readSheet(res.rawPayload);
    const header = rows[0];
    expect(header.slice(0, 4)).toEqual(['编号', '名称', '类型', '所在社区']);
    expect(header).toEqual(expect.arrayContaining(['状态', '关闭原因', '累计到站人次']));
    const data = rows.slice(1);
    const inLm = Number((await db().selectFrom('stations').select(sql<number>`count(*)`.as('n')).where('region_id', '=', lm.id).executeTakeFirstOrThrow()).n);
    expect(data).toHaveLength(inLm);
    expect(data.every((r) => r[3] === '鹿鸣社区')).toBe(true);
    const closedRow = data.find((r) => r[0] === closeMe.id)!;
    expect(closedRow[header.indexOf('状态')]).toBe('已关闭');
    expect(closedRow[header.indexOf('关闭原因')]).toBe('店面装修');
    expect(String(closedRow[8])).toContain('快递代办');
    // Filters apply to the export as to the list.
    expect((await readSheet((await as('community.luming', 'GET', '/api/stations/export.xlsx?status=closed')).rawPayload)).slice(1).map((r) => r[0])).toContain(closeMe.id);

    // Rename one station in the exported sheet and import it back: an update, its status untouched.
    const edited = data.filter((r) => r[0] === closeMe.id).map((r) => r.slice(0, 13).map((v, i) => (i === 1 ? '歇歇脚·导入改名' : v ?? '')));
    const back = await upload('community.luming', await sheetOf(edited));
    expect(back.statusCode, back.body).toBe(201);
    expect(back.json()).toMatchObject({ created: 0, updated: 1, ids: [closeMe.id] });
    expect(await stationRow(closeMe.id)).toMatchObject({ name: '歇歇脚·导入改名', status: 'closed', closed_reason: '店面装修' });
    // The other worker's export holds none of 鹿鸣's stations.
    const other = (await readSheet((await as('community.julonghu', 'GET', '/api/stations/export.xlsx')).rawPayload)).slice(1);
    expect(other.length).toBeGreaterThan(0);
    expect(other.every((r) => r[3] === '聚龙湖社区')).toBe(true);
  });

  it('counts check-ins: in the list over a period, in the monthly statistics by station and by community, closed stations included', async () => {
    const id = (await as('community.luming', 'POST', '/api/stations', { ...base(), name: '锋小巢·计数站' })).json().id as number;
    // Two visitors; the second comes back the same day with the visitor cookie it was given and is not counted again.
    const checkin = (remoteAddress: string, cookie?: string) => t.app.inject({ method: 'POST', url: `/api/stations/${id}/checkin`, remoteAddress, headers: cookie ? { cookie } : {} });
    expect((await checkin('10.20.0.1')).statusCode).toBe(200);
    const second = await checkin('10.30.0.1');
    expect((await checkin('10.30.0.1', String(second.headers['set-cookie']).split(';')[0])).json().checkins).toBe(2);
    const row = (await as('community.luming', 'GET', `/api/stations/managed?q=${encodeURIComponent('计数站')}`)).json();
    expect(row.items).toHaveLength(1);
    expect(row.items[0]).toMatchObject({ id, checkins: 2, checkinsTotal: 2 });
    expect(row).toMatchObject({ from: expect.any(String), to: expect.any(String) });
    // A period that ended before today does not count today's visits.
    expect((await as('community.luming', 'GET', `/api/stations/managed?q=${encodeURIComponent('计数站')}&from=2020-01-01&to=2020-12-31`)).json().items[0].checkins).toBe(0);

    const byStation = (await as('community.luming', 'GET', '/api/stations/stats?by=station')).json();
    expect(byStation.months).toHaveLength(6);
    const mine = byStation.items.find((x: any) => x.id === id);
    expect(mine).toMatchObject({ total: 2, communityName: '鹿鸣社区', status: 'open' });
    expect(mine.months.at(-1)).toBe(2);
    expect(byStation.items.every((x: any) => x.communityName === '鹿鸣社区')).toBe(true);
    // Closed stations keep their history in the statistics.
    await as('community.luming', 'POST', `/api/stations/${id}/close`, { reason: '撤站' });
    const after = (await as('community.luming', 'GET', '/api/stations/stats?by=station')).json();
    expect(after.items.find((x: any) => x.id === id)).toMatchObject({ total: 2, status: 'closed' });

    // By community: against an independent count of the period's check-ins (the demo's history plus these two).
    const byCommunity = (await as('street.huanghai', 'GET', '/api/stations/stats?by=community')).json();
    const start = `${byCommunity.from}-01`;
    const counted = await sql<{ region_id: number; n: number }>`select s.region_id, count(*)::int as n from station_checkins k join stations s on s.id = k.station_id
      where k.day >= ${start} group by s.region_id`.execute(db());
    const lmRow = byCommunity.items.find((x: any) => x.id === lm.id);
    expect(lmRow.total).toBe(counted.rows.find((r) => r.region_id === lm.id)!.n);
    expect(lmRow.total).toBeGreaterThan(2);
    expect(lmRow.stations).toBe(Number((await db().selectFrom('stations').select(sql<number>`count(*)`.as('n')).where('region_id', '=', lm.id).executeTakeFirstOrThrow()).n));
    expect(lmRow.openStations).toBeLessThan(lmRow.stations);
    expect(byCommunity.items.map((x: any) => x.name).sort()).toEqual(['南海社区', '文港社区', '聚龙湖社区', '鹿鸣社区'].sort());
    expect(byCommunity.totals.reduce((a: number, b: number) => a + b, 0)).toBe(byCommunity.total);
    // The alliance statistics count the same check-ins per community (all time, so at least the period's).
    const alliance = (await as('street.huanghai', 'GET', '/api/alliance/stats?by=community')).json().items.find((x: any) => x.id === lm.id);
    expect(alliance.stationCheckins).toBeGreaterThanOrEqual(lmRow.total);

    const xlsx = await as('community.luming', 'GET', '/api/stations/stats.xlsx?by=station');
    const sheet = await readSheet(xlsx.rawPayload);
    expect(sheet[0]).toEqual(['服务站', '所在社区', '状态', ...byStation.months, '合计']);
    expect(sheet.find((r) => r[0] === '锋小巢·计数站')).toEqual(['锋小巢·计数站', '鹿鸣社区', '已关闭', 0, 0, 0, 0, 0, 2, 2]);

    expect((await as('community.luming', 'GET', '/api/stations/stats?from=2026-05&to=2026-01')).json().error.fields).toHaveProperty('to');
    expect((await as('community.luming', 'GET', '/api/stations/stats?from=2020-01&to=2022-12')).statusCode).toBe(400);
    expect((await as('community.luming', 'GET', '/api/stations/stats?from=2024-13')).statusCode).toBe(400);
  });
});

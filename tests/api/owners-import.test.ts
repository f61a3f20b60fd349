import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';
import { multipart } from '../helpers/multipart.js';

describe('owner register import and export', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('imports a unit\'s register all-or-nothing with a row-by-row report; exports it masked', async () => {
    const worker = await t.token('community.luming');
    const unit = await regionByCode(t.dbh.db, 'LMY-02-1'); // 鹿鸣苑: no register yet
    const tpl = await t.app.inject({ url: `/api/owners/template.xlsx?regionId=${unit.id}`, headers: bearer(worker) });
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as any);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(13); // header + 12 rooms
    const people = await t.dbh.db.selectFrom('persons').select(['id', 'id_number']).where('region_path', 'like', `${unit.path}%`).orderBy('id').limit(30).execute();
    for (let r = 2; r <= 13; r++) {
      ws.getRow(r).getCell(6).value = `${people[r].id_number}；${people[r + 12].id_number}`;
      ws.getRow(r).getCell(7).value = people[r + 12].id_number;
    }
    ws.getRow(13).getCell(6).value = '';
    ws.getRow(13).getCell(7).value = '';
    ws.getRow(13).getCell(8).value = '是'; // an unsold developer unit
    ws.getRow(5).getCell(4).value = 88.555; // three decimals: bad
    ws.getRow(7).getCell(7).value = people[0].id_number; // vote holder not an owner: bad
    const send = async (book: ExcelJS.Workbook) => {
      const form = multipart({}, [{ field: 'file', name: 'owners.xlsx', type: 'application/octet-stream', data: Buffer.from(await book.xlsx.writeBuffer()) }]);
      return t.app.inject({ method: 'POST', url: '/api/owners/import', headers: { ...bearer(worker), ...form.headers }, payload: form.payload });
    };
    const rejected = await send(wb);
    expect(rejected.statusCode).toBe(400);
    expect(Object.keys(rejected.json().error.fields).sort()).toEqual(['row5.area', 'row7.holder']);
    expect(await t.dbh.db.selectFrom('room_owners as o').innerJoin('regions as r', 'r.id', 'o.room_id').select('o.room_id').where('r.path', 'like', `${unit.path}%`).execute()).toHaveLength(0);

    ws.getRow(5).getCell(4).value = 88.55;
    ws.getRow(7).getCell(7).value = people[7].id_number; // the other co-owner holds the vote
    const ok = await send(wb);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().imported).toBe(12);
    const listed = (await t.app.inject({ url: `/api/owners?regionId=${unit.id}&pageSize=100`, headers: bearer(worker) })).json().items;
    expect(listed.filter((r: any) => r.unsoldDeveloperUnit)).toHaveLength(1);
    expect(listed.find((r: any) => r.area === 88.55)).toBeTruthy();
    expect(listed.filter((r: any) => r.ownerPersonIds.length === 2)).toHaveLength(11);
    expect(listed.every((r: any) => r.unsoldDeveloperUnit || r.ownerPersonIds.includes(r.voteHolderPersonId))).toBe(true);

    const exported = await t.app.inject({ url: `/api/owners/export.xlsx?regionId=${unit.id}`, headers: bearer(worker) });
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(exported.rawPayload as any);
    expect(String(out.worksheets[0].getRow(2).getCell(6).value)).toMatch(/\*{8}/);
    expect((await t.dbh.db.selectFrom('pi_access_log').select('purpose').where('target_type', '=', 'owner_register').execute()).length).toBe(1);
  });
});

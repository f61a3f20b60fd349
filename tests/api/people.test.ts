import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../server/src/core/identity.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { personUnder, regionByCode } from '../helpers/fixtures.js';

const validId = (first17: string) => first17 + idCheckChar(first17);

describe('people', () => {
  let t: TestApp;
  let worker: string;
  let room: { id: number };
  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.token('community.luming');
    room = await regionByCode(t.dbh.db, 'XSW-01-1-0101');
  });
  afterAll(() => t.close());

  it('lists with paging, masked ID and phone, address from the community down', async () => {
    const res = await t.app.inject({ url: '/api/people?page=2&pageSize=5', headers: bearer(worker) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.page).toBe(2);
    expect(body.pageSize).toBe(5);
    expect(body.items).toHaveLength(5);
    expect(body.total).toBeGreaterThan(7000);
    for (const p of body.items) {
      expect(p.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      if (p.phone) expect(p.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(p.masked).toBe(true);
      expect(p.address).toMatch(/^鹿鸣社区 /);
    }
    expect((await t.app.inject({ url: '/api/people?pageSize=101', headers: bearer(worker) })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/people?page=0', headers: bearer(worker) })).statusCode).toBe(400);
  });

  it('searches by name, pinyin initials and phone tail', async () => {
    const p = await personUnder(t.dbh.db, 'XSW');
    const initials = (await t.dbh.db.selectFrom('persons').select('name_initials').where('id', '=', p.id).executeTakeFirstOrThrow()).name_initials;
    for (const q of [p.name, initials.toUpperCase(), p.phone!.slice(-4)]) {
      const res = (await t.app.inject({ url: `/api/people?q=${encodeURIComponent(q)}&pageSize=100`, headers: bearer(worker) })).json();
      expect(res.items.map((x: any) => x.id), q).toContain(p.id);
    }
    const none = (await t.app.inject({ url: `/api/people?q=${encodeURIComponent('不存在的名字')}`, headers: bearer(worker) })).json();
    expect(none.total).toBe(0);
  });

  it('reveals full ID and phone only with a purpose, and logs the read', async () => {
    const p = await personUnder(t.dbh.db, 'XSW');
    const masked = (await t.app.inject({ url: `/api/people/${p.id}`, headers: bearer(worker) })).json();
    expect(masked.idNumber).not.toBe(p.id_number);
    const noPurpose = await t.app.inject({ url: `/api/people/${p.id}?reveal=1`, headers: bearer(worker) });
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().error.fields.purpose).toBeTruthy();
    const revealed = (await t.app.inject({ url: `/api/people/${p.id}?reveal=1&purpose=${encodeURIComponent('入户走访核实')}`, headers: bearer(worker) })).json();
    expect(revealed.idNumber).toBe(p.id_number);
    expect(revealed.masked).toBe(false);
    const log = await t.dbh.db.selectFrom('pi_access_log').selectAll().where('target_id', '=', String(p.id)).execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: 'unmask', purpose: '入户走访核实', target_type: 'person' });
    // A grid worker reads people but may not unmask them.
    const grid = await t.app.inject({ url: `/api/people/${p.id}?reveal=1&purpose=x`, headers: bearer(await t.token('grid.xiangshuwan')) });
    expect(grid.statusCode).toBe(403);
  });

  it('creates a person with a new household; sex and birth date come from the ID number', async () => {
    const idNumber = validId('32990119900307123');
    const res = await t.app.inject({ method: 'POST', url: '/api/people', headers: bearer(worker), payload: { name: '测试居民', idNumber, phone: '13912345678', regionId: room.id, newHousehold: true } });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ name: '测试居民', sex: 'M', birthDate: '1990-03-07', isHouseholder: true, phone: '139****5678' });
    expect(p.householdId).toBeGreaterThan(0);
    const dup = await t.app.inject({ method: 'POST', url: '/api/people', headers: bearer(worker), payload: { name: '重复', idNumber, regionId: room.id } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields.idNumber).toBe('已被占用');
    const member = await t.app.inject({ method: 'POST', url: '/api/people', headers: bearer(worker), payload: { name: '家属', sex: 'F', regionId: room.id, householdId: p.householdId } });
    expect(member.statusCode).toBe(201);
    const detail = (await t.app.inject({ url: `/api/people/${p.id}`, headers: bearer(worker) })).json();
    expect(detail.household.map((m: any) => m.name)).toEqual(['测试居民', '家属']);
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/people/${member.json().id}`, headers: bearer(worker), payload: { phone: '13800001111' } });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().phone).toBe('138****1111');
  });

  it('names the field for bad ID numbers, phones, types and missing fields — in both languages', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/people', headers: bearer(worker), payload: { name: '张三', idNumber: '320902199001011234', phone: '12345', regionId: 'x' } });
    expect(bad.statusCode).toBe(400);
    const f = bad.json().error.fields;
    expect(f.idNumber).toContain('身份证号');
    expect(f.phone).toContain('手机号');
    expect(f.regionId).toBeTruthy();
    const en = await t.app.inject({ method: 'POST', url: '/api/people', headers: { ...bearer(worker), 'accept-language': 'en' }, payload: { idNumber: '320902199001011234' } });
    expect(en.json().error.fields).toMatchObject({ name: 'required', regionId: 'required' });
    expect(en.json().error.fields.idNumber).toContain('ID number');
    const unknownField = await t.app.inject({ method: 'POST', url: '/api/people', headers: bearer(worker), payload: { name: '张三', sex: 'M', regionId: room.id, salary: 1 } });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.fields.salary).toBeTruthy();
    const noRegion = await t.app.inject({ method: 'POST', url: '/api/people', headers: bearer(worker), payload: { name: '张三', sex: 'M', regionId: 99999999 } });
    expect(noRegion.statusCode).toBe(400);
    expect(noRegion.json().error.fields.regionId).toBe('区域不存在');
  });

  it('exports the list to .xlsx, masked, and logs the export with its purpose', async () => {
    const xsw = await regionByCode(t.dbh.db, 'XSW-01');
    const res = await t.app.inject({ url: `/api/people/export.xlsx?regionId=${xsw.id}&purpose=${encodeURIComponent('核对楼栋名单')}`, headers: bearer(worker) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(2).value).toBe('姓名');
    const list = (await t.app.inject({ url: `/api/people?regionId=${xsw.id}`, headers: bearer(worker) })).json();
    expect(ws.rowCount - 1).toBe(list.total);
    expect(String(ws.getRow(2).getCell(5).value)).toMatch(/\*{8}/);
    const log = await t.dbh.db.selectFrom('pi_access_log').selectAll().where('kind', '=', 'export').execute();
    expect(log.at(-1)?.purpose).toBe('核对楼栋名单');
    const noPurpose = await t.app.inject({ url: '/api/people/export.xlsx', headers: bearer(worker) });
    expect(noPurpose.statusCode).toBe(400);
  });

  it('a resident sees their own household on "我的": own record unmasked, others masked', async () => {
    const res = await t.app.inject({ url: '/api/me/household', headers: bearer(await t.token('resident.demo')) });
    const h = res.json().household;
    expect(h.address).toMatch(/^鹿鸣社区 橡树湾 /);
    expect(h.members.length).toBeGreaterThanOrEqual(3);
    expect(h.members.filter((m: any) => !m.masked)).toHaveLength(1);
    expect(h.members[0].isHouseholder).toBe(true);
  });
});

describe('people at scale: the scope path travels with the person', () => {
  it('moving a person to another room moves them in scoped lists too', async () => {
    const t = await createTestApp();
    try {
      const worker = await t.token('community.luming');
      const p = await personUnder(t.dbh.db, 'XSW-01');
      const target = await regionByCode(t.dbh.db, 'LMY-01-1-0101');
      const moved = await t.app.inject({ method: 'PATCH', url: `/api/people/${p.id}`, headers: bearer(worker), payload: { regionId: target.id } });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().address).toBe('鹿鸣社区 鹿鸣苑 1幢 1单元 101室');
      const inTarget = (await t.app.inject({ url: `/api/people?regionId=${target.id}&pageSize=100`, headers: bearer(worker) })).json();
      expect(inTarget.items.map((x: any) => x.id)).toContain(p.id);
      const grid = (await t.app.inject({ url: `/api/people/${p.id}`, headers: bearer(await t.token('grid.xiangshuwan')) }));
      expect(grid.statusCode).toBe(403); // no longer in 橡树湾
    } finally {
      await t.close();
    }
  });
});

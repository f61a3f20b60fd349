import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, requester, type TestApp } from '../helpers/app.js';
import { multipart } from '../helpers/multipart.js';
import { newWish } from '../helpers/wishes.js';

/**
 * A service or companionship wish (a visit, a chat, a haircut at home) may leave out its
 * estimated value, so the form does not stop an elder at "预估价值"; a goods wish still states it.
 */
describe('the estimated value of a wish is optional for service and companionship', () => {
  let t: TestApp;
  const as = requester(() => t);
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const without = (category: string) => {
    const { estimatedValue: _v, ...body } = newWish({ category, title: '想有人陪我聊聊天', story: '老伴走后一个人在家，想有人每周来坐坐。' });
    return body;
  };

  it('a companionship or service wish without a value is taken, as no cost', async () => {
    for (const category of ['companionship', 'service']) {
      const res = await as('resident.demo', 'POST', '/api/wishes', without(category));
      expect(res.statusCode, res.body).toBe(201);
      const detail = (await as('resident.demo', 'GET', `/api/wishes/${res.json().id}`)).json();
      expect(detail).toMatchObject({ category, estimatedValue: 0, status: 'pending_review' });
    }
    // A stated value is still checked against the season's cap.
    const over = await as('resident.demo', 'POST', '/api/wishes', { ...without('service'), estimatedValue: 300.01 });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.fields.estimatedValue).toContain('300');
  });

  it('a goods wish without a value is refused, naming the field, and nothing is written', async () => {
    const before = (await t.dbh.db.selectFrom('wishes').select('id').execute()).length;
    const res = await as('resident.demo', 'POST', '/api/wishes', without('goods'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.estimatedValue).toBe('物品类心愿请填写预估价值（服务、陪伴类可不填）');
    expect((await t.dbh.db.selectFrom('wishes').select('id').execute()).length).toBe(before);
    // A goods wish with a value of 0 (a donated item) stays allowed, as before.
    expect((await as('resident.demo', 'POST', '/api/wishes', newWish({ estimatedValue: 0 }))).statusCode).toBe(201);
  });

  it('the Excel import takes an empty value for a companionship row and refuses it for a goods row', async () => {
    const worker = await t.token('community.luming');
    const tpl = await t.app.inject({ url: '/api/wishes/import-template.xlsx', headers: bearer(worker) });
    const xsw = (await t.dbh.db.selectFrom('regions').select('path').where('code', '=', 'XSW').executeTakeFirstOrThrow()).path;
    const people = await t.dbh.db.selectFrom('persons').select(['id_number']).where('region_path', 'like', `${xsw}%`).orderBy('id').offset(20).limit(2).execute();
    const upload = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(tpl.rawPayload as any);
      const ws = wb.worksheets[0];
      ws.spliceRows(2, 1);
      for (const r of rows) ws.addRow(r);
      const form = multipart({}, [{ field: 'file', name: 'wishes.xlsx', type: 'application/octet-stream', data: Buffer.from(await wb.xlsx.writeBuffer()) }]);
      return t.app.inject({ method: 'POST', url: '/api/wishes/import', headers: { ...bearer(worker), ...form.headers }, payload: form.payload });
    };
    const bad = await upload([
      ['鹿鸣社区', people[0].id_number, '想有人陪着散步', '腿脚不便，想有人陪着去公园走走。', '陪伴', '独居老人', '', '', ''],
      ['鹿鸣社区', people[1].id_number, '想要一台收音机', '独居老人想听戏曲广播。', '物质', '独居老人', '', '', ''],
    ]);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['row3.estimatedValue']);
    const ok = await upload([['鹿鸣社区', people[0].id_number, '想有人陪着散步', '腿脚不便，想有人陪着去公园走走。', '陪伴', '独居老人', '', '', '']]);
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

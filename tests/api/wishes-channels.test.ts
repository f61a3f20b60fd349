import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WECHAT_TOKEN, wechatSignature } from '../../server/src/modules/wishes/wechat.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { personUnder } from '../helpers/fixtures.js';
import { multipart } from '../helpers/multipart.js';

const signed = (extra = '') => {
  const timestamp = String(Math.floor(Date.now() / 1000)), nonce = String(Math.floor(Math.random() * 1e9));
  return `signature=${wechatSignature(DEMO_WECHAT_TOKEN, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}${extra}`;
};
// Each message its own MsgId: the endpoint handles a MsgId once.
let msgId = 1234567890;
const textMessage = (openid: string, content: string) =>
  `<xml><ToUserName><![CDATA[gh_redcom]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${++msgId}</MsgId></xml>`;
const contentOf = (xml: string) => /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1];

describe('wish intake channels', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('WeChat: the server check answers echostr to a correct signature and refuses a wrong one', async () => {
    const ok = await t.app.inject({ url: `/api/wechat/oa?${signed('&echostr=hello123')}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('hello123');
    const wrong = await t.app.inject({ url: `/api/wechat/oa?signature=${'0'.repeat(40)}&timestamp=1&nonce=2&echostr=x` });
    expect(wrong.statusCode).toBe(403);
    const post = await t.app.inject({ method: 'POST', url: `/api/wechat/oa?signature=${'a'.repeat(40)}&timestamp=1&nonce=2`, headers: { 'content-type': 'text/xml' }, payload: textMessage('o1', '心愿 x') });
    expect(post.statusCode).toBe(403);
  });

  it('WeChat: an unbound OpenID is told how to bind; after binding, "心愿…" creates a wish in review and replies with its number', async () => {
    const send = (openid: string, content: string) => t.app.inject({ method: 'POST', url: `/api/wechat/oa?${signed(`&openid=${openid}`)}`, headers: { 'content-type': 'text/xml' }, payload: textMessage(openid, content) });
    const unbound = await send('oUnbound1', '心愿 想要一台收音机听戏');
    expect(unbound.statusCode).toBe(200);
    expect(unbound.headers['content-type']).toContain('xml');
    expect(contentOf(unbound.body)).toContain('绑定');
    expect(unbound.body).toContain('<ToUserName><![CDATA[oUnbound1]]></ToUserName>');

    const code = (await t.app.inject({ method: 'POST', url: '/api/me/wechat-bind-code', headers: bearer(await t.token('resident.demo')) })).json().code;
    expect(code).toMatch(/^\d{6}$/);
    expect(contentOf((await send('oResident1', '绑定 000000')).body)).toContain('无效');
    expect(contentOf((await send('oResident1', `绑定 ${code}`)).body)).toContain('绑定成功');
    const before = await t.dbh.db.selectFrom('wishes').select('id').execute();
    const reply = contentOf((await send('oResident1', '心愿：冬天想要一床厚棉被，家里比较冷')).body)!;
    expect(reply).toMatch(/编号 XY\d{6}/);
    const id = Number(/XY(\d{6})/.exec(reply)![1]);
    const w = await t.dbh.db.selectFrom('wishes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(w).toMatchObject({ channel: 'wechat', status: 'pending_review', story: '冬天想要一床厚棉被，家里比较冷' });
    expect((await t.dbh.db.selectFrom('wishes').select('id').execute()).length).toBe(before.length + 1);
    // Malformed XML is a 400, not a crash.
    const bad = await t.app.inject({ method: 'POST', url: `/api/wechat/oa?${signed()}`, headers: { 'content-type': 'text/xml' }, payload: '<xml><FromUserName>' });
    expect(bad.statusCode).toBe(400);
  });

  it('a worker enters a wish from a home visit for a resident in scope, not outside it', async () => {
    const worker = await t.token('community.luming');
    const mine = await personUnder(t.dbh.db, 'XSW');
    const theirs = await personUnder(t.dbh.db, 'HH-JLH');
    const body = { title: '想要一副老花镜', story: '看药品说明书很吃力。', category: 'goods', targetGroup: 'elder', estimatedValue: 80, visit: { date: '2026-11-20', visitor: '李社工' } };
    const ok = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(worker), payload: { ...body, beneficiaryPersonId: mine.id } });
    expect(ok.statusCode).toBe(201);
    const detail = (await t.app.inject({ url: `/api/wishes/${ok.json().id}`, headers: bearer(worker) })).json();
    expect(detail).toMatchObject({ channel: 'visit', visit: { date: '2026-11-20', visitor: '李社工' }, beneficiary: `${mine.name[0]}某` });
    expect(detail.beneficiaryContact.name).toBe(mine.name);
    const out = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(worker), payload: { ...body, beneficiaryPersonId: theirs.id } });
    expect(out.statusCode).toBe(403);
  });

  it('Excel import: one bad row rejects the whole sheet, naming the row and field; a clean sheet imports', async () => {
    const worker = await t.token('community.luming');
    const tpl = await t.app.inject({ url: '/api/wishes/import-template.xlsx', headers: bearer(worker) });
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as any);
    const ws = wb.worksheets[0];
    ws.spliceRows(2, 1); // drop the example row
    const people = await t.dbh.db.selectFrom('persons').select(['id_number']).where('region_path', 'like', (await t.dbh.db.selectFrom('regions').select('path').where('code', '=', 'XSW').executeTakeFirstOrThrow()).path + '%').orderBy('id').limit(3).execute();
    ws.addRow(['鹿鸣社区', people[0].id_number, '想要一台收音机', '独居老人想听戏曲广播。', '物质', '独居老人', 120, '2026-11-20', '张社工']);
    ws.addRow(['鹿鸣社区', '320902199001011234', '想要一个书包', '孩子的书包坏了需要新的。', '物质', '儿童', 100, '', '']);
    ws.addRow(['鹿鸣社区', people[2].id_number, '想要一辆助行器', '膝盖不好出门走不远。', '物质', '残疾人', 500, '', '']);
    ws.addRow(['不存在社区', people[1].id_number, '想要一盏台灯', '晚上写作业光线太暗。', '物质', '儿童', 90, '', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const before = (await t.dbh.db.selectFrom('wishes').select('id').execute()).length;
    const form = multipart({}, [{ field: 'file', name: 'wishes.xlsx', type: 'application/octet-stream', data: buf }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/wishes/import', headers: { ...bearer(worker), ...form.headers }, payload: form.payload });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('import_rejected');
    expect(err.message).toContain('第 3 行');
    expect(err.fields['row3.idNumber']).toContain('身份证号');
    expect(err.fields['row4.estimatedValue']).toContain('300');
    expect(err.fields['row5.community']).toContain('不存在社区');
    expect((await t.dbh.db.selectFrom('wishes').select('id').execute()).length).toBe(before);

    const clean = new ExcelJS.Workbook();
    await clean.xlsx.load(tpl.rawPayload as any);
    const sheet = clean.worksheets[0];
    sheet.getRow(2).values = ['鹿鸣社区', people[0].id_number, '想要一台收音机', '独居老人想听戏曲广播。', '物质', '独居老人', 120, '2026-11-20', '张社工'];
    const good = multipart({}, [{ field: 'file', name: 'wishes.xlsx', type: 'application/octet-stream', data: Buffer.from(await clean.xlsx.writeBuffer()) }]);
    const ok = await t.app.inject({ method: 'POST', url: '/api/wishes/import', headers: { ...bearer(worker), ...good.headers }, payload: good.payload });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().imported).toBe(1);
    const created = await t.dbh.db.selectFrom('wishes').selectAll().where('id', '=', ok.json().ids[0]).executeTakeFirstOrThrow();
    expect(created).toMatchObject({ channel: 'import', status: 'pending_review', visitor: '张社工', visit_date: '2026-11-20' });
    const notXlsx = multipart({}, [{ field: 'file', name: 'x.xlsx', type: 'application/octet-stream', data: Buffer.from('hello') }]);
    const bad = await t.app.inject({ method: 'POST', url: '/api/wishes/import', headers: { ...bearer(worker), ...notXlsx.headers }, payload: notXlsx.payload });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.file).toBeTruthy();
  });

  it('seasons: a street worker creates one; bad dates and non-communities are refused', async () => {
    const street = await t.token('street.huanghai');
    const lm = await t.dbh.db.selectFrom('regions').select('id').where('code', '=', 'HH-LM').executeTakeFirstOrThrow();
    const xsw = await t.dbh.db.selectFrom('regions').select('id').where('code', '=', 'XSW').executeTakeFirstOrThrow();
    const ok = await t.app.inject({ method: 'POST', url: '/api/seasons', headers: bearer(street), payload: { name: '第13季', startsOn: '2027-02-01', endsOn: '2027-04-30', communityIds: [lm.id] } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ valueCap: 300, claimDays: 14, current: false });
    const backwards = await t.app.inject({ method: 'POST', url: '/api/seasons', headers: bearer(street), payload: { name: 'x', startsOn: '2027-02-01', endsOn: '2027-01-01', communityIds: [lm.id] } });
    expect(backwards.json().error.fields.endsOn).toBeTruthy();
    const compound = await t.app.inject({ method: 'POST', url: '/api/seasons', headers: bearer(street), payload: { name: 'x', startsOn: '2027-02-01', endsOn: '2027-03-01', communityIds: [xsw.id] } });
    expect(compound.json().error.fields.communityIds).toBeTruthy();
    expect((await t.app.inject({ method: 'POST', url: '/api/seasons', headers: bearer(await t.token('community.luming')), payload: { name: 'x', startsOn: '2027-02-01', endsOn: '2027-03-01', communityIds: [lm.id] } })).statusCode).toBe(403);
  });
});

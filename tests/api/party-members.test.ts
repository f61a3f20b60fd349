import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_SHEET } from '../../server/src/modules/party/members-import.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';
import { multipart } from '../helpers/multipart.js';

/** The party member register: create, list, search, paging, export, import, transfers, 双报到 and scope. */
describe('party members', () => {
  let t: TestApp;
  let luming: string, julonghu: string, admin: string;
  const org = async (code: string) => (await t.dbh.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  /** Adults living under a region who are not party members yet. */
  const nonMembers = async (code: string, n: number) => {
    const region = await regionByCode(t.dbh.db, code);
    return t.dbh.db.selectFrom('persons as p').select(['p.id', 'p.name', 'p.id_number', 'p.phone'])
      .where('p.region_path', 'like', `${region.path}%`).where('p.birth_date', '<', '2000-01-01')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('party_members as m').select('m.id').whereRef('m.person_id', '=', 'p.id'))))
      .orderBy('p.id', 'desc').limit(n).execute();
  };
  const get = (token: string, url: string) => t.app.inject({ url, headers: bearer(token) });
  const post = (token: string, url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as any });

  beforeAll(async () => {
    t = await createTestApp();
    [luming, julonghu, admin] = await Promise.all(['community.luming', 'community.julonghu', 'admin'].map((u) => t.token(u)));
  });
  afterAll(() => t.close());

  it('the seed registers a few hundred members, member.demo among them, some reporting to their community', async () => {
    const n = Number((await t.dbh.db.selectFrom('party_members').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(n).toBeGreaterThan(200);
    expect(n).toBeLessThan(1000);
    const demo = await t.dbh.db.selectFrom('accounts as a').innerJoin('party_members as m', 'm.person_id', 'a.person_id')
      .select(['m.organisation_id']).where('a.username', '=', 'member.demo').executeTakeFirstOrThrow();
    expect(demo.organisation_id).toBe(await org('P-LMY'));
    const reported = await t.dbh.db.selectFrom('party_members').select('id').where('report_community_id', 'is not', null).execute();
    expect(reported.length).toBeGreaterThan(5);
  });

  it('creates a member with validation in Chinese, lists, searches, pages and exports', async () => {
    const [p] = await nonMembers('LMY', 1);
    const lmy = await org('P-LMY');
    const body = { name: p.name, idNumber: p.id_number, organisationId: lmy, status: 'full', joinedOn: '2010-07-01', fullOn: '2011-07-01', posts: ['宣传委员'] };

    const badId = await post(luming, '/api/party/members', { ...body, idNumber: '320902199001011234' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields.idNumber).toMatch(/身份证号不合法/);
    const mismatch = await post(luming, '/api/party/members', { ...body, name: `${p.name}某` });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.fields.name).toMatch(/人口库/);
    const probationaryWithDate = await post(luming, '/api/party/members', { ...body, status: 'probationary' });
    expect(probationaryWithDate.statusCode).toBe(400);
    expect(probationaryWithDate.json().error.fields.fullOn).toMatch(/预备党员/);
    const badStatus = await post(luming, '/api/party/members', { ...body, status: 'honorary' });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.fields.status).toBe('取值不在允许范围内');
    const enterprise = await post(luming, '/api/party/members', { ...body, organisationId: await org('E-SZ') });
    expect(enterprise.statusCode).toBe(400);
    expect(enterprise.json().error.fields.organisationId).toMatch(/须为党组织/);
    expect((await post(luming, '/api/party/members', { ...body, organisationId: await org('P-JLH-C1') })).statusCode).toBe(403);

    const created = await post(luming, '/api/party/members', body);
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json();
    expect(m).toMatchObject({ personId: p.id, name: p.name, organisation: { id: lmy }, status: 'full', statusName: '正式党员', posts: ['宣传委员'], masked: true });
    expect(m.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(m.phone).toBe(p.phone ? `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}` : null);
    const again = await post(luming, '/api/party/members', body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields.idNumber).toMatch(/已在党员名册/);

    // Search by name, by phone tail; status and organisation filters.
    const byName = (await get(luming, `/api/party/members?q=${encodeURIComponent(p.name)}`)).json();
    expect(byName.items.map((x: any) => x.id)).toContain(m.id);
    expect(byName.items.every((x: any) => x.name.includes(p.name))).toBe(true);
    if (p.phone) expect((await get(luming, `/api/party/members?q=${p.phone.slice(-4)}`)).json().items.map((x: any) => x.id)).toContain(m.id);
    const probationary = (await get(luming, '/api/party/members?status=probationary&pageSize=100')).json();
    expect(probationary.items.every((x: any) => x.status === 'probationary')).toBe(true);
    const inLmy = (await get(luming, `/api/party/members?organisationId=${lmy}&pageSize=100`)).json();
    expect(inLmy.items.length).toBeGreaterThan(5);
    expect(inLmy.items.every((x: any) => x.organisation.id === lmy)).toBe(true);

    // Paging: pages are disjoint and add up to the total.
    const all = (await get(luming, '/api/party/members?pageSize=100')).json();
    const p1 = (await get(luming, '/api/party/members?pageSize=7&page=1')).json();
    const p2 = (await get(luming, '/api/party/members?pageSize=7&page=2')).json();
    expect(p1.total).toBe(all.total);
    expect(p1.items).toHaveLength(7);
    expect(p2.items.map((x: any) => x.id)).toEqual(all.items.slice(7, 14).map((x: any) => x.id));
    expect((await get(luming, '/api/party/members?pageSize=101')).statusCode).toBe(400);

    // Detail masked; revealed with a purpose, and the read is logged.
    expect((await get(luming, `/api/party/members/${m.id}`)).json().masked).toBe(true);
    expect((await get(luming, `/api/party/members/${m.id}?reveal=1`)).json().error.fields.purpose).toMatch(/用途/);
    const revealed = (await get(luming, `/api/party/members/${m.id}?reveal=1&purpose=${encodeURIComponent('组织生活联系')}`)).json();
    expect(revealed.idNumber).toBe(p.id_number);
    expect(await t.dbh.db.selectFrom('pi_access_log').select('id').where('target_type', '=', 'party_member').where('target_id', '=', String(m.id)).execute()).toHaveLength(1);

    // Export: the same rows as the list, masked, logged with its purpose.
    expect((await get(luming, '/api/party/members/export.xlsx')).statusCode).toBe(400);
    const xlsx = await get(luming, `/api/party/members/export.xlsx?organisationId=${lmy}&purpose=${encodeURIComponent('换届核对')}`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const ws = wb.worksheets[0];
    expect(ws.rowCount - 1).toBe(inLmy.total);
    const ids = new Set<number>();
    ws.eachRow((row, n) => { if (n > 1) { ids.add(Number(row.getCell(1).value)); expect(String(row.getCell(4).value)).toMatch(/\*{8}/); } });
    expect(ids.has(m.id)).toBe(true);
  });

  it('imports a sheet all-or-nothing: a bad row is named with its field, and nothing is written', async () => {
    const people = await nonMembers('XSW', 3);
    const rows = people.map((p, i) => [p.name, p.id_number, '', i === 2 ? 'P-XSW' : '橡树湾小区党支部', i === 1 ? '预备党员' : '正式党员', i === 1 ? '2026-03-01' : '2001-07-01', i === 1 ? '' : '2002-07-01', i === 0 ? '组织委员；宣传委员' : '']);
    // The template is the import format: a header row, no records.
    const tpl = await get(luming, '/api/party/members/import-template.xlsx');
    expect(tpl.statusCode).toBe(200);
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(tpl.rawPayload as any);
    expect(template.worksheets[0].rowCount).toBe(1);
    const header = (template.worksheets[0].getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(MEMBER_SHEET.map((c) => c.header));
    const send = async (sheet: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('党员名册');
      ws.addRow(header);
      for (const r of sheet) ws.addRow(r);
      const form = multipart({}, [{ field: 'file', name: 'members.xlsx', type: 'application/octet-stream', data: Buffer.from(await wb.xlsx.writeBuffer()) }]);
      return t.app.inject({ method: 'POST', url: '/api/party/members/import', headers: { ...bearer(luming), ...form.headers }, payload: form.payload });
    };
    const bad = rows.map((r) => [...r]);
    bad[1][5] = '2026-02-30'; // row 3: no such day
    bad[2][3] = 'P-JLH-C1'; // row 4: another community's branch (by code)
    const rejected = await send(bad);
    expect(rejected.statusCode).toBe(400);
    const err = rejected.json().error;
    expect(err.code).toBe('import_rejected');
    expect(err.fields).toEqual({ 'row3.joinedOn': '不是有效的日期（YYYY-MM-DD）', 'row4.organisation': '超出您的数据管辖范围' });
    expect(err.message).toMatch(/第 3 行/);
    expect(await t.dbh.db.selectFrom('party_members').select('id').where('id_number', 'in', people.map((p) => p.id_number!)).execute()).toHaveLength(0);

    const ok = await send(rows);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().imported).toBe(3);
    const written = await t.dbh.db.selectFrom('party_members').select(['person_id', 'status', 'full_on', 'posts']).where('id_number', 'in', people.map((p) => p.id_number!)).orderBy('person_id', 'desc').execute();
    expect(written.map((w) => w.person_id)).toEqual(people.map((p) => p.id));
    expect(written[0].posts).toEqual(['组织委员', '宣传委员']);
    expect(written[1]).toMatchObject({ status: 'probationary', full_on: null });
    // The same sheet again: every row is already a member.
    expect(Object.keys((await send(rows)).json().error.fields)).toEqual(['row2.idNumber', 'row3.idNumber', 'row4.idNumber']);
  });

  it('transfers a member on acceptance by the receiving side, once under concurrent accepts', async () => {
    const jlhBranch = await org('P-JLH-C1'), lmy = await org('P-LMY');
    const member = await t.dbh.db.selectFrom('party_members').select(['id', 'name']).where('organisation_id', '=', jlhBranch)
      .where('report_community_id', 'is', null).where((eb) => eb.not(eb.exists(eb.selectFrom('party_transfers as t').select('t.id').whereRef('t.member_id', '=', 'party_members.id'))))
      .orderBy('id').limit(1).executeTakeFirstOrThrow();
    // Only the member's own side sends: 鹿鸣 cannot ask to move a 聚龙湖 member.
    expect((await post(luming, '/api/party/transfers', { memberId: member.id, toOrganisationId: lmy })).statusCode).toBe(403);
    expect((await post(julonghu, '/api/party/transfers', { memberId: member.id, toOrganisationId: jlhBranch })).json().error.fields.toOrganisationId).toMatch(/相同/);
    const sent = await post(julonghu, '/api/party/transfers', { memberId: member.id, toOrganisationId: lmy, reason: '迁居鹿鸣苑' });
    expect(sent.statusCode, sent.body).toBe(201);
    const transfer = sent.json();
    expect(transfer).toMatchObject({ status: 'pending', statusName: '待接收', from: { id: jlhBranch }, to: { id: lmy }, member: { id: member.id, name: member.name } });
    const twice = await post(julonghu, '/api/party/transfers', { memberId: member.id, toOrganisationId: lmy });
    expect(twice.statusCode).toBe(409);

    // The receiving organisation's pending list shows it; the member stays put until accepted.
    const pending = (await get(luming, `/api/party/transfers?organisationId=${lmy}&direction=in&status=pending`)).json();
    expect(pending.items.map((x: any) => x.id)).toContain(transfer.id);
    expect((await get(luming, `/api/party/members/${member.id}`)).statusCode).toBe(403);
    // The sending side cannot accept its own request.
    expect((await post(julonghu, `/api/party/transfers/${transfer.id}/accept`, {})).statusCode).toBe(403);

    const [a, b] = await Promise.all([
      post(luming, `/api/party/transfers/${transfer.id}/accept`, {}),
      post(luming, `/api/party/transfers/${transfer.id}/accept`, { note: '同意接收' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.message).toMatch(/已处理/);
    expect((await post(luming, `/api/party/transfers/${transfer.id}/reject`, {})).statusCode).toBe(409);
    const moved = await t.dbh.db.selectFrom('party_members').select('organisation_id').where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(moved.organisation_id).toBe(lmy);
    expect((await get(luming, `/api/party/members/${member.id}`)).json().organisation.id).toBe(lmy);
    expect((await get(julonghu, `/api/party/members/${member.id}`)).statusCode).toBe(403);
    const audits = await t.dbh.db.selectFrom('audit_log').select('action').where('target_type', '=', 'party_transfer').where('target_id', '=', String(transfer.id)).execute();
    expect(audits.map((x) => x.action).sort()).toEqual(['party_transfer.accept', 'party_transfer.request']);

    // A rejected transfer leaves the member where they were.
    const back = (await post(luming, '/api/party/transfers', { memberId: member.id, toOrganisationId: jlhBranch })).json();
    const rejected = await post(julonghu, `/api/party/transfers/${back.id}/reject`, { note: '请先办理居住证明' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '请先办理居住证明' });
    expect((await t.dbh.db.selectFrom('party_members').select('organisation_id').where('id', '=', member.id).executeTakeFirstOrThrow()).organisation_id).toBe(lmy);
  });

  it('双报到: a member of a district-wide organisation appears in the community they report to', async () => {
    const lm = await regionByCode(t.dbh.db, 'HH-LM');
    const member = await t.dbh.db.selectFrom('party_members').select('id').where('organisation_id', '=', await org('E-XD-P'))
      .where('report_community_id', 'is', null).orderBy('id').limit(1).executeTakeFirstOrThrow();
    expect((await get(luming, `/api/party/members/${member.id}`)).statusCode).toBe(403);
    const before = (await get(luming, '/api/party/members?pageSize=1')).json().total;
    // The community cannot record a report for a member it does not hold; the organisation's side (here the district) does.
    expect((await post(luming, `/api/party/members/${member.id}/report`, { communityId: lm.id })).statusCode).toBe(403);
    expect((await post(admin, `/api/party/members/${member.id}/report`, { communityId: (await regionByCode(t.dbh.db, 'LMY')).id })).json().error.fields.communityId).toBe('须为社区');
    const reported = await post(admin, `/api/party/members/${member.id}/report`, { communityId: lm.id });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(reported.json().reportCommunity).toEqual({ id: lm.id, name: lm.name });
    expect((await get(luming, '/api/party/members?pageSize=1')).json().total).toBe(before + 1);
    const seen = await get(luming, `/api/party/members/${member.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().reportCommunity.id).toBe(lm.id);
    // Reading is not owning: the community it reports to cannot transfer the member.
    expect((await post(luming, '/api/party/transfers', { memberId: member.id, toOrganisationId: await org('P-LMY') })).statusCode).toBe(403);

    // The member reports themself, by default to the community they live in.
    const me = await post(await t.token('member.demo'), '/api/party/me/report', {});
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().reportCommunity.id).toBe(lm.id);
    expect((await post(await t.token('resident.demo'), '/api/party/me/report', {})).statusCode).toBe(404);
  });

  it('keeps every account to its scope', async () => {
    const lmy = await org('P-LMY');
    const lmyMember = await t.dbh.db.selectFrom('party_members').select('id').where('organisation_id', '=', lmy).orderBy('id').limit(1).executeTakeFirstOrThrow();
    expect((await get(julonghu, `/api/party/members/${lmyMember.id}`)).statusCode).toBe(403);
    expect((await get(julonghu, `/api/party/members?organisationId=${lmy}`)).statusCode).toBe(403);
    expect((await get(julonghu, `/api/party/members/export.xlsx?organisationId=${lmy}&purpose=${encodeURIComponent('核对')}`)).statusCode).toBe(403);
    expect((await get(julonghu, `/api/party/transfers?organisationId=${lmy}`)).statusCode).toBe(403);
    const seeded = (await get(luming, '/api/party/transfers?status=pending')).json().items;
    const jlhBranch = await org('P-JLH-C1');
    const fromJlh = seeded.find((x: any) => x.from.id === jlhBranch);
    expect(fromJlh).toBeTruthy();
    for (const u of ['resident.demo', 'unit.demo', 'member.demo', 'property.xiangshuwan']) {
      const tok = await t.token(u);
      expect((await get(tok, '/api/party/members')).statusCode, u).toBe(403);
      expect((await post(tok, '/api/party/members', {})).statusCode, u).toBe(403);
      expect((await post(tok, `/api/party/transfers/${fromJlh.id}/accept`, {})).statusCode, u).toBe(403);
    }
    // A community worker's list holds only members whose organisation or reported community is in 聚龙湖.
    const jlh = await regionByCode(t.dbh.db, 'HH-JLH');
    const list = (await get(julonghu, '/api/party/members?pageSize=100')).json();
    expect(list.total).toBeGreaterThan(5);
    const rows = await t.dbh.db.selectFrom('party_members as m').innerJoin('organisations as o', 'o.id', 'm.organisation_id').innerJoin('regions as r', 'r.id', 'o.region_id')
      .leftJoin('regions as rc', 'rc.id', 'm.report_community_id').select(['m.id', 'r.path', 'rc.path as rpath']).where('m.id', 'in', list.items.map((x: any) => x.id)).execute();
    expect(rows.every((x) => x.path.startsWith(jlh.path) || x.rpath?.startsWith(jlh.path))).toBe(true);
    // The street sees both of its communities but not the district's industry committees unless a member reports to one of its communities.
    const street = (await get(await t.token('street.huanghai'), '/api/party/members?pageSize=1')).json().total;
    const all = (await get(admin, '/api/party/members?pageSize=1')).json().total;
    expect(street).toBeGreaterThan(list.total);
    expect(street).toBeLessThan(all);
    // The cockpit counts the register by the same rule.
    expect((await get(julonghu, '/api/cockpit/overview')).json().party).toMatchObject({ members: list.total });
    expect((await get(admin, '/api/cockpit/overview')).json().party).toMatchObject({ members: all });
  });
});

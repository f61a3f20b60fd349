import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditFulfilledWish } from '../../server/src/modules/party/points.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';
import { publishedWish } from '../helpers/wishes.js';

/** Points (积分): rules by the district, a fulfilled wish credits its party-member claimer exactly once, ledgers and rankings in scope. */
describe('party points', () => {
  let t: TestApp;
  let luming: string, julonghu: string, member: string, resident: string, admin: string, street: string, unit: string;
  let memberId: number;
  const get = (token: string, url: string) => t.app.inject({ url, headers: bearer(token) });
  const send = (token: string, method: 'POST' | 'PUT', url: string, payload: unknown) => t.app.inject({ method, url, headers: bearer(token), payload: payload as any });
  const wishEntries = (wishId: number) => t.dbh.db.selectFrom('party_points').selectAll().where('source_kind', '=', 'wish').where('source_id', '=', wishId).execute();
  const fulfil = async (token: string, id: number) => {
    const form = multipart({ note: '已送到老人家中' }, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    return t.app.inject({ method: 'POST', url: `/api/wishes/${id}/fulfil`, headers: { ...bearer(token), ...form.headers }, payload: form.payload });
  };

  beforeAll(async () => {
    t = await createTestApp();
    [luming, julonghu, member, resident, admin, street, unit] = await Promise.all(
      ['community.luming', 'community.julonghu', 'member.demo', 'resident.demo', 'admin', 'street.huanghai', 'unit.demo'].map((u) => t.token(u)));
    memberId = (await t.dbh.db.selectFrom('accounts as a').innerJoin('party_members as m', 'm.person_id', 'a.person_id').select('m.id').where('a.username', '=', 'member.demo').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.close());

  it('rules: seeded defaults, read by workers, changed by the district only', async () => {
    const rules = (await get(luming, '/api/party/points/rules')).json().items;
    expect(rules.map((r: any) => r.code)).toEqual(['wish_fulfilled', 'station_service', 'verification_task', 'activity_attendance', 'volunteer_hours', 'service_rated']);
    expect(rules.find((r: any) => r.code === 'volunteer_hours')).toMatchObject({ per: 'hour', active: true });
    for (const tok of [street, luming, member]) {
      expect((await send(tok, 'PUT', '/api/party/points/rules', { rules: [{ code: 'wish_fulfilled', points: 99 }] })).statusCode).toBe(403);
    }
    const bad = await send(admin, 'PUT', '/api/party/points/rules', { rules: [{ code: 'wish_fulfilled', points: -1 }] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)[0]).toMatch(/rules/);
    expect((await send(admin, 'PUT', '/api/party/points/rules', { rules: [{ code: 'bribery', points: 5 }] })).statusCode).toBe(400);
    const ok = await send(admin, 'PUT', '/api/party/points/rules', { rules: [{ code: 'wish_fulfilled', points: 12 }] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items.find((r: any) => r.code === 'wish_fulfilled').points).toBe(12);
    expect((await t.dbh.db.selectFrom('party_point_rules').select('points').where('code', '=', 'wish_fulfilled').executeTakeFirstOrThrow()).points).toBe(12);
  });

  it('a claim credits nothing; the fulfilment credits the configured points once, also when retried', async () => {
    const id = await publishedWish(t, { title: '想要一本大字版字典' });
    expect((await send(member, 'POST', `/api/wishes/${id}/claim`, {})).statusCode).toBe(200);
    expect(await wishEntries(id)).toHaveLength(0);
    // 亮身份: the claim shows the claimer is a party member, to workers and on the public wall.
    const seen = (await get(luming, `/api/wishes/${id}`)).json();
    expect(seen).toMatchObject({ claimerPartyMember: true, claimer: { partyMember: true } });
    expect((await t.app.inject({ url: `/api/public/wishes/${id}` })).json().claimerPartyMember).toBe(true);
    // The workers' list joins the claim and the badge in its page query: the same answer there.
    const listed = (await get(luming, '/api/wishes?pageSize=100')).json().items.find((w: { id: number }) => w.id === id);
    expect(listed).toMatchObject({ claimerPartyMember: true, claimerName: seen.claimer.name, communityName: seen.communityName });
    const done = await fulfil(member, id);
    expect(done.statusCode, done.body).toBe(200);
    const again = await fulfil(member, id);
    expect(again.statusCode).toBeGreaterThanOrEqual(400);
    // The same event reported twice more (a second instance, a replayed hook): the unique key keeps one entry.
    await creditFulfilledWish(t.dbh.db, { wishId: id, title: '想要一本大字版字典', claimerAccountId: (await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'member.demo').executeTakeFirstOrThrow()).id });
    const entries = await wishEntries(id);
    expect(entries.map((e) => [e.member_id, e.rule_code, e.points])).toEqual([[memberId, 'wish_fulfilled', 12]]);

    const ledger = (await get(member, `/api/party/members/${memberId}/points`)).json();
    const entry = ledger.items.find((i: any) => i.source.kind === 'wish' && i.source.id === id);
    expect(entry).toMatchObject({ rule: { code: 'wish_fulfilled', name: '认领并圆梦微心愿' }, source: { kindName: '微心愿' }, points: 12 });
    expect(entry.explanation).toContain('想要一本大字版字典');
    const sum = (await t.dbh.db.selectFrom('party_points').select('points').where('member_id', '=', memberId).execute()).reduce((s, p) => s + p.points, 0);
    expect(ledger.total).toBe(sum);
    expect((await get(member, '/api/party/me')).json()).toMatchObject({ member: { id: memberId }, organisation: { name: '鹿鸣苑党支部' }, points: sum });
  });

  it('concurrent fulfilments of one claim credit once', async () => {
    const id = await publishedWish(t, { title: '想要一副老花镜' });
    expect((await send(member, 'POST', `/api/wishes/${id}/claim`, {})).statusCode).toBe(200);
    const results = await Promise.all(Array.from({ length: 6 }, () => fulfil(member, id)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(await wishEntries(id)).toHaveLength(1);
  });

  it('a claimer who is not a party member earns no points', async () => {
    const id = await publishedWish(t, { title: '想要一台电风扇' });
    expect((await send(unit, 'POST', `/api/wishes/${id}/claim`, {})).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/public/wishes/${id}` })).json().claimerPartyMember).toBe(false);
    const listed = (await get(luming, '/api/wishes?pageSize=100')).json().items.find((w: { id: number }) => w.id === id);
    expect(listed).toMatchObject({ claimerPartyMember: false, claimerName: expect.any(String) });
    expect((await fulfil(unit, id)).statusCode).toBe(200);
    expect(await wishEntries(id)).toHaveLength(0);
  });

  it('ledgers are read by the member and by the organisation\'s side in scope', async () => {
    expect((await get(luming, `/api/party/members/${memberId}/points`)).statusCode).toBe(200);
    expect((await get(julonghu, `/api/party/members/${memberId}/points`)).statusCode).toBe(403);
    expect((await get(resident, `/api/party/members/${memberId}/points`)).statusCode).toBe(403);
    const other = (await t.dbh.db.selectFrom('party_members').select('id').where('id', '<>', memberId).orderBy('id').executeTakeFirstOrThrow()).id;
    expect((await get(member, `/api/party/members/${other}/points`)).statusCode).toBe(403);
    expect((await get(resident, '/api/party/me')).statusCode).toBe(404);
  });

  it('rankings by member, organisation and community hold only members in scope; .xlsx export', async () => {
    const byMember = (await get(luming, '/api/party/points/rankings?by=member')).json();
    expect(byMember.items.length).toBeGreaterThan(10);
    expect(byMember.items[0].points).toBeGreaterThanOrEqual(byMember.items[1].points);
    expect(byMember.items.map((i: any) => i.rank).slice(0, 3)).toEqual([1, 2, 3]);
    const byOrg = (await get(admin, '/api/party/points/rankings?by=organisation')).json();
    expect(byOrg.items.find((i: any) => i.name === '鹿鸣苑党支部').points).toBeGreaterThan(0);
    const byCommunity = (await get(street, '/api/party/points/rankings?by=community')).json();
    expect(byCommunity.items.map((i: any) => i.name)).toContain('鹿鸣社区');
    const jl = (await get(julonghu, '/api/party/points/rankings?by=member')).json();
    expect(jl.items.some((i: any) => i.id === memberId)).toBe(false);
    expect((await get(julonghu, `/api/party/points/rankings?by=organisation&organisationId=${(await t.dbh.db.selectFrom('organisations').select('id').where('code', '=', 'P-LMY').executeTakeFirstOrThrow()).id}`)).statusCode).toBe(403);
    expect((await get(member, '/api/party/points/rankings')).statusCode).toBe(403);
    const xlsx = await get(luming, '/api/party/points/rankings.xlsx?by=organisation');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, '名次', '党组织', '党员数', '积分']);
  });

  it('请缨: an organisation posts a duty, members volunteer once, the organisation\'s side accepts within the places', async () => {
    const lmy = (await t.dbh.db.selectFrom('organisations').select('id').where('code', '=', 'P-LMY').executeTakeFirstOrThrow()).id;
    const body = { organisationId: lmy, title: '疫情防控卡口值守', description: '小区南门卡口，每班 4 小时', place: '鹿鸣苑南门', startsOn: '2026-12-01', endsOn: '2099-12-31', slots: 1 };
    expect((await send(julonghu, 'POST', '/api/party/posts', body)).statusCode).toBe(403);
    expect((await send(luming, 'POST', '/api/party/posts', { ...body, endsOn: '2026-11-01' })).json().error.fields.endsOn).toBeTruthy();
    const created = await send(luming, 'POST', '/api/party/posts', body);
    expect(created.statusCode, created.body).toBe(201);
    const postId = created.json().id;

    // A member sees the open post and volunteers; a retry answers the same offer.
    const seen = (await get(member, '/api/party/posts')).json().items.find((p: any) => p.id === postId);
    expect(seen).toMatchObject({ title: '疫情防控卡口值守', myOffer: null, offers: null });
    const offer = await send(member, 'POST', `/api/party/posts/${postId}/volunteer`, { note: '我是党员，我先上' });
    expect(offer.statusCode, offer.body).toBe(200);
    const again = await send(member, 'POST', `/api/party/posts/${postId}/volunteer`, { note: '再次请缨' });
    expect(again.json()).toEqual(offer.json());
    expect(await t.dbh.db.selectFrom('party_volunteer_offers').select('id').where('post_id', '=', postId).execute()).toHaveLength(1);
    expect((await send(resident, 'POST', `/api/party/posts/${postId}/volunteer`, {})).statusCode).toBe(403);

    // The organisation's side sees the offers; another community does not, and cannot decide.
    const mine = (await get(luming, '/api/party/posts')).json().items.find((p: any) => p.id === postId);
    expect(mine.offers.map((o: any) => [o.memberId, o.status])).toEqual([[memberId, 'pending']]);
    expect(((await get(julonghu, '/api/party/posts')).json().items.find((p: any) => p.id === postId))).toBeUndefined();
    const offerId = offer.json().id;
    expect((await send(julonghu, 'POST', `/api/party/offers/${offerId}/decide`, { decision: 'accepted' })).statusCode).toBe(403);
    const decisions = await Promise.all([1, 2].map(() => send(luming, 'POST', `/api/party/offers/${offerId}/decide`, { decision: 'accepted' })));
    expect(decisions.map((d) => d.statusCode).sort()).toEqual([200, 409]);
    expect((await get(member, '/api/party/posts')).json().items.find((p: any) => p.id === postId)).toMatchObject({ accepted: 1, myOffer: { status: 'accepted' } });
    // The one place is taken: a second volunteer's offer cannot be accepted.
    const other = (await t.dbh.db.selectFrom('party_members').select('id').where('id', '<>', memberId).orderBy('id').executeTakeFirstOrThrow()).id;
    const second = await t.dbh.db.insertInto('party_volunteer_offers').values({ post_id: postId, member_id: other }).returning('id').executeTakeFirstOrThrow();
    const full = await send(luming, 'POST', `/api/party/offers/${second.id}/decide`, { decision: 'accepted' });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.message).toMatch(/名额已满/);
  });
});

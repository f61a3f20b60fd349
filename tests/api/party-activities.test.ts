import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityToken } from '../../server/src/modules/party/checkin-token.js';
import { sweepActivityReminders } from '../../server/src/modules/party/reminders.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

/** Organisation life (三会一课): scheduling, QR sign-in (signed, expiring, once per member), scope, minutes and photos, attendance rates, reminders. */
describe('party activities', () => {
  let t: TestApp;
  let luming: string, julonghu: string, member: string, resident: string, admin: string;
  let memberId: number;
  const org = async (code: string) => (await t.dbh.db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const get = (token: string, url: string) => t.app.inject({ url, headers: bearer(token) });
  const post = (token: string, url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as any });
  const inMin = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
  const schedule = async (token: string, organisationId: number, over: Record<string, unknown> = {}) => {
    const res = await post(token, '/api/party/activities', { organisationId, kind: 'theme_day', topic: '测试主题党日', place: '党群服务站', startsAt: inMin(-10), endsAt: inMin(80), ...over });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const tokenOf = async (id: number, as = luming) => (await get(as, `/api/party/activities/${id}`)).json().checkin.token as string;
  const rows = (id: number) => t.dbh.db.selectFrom('party_attendance').selectAll().where('activity_id', '=', id).execute();

  beforeAll(async () => {
    t = await createTestApp();
    [luming, julonghu, member, resident, admin] = await Promise.all(['community.luming', 'community.julonghu', 'member.demo', 'resident.demo', 'admin'].map((u) => t.token(u)));
    memberId = (await t.dbh.db.selectFrom('accounts as a').innerJoin('party_members as m', 'm.person_id', 'a.person_id').select('m.id').where('a.username', '=', 'member.demo').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.close());

  it('the seed has months of activities with sign-ins, and one of member.demo\'s branch starting shortly', async () => {
    const lmy = await org('P-LMY');
    const past = await t.dbh.db.selectFrom('party_activities').select(['id', 'starts_at']).where('organisation_id', '=', lmy).orderBy('starts_at').execute();
    expect(past.length).toBeGreaterThan(15);
    expect(Date.now() - new Date(past[0].starts_at).getTime()).toBeGreaterThan(120 * 86400_000);
    const signed = await t.dbh.db.selectFrom('party_attendance').select('id').where('member_id', '=', memberId).execute();
    expect(signed.length).toBeGreaterThan(5);
    const mine = (await get(member, '/api/party/activities?mine=1&pageSize=100')).json();
    const next = mine.items.find((a: any) => new Date(a.startsAt).getTime() > Date.now());
    expect(next, 'an upcoming activity of 鹿鸣苑党支部').toMatchObject({ organisation: { id: lmy }, kind: 'theme_day', checkedIn: false });
    expect(new Date(next.startsAt).getTime() - Date.now()).toBeLessThan(30 * 60_000);
  });

  it('schedules with validation: end after start, a party organisation in scope', async () => {
    const lmy = await org('P-LMY');
    const bad = await post(luming, '/api/party/activities', { organisationId: lmy, kind: 'lecture', topic: '党课', place: '会议室', startsAt: inMin(60), endsAt: inMin(30) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.endsAt).toBeTruthy();
    const badKind = await post(luming, '/api/party/activities', { organisationId: lmy, kind: 'party', topic: '党课', place: '会议室', startsAt: inMin(60), endsAt: inMin(90) });
    expect(badKind.json().error.fields.kind).toBe('取值不在允许范围内');
    const enterprise = await post(luming, '/api/party/activities', { organisationId: await org('E-SZ'), kind: 'lecture', topic: '党课', place: '会议室', startsAt: inMin(60), endsAt: inMin(90) });
    expect(enterprise.statusCode).toBe(400);
    expect(enterprise.json().error.fields.organisationId).toMatch(/须为党组织/);
    const foreign = await post(luming, '/api/party/activities', { organisationId: await org('P-JLH-C1'), kind: 'lecture', topic: '党课', place: '会议室', startsAt: inMin(60), endsAt: inMin(90) });
    expect(foreign.statusCode).toBe(403);
    expect(await t.dbh.db.selectFrom('party_activities').select('id').where('topic', '=', '党课').where('place', '=', '会议室').execute()).toHaveLength(0);
  });

  it('a member signs in by the QR once: a retry answers the same and adds no row, and the points credit once', async () => {
    const id = await schedule(luming, await org('P-LMY'));
    const detail = (await get(luming, `/api/party/activities/${id}`)).json();
    expect(detail.checkin.url).toMatch(new RegExp(`/party/checkin\\?token=${id}\\.`));
    expect(detail.attendance.map((a: any) => a.memberId)).toContain(memberId);
    expect(detail.attendance.every((a: any) => a.checkedInAt === null)).toBe(true);

    const first = await post(member, `/api/party/activities/${id}/checkin`, { token: detail.checkin.token });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ activityId: id, memberId, points: 3 });
    const again = await post(member, `/api/party/activities/${id}/checkin`, { token: detail.checkin.token });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await rows(id)).toHaveLength(1);
    const ledger = await t.dbh.db.selectFrom('party_points').selectAll().where('source_kind', '=', 'activity').where('source_id', '=', id).execute();
    expect(ledger.map((p) => [p.member_id, p.points])).toEqual([[memberId, 3]]);

    const after = (await get(luming, `/api/party/activities/${id}`)).json();
    expect(after.attended).toBe(1);
    expect(after.attendance.find((a: any) => a.memberId === memberId)).toMatchObject({ via: 'qr', checkedInAt: first.json().checkedInAt });
    const asMember = (await get(member, `/api/party/activities/${id}`)).json();
    expect(asMember).toMatchObject({ attendance: null, checkin: null, myCheckin: { checkedInAt: first.json().checkedInAt } });
  });

  it('concurrent sign-ins of one member give one row and one ledger entry', async () => {
    const id = await schedule(luming, await org('P-LMY'));
    const token = await tokenOf(id);
    const results = await Promise.all(Array.from({ length: 12 }, () => post(member, `/api/party/activities/${id}/checkin`, { token })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    expect(new Set(results.map((r) => r.json().checkedInAt)).size).toBe(1);
    expect(await rows(id)).toHaveLength(1);
    expect(await t.dbh.db.selectFrom('party_points').select('id').where('source_kind', '=', 'activity').where('source_id', '=', id).execute()).toHaveLength(1);
  });

  it('refuses an expired, forged or other activity\'s token, another organisation\'s member and a sign-in outside the window', async () => {
    const lmy = await org('P-LMY');
    const id = await schedule(luming, lmy);
    const expired = activityToken(t.app.secrets, id, new Date(Date.now() - 1000)).token;
    const r1 = await post(member, `/api/party/activities/${id}/checkin`, { token: expired });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.fields.token).toMatch(/已过期/);
    const good = await tokenOf(id);
    const forged = `${good.slice(0, -4)}${good.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect((await post(member, `/api/party/activities/${id}/checkin`, { token: forged })).json().error.fields.token).toMatch(/无效/);
    const other = await schedule(luming, lmy);
    expect((await post(member, `/api/party/activities/${other}/checkin`, { token: good })).statusCode).toBe(400);
    // An activity of 聚龙湖's branch: member.demo is not its member, even with a valid code.
    const jlh = await schedule(julonghu, await org('P-JLH-C1'));
    const wrongOrg = await post(member, `/api/party/activities/${jlh}/checkin`, { token: await tokenOf(jlh, julonghu) });
    expect(wrongOrg.statusCode).toBe(403);
    expect(wrongOrg.json().error.message).toMatch(/不是该活动所属党组织的党员/);
    expect((await post(resident, `/api/party/activities/${jlh}/checkin`, { token: await tokenOf(jlh, julonghu) })).statusCode).toBe(403);
    // …unless invited.
    const joint = await schedule(julonghu, await org('P-JLH-C1'), { invitedMemberIds: [memberId] });
    expect((await post(member, `/api/party/activities/${joint}/checkin`, { token: await tokenOf(joint, julonghu) })).statusCode).toBe(200);
    // Three hours ahead: the window (30 minutes before the start) is not open yet.
    const later = await schedule(luming, lmy, { startsAt: inMin(180), endsAt: inMin(240) });
    const early = await post(member, `/api/party/activities/${later}/checkin`, { token: await tokenOf(later) });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/30 分钟/);
    for (const a of [id, other, jlh, later]) expect(await rows(a)).toHaveLength(0);
  });

  it('scope: another community neither lists nor opens the activity; a resident sees none', async () => {
    const id = await schedule(luming, await org('P-LMY'));
    expect((await get(julonghu, `/api/party/activities/${id}`)).statusCode).toBe(403);
    expect((await get(resident, `/api/party/activities/${id}`)).statusCode).toBe(403);
    const jl = (await get(julonghu, '/api/party/activities?pageSize=100')).json();
    expect(jl.total).toBeGreaterThan(0);
    const lmyPaths = await t.dbh.db.selectFrom('party_activities as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').innerJoin('regions as r', 'r.id', 'o.region_id')
      .select(['a.id', 'r.path']).where('a.id', 'in', jl.items.map((a: any) => a.id)).execute();
    const scope = (await t.dbh.db.selectFrom('accounts as a').innerJoin('regions as r', 'r.id', 'a.scope_region_id').select('r.path').where('a.username', '=', 'community.julonghu').executeTakeFirstOrThrow()).path;
    expect(lmyPaths.every((p) => p.path.startsWith(scope))).toBe(true);
    expect((await get(julonghu, `/api/party/activities?organisationId=${await org('P-LMY')}`)).statusCode).toBe(403);
    expect((await get(resident, '/api/party/activities')).json().total).toBe(0);
    const byKind = (await get(admin, '/api/party/activities?kind=lecture&pageSize=100')).json();
    expect(byKind.total).toBeGreaterThan(0);
    expect(byKind.items.every((a: any) => a.kind === 'lecture' && a.kindName === '党课')).toBe(true);
  });

  it('minutes and photos afterwards (EXIF removed), readable by those who see the activity', async () => {
    const id = await schedule(luming, await org('P-LMY'));
    expect((await post(luming, `/api/party/activities/${id}/minutes`, { minutes: '会议学习了文件精神，明确了走访分工。' })).statusCode).toBe(200);
    expect((await post(julonghu, `/api/party/activities/${id}/minutes`, { minutes: '越界' })).statusCode).toBe(403);
    const form = multipart({}, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    const up = await t.app.inject({ method: 'POST', url: `/api/party/activities/${id}/photos`, headers: { ...bearer(luming), ...form.headers }, payload: form.payload });
    expect(up.statusCode, up.body).toBe(200);
    const [photo] = up.json().photos;
    const d = (await get(luming, `/api/party/activities/${id}`)).json();
    expect(d).toMatchObject({ minutes: '会议学习了文件精神，明确了走访分工。', hasMinutes: true, photos: [{ id: photo.id }] });
    expect((await get(member, photo.url)).statusCode).toBe(200);
    expect((await get(julonghu, photo.url)).statusCode).toBe(404); // the files route does not say whether a file it will not serve exists
  });

  it('attendance rates per organisation and member, in scope, with an .xlsx export', async () => {
    const s = (await get(luming, '/api/party/activities/stats')).json();
    const lmy = s.organisations.find((o: any) => o.name === '鹿鸣苑党支部');
    expect(lmy.activities).toBeGreaterThan(15);
    expect(lmy.attended).toBeLessThanOrEqual(lmy.expected);
    expect(lmy.rate).toBeGreaterThan(40);
    const me = s.members.find((m: any) => m.id === memberId);
    expect(me.expected).toBeGreaterThanOrEqual(me.attended);
    expect(me.attended).toBeGreaterThan(0);
    const signed = Number((await t.dbh.db.selectFrom('party_attendance as t').innerJoin('party_activities as a', 'a.id', 't.activity_id')
      .select((eb) => eb.fn.countAll().as('n')).where('t.member_id', '=', memberId).where('a.starts_at', '<=', new Date()).executeTakeFirstOrThrow()).n);
    expect(me.attended).toBe(signed);
    const jl = (await get(julonghu, '/api/party/activities/stats')).json();
    expect(jl.organisations.some((o: any) => o.name === '鹿鸣苑党支部')).toBe(false);
    expect(jl.members.some((m: any) => m.id === memberId)).toBe(false);
    expect((await get(member, '/api/party/activities/stats')).statusCode).toBe(403);
    const xlsx = await get(luming, '/api/party/activities/stats.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, '编号', '姓名', '所在党组织', '应到次数', '实到次数', '出勤率(%)']);
    expect(ws.rowCount - 1).toBe(s.members.length);
  });

  it('reminds the members before an activity, once', async () => {
    const id = await schedule(luming, await org('P-LMY'), { startsAt: inMin(120), endsAt: inMin(180), topic: '提醒测试党课', kind: 'lecture' });
    const accountId = (await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'member.demo').executeTakeFirstOrThrow()).id;
    const notes = () => t.dbh.db.selectFrom('notifications').select(['body']).where('account_id', '=', accountId).where('kind', '=', 'party_activity_reminder').where('body', 'like', '%提醒测试党课%').execute();
    await sweepActivityReminders({ db: t.dbh.db });
    expect(await notes()).toHaveLength(1);
    await Promise.all([sweepActivityReminders({ db: t.dbh.db }), sweepActivityReminders({ db: t.dbh.db })]);
    expect(await notes()).toHaveLength(1);
    expect((await t.dbh.db.selectFrom('party_activities').select('reminded_at').where('id', '=', id).executeTakeFirstOrThrow()).reminded_at).not.toBeNull();
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKLIST } from '../../server/src/modules/property/compound-assessment.js';
import { COMPONENTS } from '../../server/src/modules/property/compound-ranking.js';
import { followUpStatus, partyKind, rankingComponent } from '../../server/src/modules/property/compound-schemas.js';
import { FOLLOW_UP_STATUSES, PARTY_KINDS } from '../../server/src/modules/property/compound-tables.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Four-party linkage (四方联动) and the red-property assessment: the compound page (masked phones,
 * party badges, cross-appointments) for workers in scope and residents of the compound only; upkeep;
 * joint meetings whose follow-ups reach their owners' work lists; one rating per household per month
 * under concurrent submissions; the community checklist; and the ranking recomputed here from the
 * seeded rows with the published formula.
 */
describe('four-party linkage and demonstration compounds', () => {
  let t: TestApp;
  let xsw: { id: number; path: string }, lmy: { id: number; path: string }, jlh: { id: number; path: string }, lm: { id: number };
  const ids: Record<string, number> = {};
  const as = async (user: string, method: string, url: string, payload?: unknown) =>
    t.app.inject({ method: method as any, url, headers: bearer(await t.token(user)), ...(payload !== undefined ? { payload: payload as any } : {}) });
  const q = async <T = any>(query: ReturnType<typeof sql>) => (await query.execute(t.dbh.db)).rows as T[];
  const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const inDays = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86400_000).toISOString().slice(0, 10);
  const thisMonth = () => shanghaiToday().slice(0, 7);
  const shiftMonth = (m: string, n: number) => { const k = Number(m.slice(0, 4)) * 12 + Number(m.slice(5)) - 1 + n; return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`; };

  beforeAll(async () => {
    t = await createTestApp();
    const region = (code: string) => t.dbh.db.selectFrom('regions').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
    [xsw, lmy, jlh, lm] = [await region('XSW'), await region('LMY'), await region('JLH-C1'), await region('HH-LM')];
    for (const a of await t.dbh.db.selectFrom('accounts').select(['id', 'username']).execute()) ids[a.username] = a.id;
  });
  afterAll(() => t?.close());

  it('the response enums agree with the tables\' codes', () => {
    expect(partyKind.options).toEqual([...PARTY_KINDS]);
    expect(followUpStatus.options).toEqual([...FOLLOW_UP_STATUSES]);
    expect(rankingComponent.options).toEqual(COMPONENTS.map((c) => c.code));
    expect(CHECKLIST.reduce((s, i) => s + i.max, 0)).toBe(100);
  });

  it('the compound page groups the four parties, masks every phone, badges party members and lists cross-appointments', async () => {
    const res = await as('community.luming', 'GET', `/api/compounds/${xsw.id}/parties`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.compound).toMatchObject({ id: xsw.id, name: '橡树湾', communityName: '鹿鸣社区' });
    expect(page.viewer).toBe('worker');
    expect(page.abilities).toEqual({ manage: true, meet: true, assess: true, rate: false });
    expect(page.groups.map((g: any) => g.kind)).toEqual([...PARTY_KINDS]);
    for (const g of page.groups) expect(g.parties.length, g.kind).toBeGreaterThan(0);
    expect(page.groups[3].parties.map((p: any) => p.grid?.name)).toEqual(['橡树湾第一网格', '橡树湾第二网格']);
    const members = page.groups.flatMap((g: any) => g.parties.flatMap((p: any) => p.members));
    expect(members.length).toBeGreaterThan(8);
    for (const m of members) if (m.phone != null) expect(m.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    // No holder's real phone leaves the server.
    const phones = await q<{ phone: string }>(sql`select pe.phone from compound_posts s join persons pe on pe.id = s.person_id where s.compound_id = ${xsw.id} and pe.phone is not null`);
    expect(phones.length).toBeGreaterThan(0);
    for (const p of phones) expect(res.body).not.toContain(p.phone);

    // Cross-appointments: live posts of one person in two or more kinds of party, counted here from the rows.
    const expected = await q<{ person_id: number }>(sql`select s.person_id from compound_posts s join compound_parties p on p.id = s.party_id
      where s.compound_id = ${xsw.id} and s.ended_on is null group by s.person_id having count(distinct p.kind) >= 2 order by s.person_id`);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(page.crossAppointments.map((c: any) => c.personId).sort((a: number, b: number) => a - b)).toEqual(expected.map((e) => e.person_id));
    for (const c of page.crossAppointments) expect(new Set(c.posts.map((p: any) => p.kind)).size).toBeGreaterThanOrEqual(2);
    const grid = page.crossAppointments.find((c: any) => c.posts.some((p: any) => p.kind === 'grid'));
    expect(grid.posts.map((p: any) => p.title)).toEqual(expect.arrayContaining(['委员', '网格员']));
    expect(members.filter((m: any) => m.personId === grid.personId).every((m: any) => m.crossAppointed)).toBe(true);

    // Party members (亮身份): the persons with a party_member account — member.demo sits on the residents' committee.
    const memberPerson = (await t.dbh.db.selectFrom('accounts').select('person_id').where('username', '=', 'member.demo').executeTakeFirstOrThrow()).person_id;
    const badged = members.filter((m: any) => m.partyMember);
    expect(badged.map((m: any) => m.personId)).toEqual([memberPerson]);
    expect(badged[0]).toMatchObject({ badge: '共产党员', title: '委员' });
    expect(members.filter((m: any) => !m.partyMember).every((m: any) => m.badge === null)).toBe(true);
    expect(page.counts).toMatchObject({ partyMembers: 1, crossAppointed: expected.length });
    // Workers see which account a post has (the property manager's is property.xiangshuwan).
    const manager = page.groups[2].parties[0].members.find((m: any) => m.title === '项目经理');
    expect(manager.accountId).toBe(ids['property.xiangshuwan']);
    const party = page.groups[0].parties[0];
    expect(party.office).toContain('鹿鸣社区');
    expect(party.hours).toBeTruthy();
  });

  it('residents of the compound read its page (masked, without accounts); member.demo is badged and cross-appointed in 鹿鸣苑', async () => {
    const res = await as('resident.demo', 'GET', `/api/compounds/${xsw.id}/parties`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ viewer: 'resident', abilities: { manage: false, meet: false, assess: false, rate: true } });
    expect(res.body).not.toContain('accountId');
    for (const m of res.json().groups.flatMap((g: any) => g.parties.flatMap((p: any) => p.members))) if (m.phone) expect(m.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);

    const mine = await as('member.demo', 'GET', `/api/compounds/${lmy.id}/parties`);
    expect(mine.statusCode, mine.body).toBe(200);
    const me = mine.json().crossAppointments.find((c: any) => c.partyMember);
    expect(me).toMatchObject({ badge: '共产党员' });
    expect(me.posts.map((p: any) => `${p.kindName}${p.title}`)).toEqual(['居委会兼职委员', '业委会主任']);
  });

  it('keeps each compound in scope: workers of elsewhere get 403, residents of other compounds and others 404', async () => {
    const cases: [string, string, string, number][] = [
      ['community.julonghu', 'GET', `/api/compounds/${xsw.id}/parties`, 403],
      ['community.julonghu', 'GET', `/api/compounds/${xsw.id}/meetings`, 403],
      ['community.julonghu', 'GET', `/api/compounds/${xsw.id}/assessments/${thisMonth()}`, 403],
      ['grid.xiangshuwan', 'GET', `/api/compounds/${lmy.id}/parties`, 403],
      ['property.xiangshuwan', 'GET', `/api/compounds/${jlh.id}/parties`, 403],
      ['resident.demo', 'GET', `/api/compounds/${lmy.id}/parties`, 404],
      ['resident.demo', 'GET', `/api/compounds/${jlh.id}/parties`, 404],
      ['member.demo', 'GET', `/api/compounds/${xsw.id}/parties`, 404],
      ['unit.demo', 'GET', `/api/compounds/${xsw.id}/parties`, 404],
      ['community.luming', 'GET', `/api/compounds/${lm.id}/parties`, 404], // a community is not a compound
      ['resident.demo', 'GET', `/api/compounds/${xsw.id}/meetings`, 403], // the page, not the minutes
    ];
    for (const [user, method, url, status] of cases) expect((await as(user, method, url)).statusCode, `${user} ${method} ${url}`).toBe(status);
    const put = await as('community.julonghu', 'PUT', `/api/compounds/${xsw.id}/assessments/${thisMonth()}`, { scores: fullScores(1) });
    expect(put.statusCode).toBe(403);
    const meet = await as('community.julonghu', 'POST', `/api/compounds/${xsw.id}/meetings`, { heldOn: shanghaiToday(), title: '越界会议', topics: ['x'], attendeePostIds: [1] });
    expect(meet.statusCode).toBe(403);
    expect(await t.dbh.db.selectFrom('compound_meetings').select('id').where('title', '=', '越界会议').execute()).toEqual([]);
  });

  it('keeps the parties and posts: cross-appointment by a second post, conflicts and bad input naming the field', async () => {
    const page = (await as('community.luming', 'GET', `/api/compounds/${xsw.id}/parties`)).json();
    const vice = page.groups[1].parties[0].members.find((m: any) => m.title === '副主任');
    expect(vice.crossAppointed).toBe(false);
    const created = await as('community.luming', 'POST', `/api/compounds/${xsw.id}/parties`, { kind: 'property_company', name: '橡树湾秩序维护分包队', office: '东门岗亭', hours: '24 小时' });
    expect(created.statusCode, created.body).toBe(201);
    const party = created.json().id;
    expect((await as('community.luming', 'POST', `/api/compounds/${xsw.id}/parties`, { kind: 'property_company', name: '橡树湾秩序维护分包队' })).json().error.fields).toHaveProperty('name');
    const post = await as('community.luming', 'POST', `/api/compound-parties/${party}/posts`, { personId: vice.personId, title: '监督员', since: '2026-01-01' });
    expect(post.statusCode, post.body).toBe(201);
    const again = await as('community.luming', 'POST', `/api/compound-parties/${party}/posts`, { personId: vice.personId, title: '队长' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields).toHaveProperty('personId');
    const after = (await as('community.luming', 'GET', `/api/compounds/${xsw.id}/parties`)).json();
    const cross = after.crossAppointments.find((c: any) => c.personId === vice.personId);
    expect(cross.posts.map((p: any) => p.title)).toEqual(['副主任', '监督员']);

    const jlhPerson = await t.dbh.db.selectFrom('persons').select('id').where('region_path', 'like', `${jlh.path}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const bad: [string, unknown, string][] = [
      [`/api/compound-parties/${party}/posts`, { personId: jlhPerson.id, title: '委员' }, 'personId'],
      [`/api/compound-parties/${party}/posts`, { personId: vice.personId + 1, title: '委员', accountId: ids['community.julonghu'] }, 'accountId'],
      [`/api/compound-parties/${party}/posts`, { personId: vice.personId + 1, title: '' }, 'title'],
      [`/api/compound-parties/${party}/posts`, { personId: vice.personId + 1, title: '委员', since: '2026-02-30' }, 'since'],
      [`/api/compounds/${xsw.id}/parties`, { kind: 'club', name: '兴趣小组' }, 'kind'],
      [`/api/compounds/${xsw.id}/parties`, { kind: 'owners_committee', name: '第二业委会', gridId: page.groups[3].parties[0].grid.id }, 'gridId'],
      [`/api/compounds/${xsw.id}/parties`, { kind: 'grid', name: '外区网格', gridId: (await t.dbh.db.selectFrom('grids').select('id').where('code', '=', 'JLH-G1').executeTakeFirstOrThrow()).id }, 'gridId'],
    ];
    for (const [url, payload, field] of bad) {
      const r = await as('community.luming', 'POST', url, payload);
      expect(r.statusCode, `${url} ${JSON.stringify(payload)}: ${r.body}`).toBe(400);
      expect(Object.keys(r.json().error.fields), r.body).toContain(field);
      expect(r.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // An ended post leaves the page and stays ended.
    const ended = await as('community.luming', 'PATCH', `/api/compound-posts/${post.json().id}`, { endedOn: shanghaiToday() });
    expect(ended.statusCode, ended.body).toBe(200);
    expect((await as('community.luming', 'GET', `/api/compounds/${xsw.id}/parties`)).json().crossAppointments.some((c: any) => c.personId === vice.personId)).toBe(false);
    expect((await as('community.luming', 'PATCH', `/api/compound-posts/${post.json().id}`, { endedOn: shanghaiToday() })).statusCode).toBe(409);
    expect((await as('community.luming', 'PATCH', `/api/compound-posts/${post.json().id}`, {})).statusCode).toBe(400);
    const future = await as('community.luming', 'PATCH', `/api/compound-parties/${party}`, { office: '西门岗亭' });
    expect(future.statusCode).toBe(200);
  });

  it('records a joint meeting whose follow-ups land on their owners\' work lists and messages; only the owner marks one done', async () => {
    const page = (await as('grid.xiangshuwan', 'GET', `/api/compounds/${xsw.id}/parties`)).json();
    const posts = page.groups.flatMap((g: any) => g.parties.flatMap((p: any) => p.members));
    const manager = posts.find((m: any) => m.accountId === ids['property.xiangshuwan']);
    const noAccount = posts.find((m: any) => m.accountId == null);
    const base = { heldOn: shanghaiToday(), title: '橡树湾四方联席会议（测试）', place: '橡树湾党群服务站', topics: ['电动车充电', '楼道堆物'], decisions: ['增设充电口'], attendeePostIds: posts.slice(0, 5).map((m: any) => m.postId), guests: ['街道城管科 工作人员'] };
    const bad: [unknown, string][] = [
      [{ ...base, followUps: [{ task: '安装充电口', dueOn: inDays(7), ownerPostId: noAccount.postId }] }, 'followUps.0.ownerPostId'],
      [{ ...base, followUps: [{ task: '安装充电口', dueOn: inDays(7), ownerPostId: manager.postId, ownerAccountId: ids['property.xiangshuwan'] }] }, 'followUps.0.ownerAccountId'],
      [{ ...base, followUps: [{ task: '安装充电口', dueOn: inDays(7) }] }, 'followUps.0.ownerAccountId'],
      [{ ...base, followUps: [{ task: '安装充电口', dueOn: inDays(7), ownerAccountId: ids['community.julonghu'] }] }, 'followUps.0.ownerAccountId'],
      [{ ...base, followUps: [{ task: '安装充电口', dueOn: inDays(-30), ownerAccountId: ids['property.xiangshuwan'] }] }, 'followUps.0.dueOn'],
      [{ ...base, heldOn: inDays(2) }, 'heldOn'],
      [{ ...base, topics: [] }, 'topics'],
      [{ ...base, attendeePostIds: [999999] }, 'attendeePostIds'],
    ];
    for (const [payload, field] of bad) {
      const r = await as('grid.xiangshuwan', 'POST', `/api/compounds/${xsw.id}/meetings`, payload);
      expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
      expect(Object.keys(r.json().error.fields), r.body).toContain(field);
    }
    const created = await as('grid.xiangshuwan', 'POST', `/api/compounds/${xsw.id}/meetings`, {
      ...base, followUps: [
        { task: '联系供电公司增容并安装充电口', dueOn: inDays(7), ownerPostId: manager.postId },
        { task: '发动楼栋长配合清理楼道', dueOn: inDays(10), ownerAccountId: ids['owners.xiangshuwan'] },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const meetingId = created.json().id;

    const minutes = (await as('property.xiangshuwan', 'GET', `/api/compounds/${xsw.id}/meetings?pageSize=100`)).json();
    const m = minutes.items.find((x: any) => x.id === meetingId);
    expect(m).toMatchObject({ title: base.title, topics: base.topics, decisions: base.decisions, guests: base.guests, recordedBy: '橡树湾网格员' });
    expect(m.attendees).toHaveLength(5);
    expect(m.followUps.map((f: any) => [f.owner.accountId, f.owner.postId, f.status])).toEqual([
      [ids['property.xiangshuwan'], manager.postId, 'open'], [ids['owners.xiangshuwan'], null, 'open'],
    ]);

    const list = (await as('property.xiangshuwan', 'GET', '/api/me/follow-ups?status=open&pageSize=100')).json();
    const mine = list.items.find((f: any) => f.task === '联系供电公司增容并安装充电口');
    expect(mine).toMatchObject({ meetingId, meetingTitle: base.title, compoundName: '橡树湾', dueOn: inDays(7), status: 'open', overdue: false });
    expect(list.items.every((f: any) => f.owner.accountId === ids['property.xiangshuwan'])).toBe(true);
    const owners = (await as('owners.xiangshuwan', 'GET', '/api/me/follow-ups?pageSize=100')).json();
    expect(owners.items.map((f: any) => f.task)).toContain('发动楼栋长配合清理楼道');
    const messages = (await as('property.xiangshuwan', 'GET', '/api/me/notifications?pageSize=100')).json();
    expect(messages.items.some((n: any) => n.body.includes('联系供电公司增容并安装充电口'))).toBe(true);

    expect((await as('grid.xiangshuwan', 'POST', `/api/me/follow-ups/${mine.id}/done`, {})).statusCode).toBe(404);
    const clicks = await Promise.all([0, 1, 2].map(() => as('property.xiangshuwan', 'POST', `/api/me/follow-ups/${mine.id}/done`, { note: '已安装 40 个充电口' })));
    expect(clicks.map((c) => c.statusCode).sort()).toEqual([200, 409, 409]);
    const done = (await as('property.xiangshuwan', 'GET', '/api/me/follow-ups?status=done&pageSize=100')).json();
    expect(done.items.find((f: any) => f.id === mine.id)).toMatchObject({ status: 'done', doneNote: '已安装 40 个充电口' });
  });

  it('takes one rating per household per month, also when a household submits at once', async () => {
    const mine = await as('resident.demo', 'GET', `/api/compounds/${xsw.id}/ratings/mine`);
    expect(mine.json()).toMatchObject({ month: thisMonth(), canRate: true, rated: false });
    for (const [payload, field] of [[{ score: 6 }, 'score'], [{}, 'score'], [{ score: 4, comment: '' }, 'comment'], [{ score: 4, extra: 1 }, 'extra']] as const) {
      const r = await as('resident.demo', 'POST', `/api/compounds/${xsw.id}/ratings`, payload);
      expect(r.statusCode).toBe(400);
      expect(Object.keys(r.json().error.fields)).toContain(field);
    }
    const token = await t.token('resident.demo');
    const tries = await Promise.all(Array.from({ length: 8 }, (_, i) => t.app.inject({
      method: 'POST', url: `/api/compounds/${xsw.id}/ratings`, headers: bearer(token), payload: { score: 3 + (i % 3), comment: `第${i}次提交` },
    })));
    const statuses = tries.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(tries.find((r) => r.statusCode === 409)!.json().error.code).toBe('already_rated');
    const household = (await t.dbh.db.selectFrom('accounts as a').innerJoin('persons as p', 'p.id', 'a.person_id').select('p.household_id').where('a.username', '=', 'resident.demo').executeTakeFirstOrThrow()).household_id!;
    const rows = await t.dbh.db.selectFrom('compound_ratings').select(['score', 'compound_id']).where('household_id', '=', household).where('month', '=', thisMonth()).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].compound_id).toBe(xsw.id);
    expect((await as('resident.demo', 'GET', `/api/compounds/${xsw.id}/ratings/mine`)).json()).toMatchObject({ rated: true, canRate: false, score: rows[0].score });
    // Only residents rate, and only where they live.
    expect((await as('resident.demo', 'POST', `/api/compounds/${lmy.id}/ratings`, { score: 5 })).statusCode).toBe(404);
    expect((await as('community.luming', 'POST', `/api/compounds/${xsw.id}/ratings`, { score: 5 })).statusCode).toBe(403);
    expect((await as('member.demo', 'POST', `/api/compounds/${xsw.id}/ratings`, { score: 5 })).statusCode).toBe(404);
  });

  it('takes the community checklist for a month, item by item within its maximum, and shows it with the residents\' ratings', async () => {
    const month = thisMonth();
    const put = await as('community.luming', 'PUT', `/api/compounds/${xsw.id}/assessments/${month}`, { scores: fullScores(0.9), note: '东门垃圾点当场整改' });
    expect(put.statusCode, put.body).toBe(200);
    const total = CHECKLIST.reduce((s, i) => s + Math.round(i.max * 0.9), 0);
    expect(put.json()).toEqual({ compoundId: xsw.id, month, total });
    const got = (await as('property.xiangshuwan', 'GET', `/api/compounds/${xsw.id}/assessments/${month}`)).json();
    expect(got.total).toBe(total);
    expect(got.checklist.map((i: any) => [i.name, i.score])).toEqual(CHECKLIST.map((i) => [i.name, Math.round(i.max * 0.9)]));
    expect(got.residents.ratings).toBeGreaterThanOrEqual(1);
    expect(got.residents.distribution.reduce((s: number, d: any) => s + d.count, 0)).toBe(got.residents.ratings);
    // Corrected later: one row, the new total.
    expect((await as('community.luming', 'PUT', `/api/compounds/${xsw.id}/assessments/${month}`, { scores: fullScores(1) })).json().total).toBe(100);
    expect(await t.dbh.db.selectFrom('compound_assessments').select('total').where('compound_id', '=', xsw.id).where('month', '=', month).execute()).toEqual([{ total: 100 }]);

    const bad: [string, unknown, string][] = [
      [month, { scores: { ...fullScores(1), cleaning: 21 } }, 'scores.cleaning'],
      [month, { scores: { ...fullScores(1), greening: undefined } }, 'scores.greening'],
      [month, { scores: { ...fullScores(1), order: 1.5 } }, 'scores.order'],
      [shiftMonth(month, 1), { scores: fullScores(1) }, 'month'],
      [shiftMonth(month, -4), { scores: fullScores(1) }, 'month'],
      ['2026-13', { scores: fullScores(1) }, 'month'],
    ];
    for (const [m, payload, field] of bad) {
      const r = await as('community.luming', 'PUT', `/api/compounds/${xsw.id}/assessments/${m}`, payload);
      expect(r.statusCode, `${m} ${field}: ${r.body}`).toBe(400);
      expect(Object.keys(r.json().error.fields), r.body).toContain(field);
    }
    expect((await as('grid.xiangshuwan', 'PUT', `/api/compounds/${xsw.id}/assessments/${month}`, { scores: fullScores(1) })).statusCode).toBe(403);
  });

  it('ranks the demonstration compounds by the published formula, recomputed here from the seeded rows', async () => {
    const res = await as('admin', 'GET', '/api/compounds/ranking');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const month = shiftMonth(thisMonth(), -1);
    expect(body.month).toBe(month);
    expect(body.formula.text).toContain('居民评价×30% + 社区考评×30% + 报事按时办结率×20% + 实事满意度×10%');
    expect(body.formula.text).toContain('逾期未完成实事扣分');
    const compounds = await q<{ id: number }>(sql`select id from regions where level = 'compound'`);
    // Every demo compound (up to the 15 demonstration compounds) was assessed last month.
    expect(body.items).toHaveLength(Math.min(15, compounds.length));
    expect(body.ranked).toBe(body.items.length);

    const start = new Date(`${month}-01T00:00:00+08:00`), end = new Date(`${shiftMonth(month, 1)}-01T00:00:00+08:00`);
    const cutoff = end < new Date() ? end : new Date();
    const today = shanghaiToday();
    const r1 = (n: number) => Math.round(n * 10) / 10;
    for (const item of body.items) {
      const c = item.compoundId;
      const [rating] = await q<{ n: number; avg: number | null }>(sql`select count(*)::int as n, avg(score)::float8 as avg from compound_ratings where compound_id = ${c} and month = ${month}`);
      const [check] = await q<{ total: number }>(sql`select total from compound_assessments where compound_id = ${c} and month = ${month}`);
      const requests = await q<{ created_at: Date; sla_hours: number; first_done_at: Date | null; outcome: string | null }>(sql`select created_at, sla_hours, first_done_at, outcome from service_requests
        where compound_id = ${c} and created_at >= ${start} and created_at < ${end}`);
      const path = (await q<{ path: string }>(sql`select path from regions where id = ${c}`))[0].path;
      const surveys = await q<{ score: number }>(sql`select v.score from practical_surveys v join practical_matter_compounds pc on pc.matter_id = v.matter_id and pc.compound_id = ${c}
        join households h on h.id = v.household_id where h.region_path like ${`${path}%`} and v.answered_at < ${cutoff}`);
      const matters = await q<{ status: string; due_on: string; accepted_at: Date | null; closed_at: Date | null; created_at: Date }>(sql`select m.status, m.due_on, m.accepted_at, m.closed_at, m.created_at
        from practical_matters m join practical_matter_compounds pc on pc.matter_id = m.id where pc.compound_id = ${c}`);
      const follow = await q<{ due_on: string; done_at: Date | null }>(sql`select due_on, done_at from compound_follow_ups where compound_id = ${c}`);

      const now = Date.now();
      const countedReq = requests.filter((r) => !['duplicate', 'not_ours', 'referred'].includes(r.outcome ?? '')
        && (r.first_done_at != null || new Date(r.created_at).getTime() + r.sla_hours * 3600_000 < now));
      const onTimeReq = countedReq.filter((r) => r.first_done_at != null && new Date(r.first_done_at).getTime() <= new Date(r.created_at).getTime() + r.sla_hours * 3600_000);
      const cutoffDay = new Date(cutoff.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const overdue = matters.filter((m) => m.due_on < cutoffDay && new Date(m.created_at) < cutoff && !(['accepted', 'closed'].includes(m.status)
        && (m.accepted_at ?? m.closed_at ?? new Date(0)) < cutoff)).length;
      const dueFollow = follow.filter((f) => f.due_on.startsWith(month) && f.due_on < cutoffDay && f.due_on <= today);
      const onTimeFollow = dueFollow.filter((f) => f.done_at && new Date(f.done_at) < new Date(new Date(`${f.due_on}T00:00:00+08:00`).getTime() + 86400_000));
      const values: Record<string, number | null> = {
        residents: rating.n ? r1((rating.avg! / 5) * 100) : null,
        checklist: check ? check.total : null,
        requests: countedReq.length ? r1((onTimeReq.length / countedReq.length) * 100) : null,
        practical: surveys.length ? r1((surveys.reduce((s, v) => s + v.score, 0) / surveys.length / 5) * 100) : null,
        followUps: dueFollow.length ? r1((onTimeFollow.length / dueFollow.length) * 100) : null,
      };
      const weights: Record<string, number> = { residents: 30, checklist: 30, requests: 20, practical: 10, followUps: 10 };
      const present = Object.keys(weights).filter((k) => values[k] != null);
      const weighted = present.reduce((s, k) => s + values[k]! * weights[k], 0) / present.reduce((s, k) => s + weights[k], 0);
      const score = Math.max(0, r1(weighted) - Math.min(10, 2 * overdue));
      const what = `${item.name}: ${JSON.stringify(item.components)}`;
      expect(Object.fromEntries(item.components.map((x: any) => [x.code, x.value])), what).toEqual(values);
      expect(item.deduction, what).toBe(Math.min(10, 2 * overdue));
      expect(item.score, what).toBeCloseTo(score, 5);
    }
    // Ranked by score, ties sharing a rank.
    for (const [i, item] of body.items.entries()) {
      expect(item.rank).toBe(1 + body.items.filter((x: any) => x.score > item.score).length);
      if (i > 0) expect(body.items[i - 1].score).toBeGreaterThanOrEqual(item.score);
    }
    // 橡树湾 has follow-ups due last month (one open past its due day), a figure that counts.
    const xswItem = body.items.find((i: any) => i.compoundId === xsw.id);
    expect(xswItem.components.find((x: any) => x.code === 'followUps').value).not.toBeNull();
    expect(xswItem.components.find((x: any) => x.code === 'followUps').value).toBeLessThan(100);

    // In scope only; bad months name the field.
    const jlhOnly = (await as('community.julonghu', 'GET', `/api/compounds/ranking?month=${month}`)).json();
    expect(jlhOnly.items.map((i: any) => i.compoundId)).toEqual([jlh.id]);
    expect(jlhOnly.items[0].rank).toBe(1);
    for (const bad of [shiftMonth(thisMonth(), 1), '2026-00', 'last']) {
      const r = await as('admin', 'GET', `/api/compounds/ranking?month=${bad}`);
      expect(r.statusCode, bad).toBe(400);
      expect(Object.keys(r.json().error.fields)).toContain('month');
    }
    expect((await as('resident.demo', 'GET', '/api/compounds/ranking')).statusCode).toBe(403);
  });
});

function fullScores(share: number) {
  return Object.fromEntries(CHECKLIST.map((i) => [i.code, Math.round(i.max * share)]));
}

import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_NAMES, MATTER_STATUSES, UNIT_KINDS, UNIT_ROLES } from '../../server/src/modules/property/practical-tables.js';
import { matterCategory, matterStatus, unitKind, unitRole } from '../../server/src/modules/property/practical-schemas.js';
import { createTestApp, requester, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

/**
 * Practical matters (暖心实事): the demo's 300+ items, the public list and page (no person on them),
 * paging and filters, progress rolling up from milestones completed in the console, the status
 * flow, scope (a community cannot touch another's matter; a street's matter is each served
 * community's too, but only the street re-draws it), the survey (one answer per household under a
 * race, 403 for anyone not living in a served compound), and bad input naming the field.
 */
describe('practical matters', () => {
  let t: TestApp;
  const db = () => t.dbh.db;
  type Region = { id: number; path: string; name: string };
  let R: Record<'HH' | 'LM' | 'JLH' | 'XSW' | 'LMY' | 'JLHC1' | 'KC', Region>;
  let allianceUnit: number;
  const as = requester(() => t);
  const inDays = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86400_000).toISOString().slice(0, 10);
  const newMatter = (over: Record<string, unknown> = {}) => ({
    title: '鹿鸣社区雨污分流改造（测试）', category: 'sewage', year: 2026, regionId: R.LM.id, compoundIds: [R.XSW.id, R.LMY.id],
    units: [{ kind: 'department', name: '区水务局' }, { kind: 'alliance_unit', allianceUnitId: allianceUnit }, { kind: 'property_company', name: '盐城橡树湾物业服务有限公司' }],
    budgetFen: 3_200_000_00, startsOn: inDays(-10), dueOn: inDays(120), summary: '分流改造，联系人电话 13812345678。',
    milestones: [{ title: '方案设计与公示', weight: 1, dueOn: inDays(20) }, { title: '管网施工', weight: 3, dueOn: inDays(100) }], ...over,
  });
  const create = async (user: string, over: Record<string, unknown> = {}) => {
    const res = await as(user, 'POST', '/api/practical-matters', newMatter(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const page = async (id: number) => (await as(null, 'GET', `/api/practical-matters/${id}`)).json();
  const complete = async (user: string, id: number, milestone: number, payload: unknown = { note: '已完成' }, headers: Record<string, string> = {}) =>
    as(user, 'POST', `/api/practical-matters/${id}/milestones/${milestone}/complete`, payload, headers);
  const completeAll = async (user: string, id: number) => {
    for (const m of (await page(id)).milestones) if (!m.doneAt) expect((await complete(user, id, m.id)).statusCode).toBe(200);
  };
  const status = (user: string, id: number, to: string) => as(user, 'POST', `/api/practical-matters/${id}/status`, { status: to });
  /** An account for a person (a resident of their own compound). */
  let accountSerial = 0;
  const residentAccount = async (personId: number, compound: Region) => {
    const username = `pm.resident${++accountSerial}`;
    const res = await as('admin', 'POST', '/api/accounts', { username, password: DEMO_PASSWORD, displayName: '测试居民', roles: ['resident'], scopeRegionId: compound.id, personId });
    expect(res.statusCode, res.body).toBe(201);
    return username;
  };
  /** Matters in an account's scope, counted in SQL: the owning region or a served compound under the scope. */
  const inScopeIds = async (scopePath: string) => (await sql<{ id: number }>`select m.id from practical_matters m where m.region_path like ${`${scopePath}%`}
    or exists (select 1 from practical_matter_compounds c where c.matter_id = m.id and c.compound_path like ${`${scopePath}%`})`.execute(db())).rows.map((r) => r.id);

  beforeAll(async () => {
    t = await createTestApp();
    const region = (code: string) => db().selectFrom('regions').select(['id', 'path', 'name']).where('code', '=', code).executeTakeFirstOrThrow();
    R = { HH: await region('HH'), LM: await region('HH-LM'), JLH: await region('HH-JLH'), XSW: await region('XSW'), LMY: await region('LMY'), JLHC1: await region('JLH-C1'), KC: await region('KC') };
    allianceUnit = (await db().selectFrom('alliance_units').select('id').where('status', '=', 'verified').where('kind', '=', 'enterprise').orderBy('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.close());

  it('the demo district holds 300+ matters in every state, some overdue, some surveyed, with believable titles and budgets', async () => {
    const all = (await as(null, 'GET', '/api/practical-matters?pageSize=100')).json();
    expect(all.total).toBeGreaterThanOrEqual(300);
    let sum = 0;
    for (const s of MATTER_STATUSES) {
      const n = (await as(null, 'GET', `/api/practical-matters?status=${s}&pageSize=1`)).json().total;
      expect(n, s).toBeGreaterThan(10);
      sum += n;
    }
    expect(sum).toBe(all.total);
    const overdue = (await as(null, 'GET', '/api/practical-matters?overdue=true&pageSize=100')).json();
    expect(overdue.total).toBeGreaterThan(10);
    expect(overdue.items.every((m: any) => m.overdue && ['planned', 'in_progress'].includes(m.status))).toBe(true);
    // Overdue first on the default list.
    expect(all.items.slice(0, overdue.total > 100 ? 100 : overdue.total).every((m: any) => m.overdue)).toBe(true);
    expect(all.items.every((m: any) => m.progress >= 0 && m.progress <= 100 && m.budgetFen > 0 && Number.isInteger(m.budgetFen))).toBe(true);
    const surveyed = await db().selectFrom('practical_surveys').select(sql<number>`count(distinct matter_id)::int`.as('n')).executeTakeFirstOrThrow();
    expect(surveyed.n).toBeGreaterThan(50);
    const titles = (await db().selectFrom('practical_matters').select('title').execute()).map((r) => r.title);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toEqual(expect.arrayContaining([expect.stringMatching(/^橡树湾小区/), expect.stringMatching(/^鹿鸣社区/), expect.stringMatching(/片区/), expect.stringMatching(/^黄海街道/)]));
    // Finished matters are at 100 %, with all their milestones done; planned ones at 0.
    for (const s of ['accepted', 'closed']) {
      const items = (await as(null, 'GET', `/api/practical-matters?status=${s}&pageSize=100`)).json().items;
      expect(items.every((m: any) => m.progress === 100 && !m.overdue), s).toBe(true);
    }
    expect((await as(null, 'GET', '/api/practical-matters?status=planned&pageSize=100')).json().items.every((m: any) => m.progress === 0 && m.spentFen === 0)).toBe(true);
    const spentSums = await sql<{ n: number }>`select count(*)::int as n from practical_matters m
      where m.spent_fen <> (select coalesce(sum(amount_fen), 0) from practical_spending s where s.matter_id = m.id)`.execute(db());
    expect(spentSums.rows[0].n).toBe(0);
  });

  it('the public list and page carry no personal data (units and compounds by name, notes screened, no comments or spending entries)', async () => {
    const id = await create('community.luming');
    const home = await db().selectFrom('persons').select('name').where('region_path', 'like', `${R.XSW.path}%`).orderBy('id').limit(30).execute();
    const list = await as(null, 'GET', `/api/practical-matters?regionId=${R.LM.id}&pageSize=100`);
    const pub = await as(null, 'GET', `/api/practical-matters/${id}`);
    expect(pub.statusCode).toBe(200);
    const body = pub.json();
    expect(body.summary).toBe('分流改造，联系人电话 138****5678。');
    expect(body.units.map((u: any) => [u.name, u.role])).toEqual([['区水务局', 'lead'], [expect.any(String), 'partner'], ['盐城橡树湾物业服务有限公司', 'partner']]);
    expect(body.compounds.map((c: any) => c.name)).toEqual(['橡树湾', '鹿鸣苑']);
    for (const res of [list, pub]) {
      expect(res.body).not.toMatch(/13812345678|householdId|accountId|createdBy|doneBy|recordedBy|"comments"|"spending"|鹿鸣社区工作人员|allianceUnitId/);
      for (const p of home) expect(res.body).not.toContain(p.name);
    }
    // A seeded matter with survey comments: the public page has the numbers, not the words.
    const commented = await db().selectFrom('practical_surveys').select(['matter_id', 'comment']).where('comment', 'is not', null).orderBy('matter_id').executeTakeFirstOrThrow();
    const withSurvey = await as(null, 'GET', `/api/practical-matters/${commented.matter_id}`);
    expect(withSurvey.json().survey.count).toBeGreaterThan(0);
    expect(withSurvey.body).not.toContain(commented.comment!);
    // …which the matter's workers do see, without the household.
    const manage = await as('admin', 'GET', `/api/practical-matters/${commented.matter_id}/manage`);
    expect(manage.json().comments.map((c: any) => c.comment)).toContain(commented.comment);
    expect(manage.body).not.toMatch(/householdId|household_id/);
  });

  it('pages and filters the public list by status, category, year, street or region, keyword and overdue', async () => {
    const p1 = (await as(null, 'GET', '/api/practical-matters?page=1&pageSize=7')).json();
    const p2 = (await as(null, 'GET', '/api/practical-matters?page=2&pageSize=7')).json();
    expect([p1.items.length, p2.items.length, p1.page, p2.page, p1.pageSize]).toEqual([7, 7, 1, 2, 7]);
    expect(p1.items.map((m: any) => m.id).filter((i: number) => p2.items.some((m: any) => m.id === i))).toEqual([]);
    const cat = (await as(null, 'GET', '/api/practical-matters?category=charging&pageSize=100')).json();
    expect(cat.total).toBeGreaterThan(0);
    expect(cat.items.every((m: any) => m.category === 'charging' && m.categoryName === CATEGORY_NAMES.charging)).toBe(true);
    const year = (await as(null, 'GET', '/api/practical-matters?year=2025&pageSize=100')).json();
    expect(year.total).toBeGreaterThan(0);
    expect(year.items.every((m: any) => m.year === 2025)).toBe(true);
    const kw = (await as(null, 'GET', `/api/practical-matters?q=${encodeURIComponent('雨污')}&pageSize=100`)).json();
    expect(kw.total).toBeGreaterThan(0);
    expect(kw.items.every((m: any) => m.title.includes('雨污'))).toBe(true);
    // A region: matters owned under it, or serving a compound under it.
    const jlh = (await as(null, 'GET', `/api/practical-matters?regionId=${R.JLH.id}&pageSize=100`)).json();
    const expected = await inScopeIds(R.JLH.path);
    expect(jlh.total).toBe(expected.length);
    expect(jlh.items.every((m: any) => expected.includes(m.id))).toBe(true);
    expect(jlh.items.some((m: any) => m.regionName === '黄海街道')).toBe(true); // a street's matter serving 聚龙湖花园
    const kc = (await as(null, 'GET', `/api/practical-matters?streetId=${R.KC.id}&status=in_progress&pageSize=100`)).json();
    expect(kc.total).toBeGreaterThan(0);
    expect(kc.items.every((m: any) => m.streetName === '科城街道' && m.status === 'in_progress')).toBe(true);
    expect((await as(null, 'GET', '/api/practical-matters?regionId=2147483000')).json()).toMatchObject({ items: [], total: 0 });
    expect((await as(null, 'GET', '/api/practical-matters?q=')).statusCode).toBe(200);
    for (const [qs, field] of [['status=done', 'status'], ['category=x', 'category'], ['pageSize=1000', 'pageSize'], ['year=1999', 'year'], ['regionId=abc', 'regionId'], ['overdue=yes', 'overdue']]) {
      const res = await as(null, 'GET', `/api/practical-matters?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(Object.keys(res.json().error.fields), qs).toEqual([field]);
    }
  });

  it('a milestone completed in the console moves the public page\'s progress; photos, spending and the status flow', async () => {
    const id = await create('community.luming', { title: '鹿鸣社区电动自行车充电桩建设（测试）', category: 'charging' });
    const before = await page(id);
    expect(before).toMatchObject({ status: 'planned', progress: 0, budgetFen: 320000000, spentFen: 0, overdue: false });
    const [design, works] = before.milestones;
    const jpeg = await jpegWithGps();
    const form = multipart({ note: '方案已在小区公示栏公示 7 天' }, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: jpeg }, { field: 'photos', name: 'b.jpg', type: 'image/jpeg', data: jpeg }]);
    const done = await complete('community.luming', id, design.id, form.payload, form.headers);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ progress: 25, status: 'in_progress' });
    const after = await page(id);
    expect(after).toMatchObject({ progress: 25, status: 'in_progress' });
    expect(after.startedAt).toBeTruthy();
    expect(after.milestones[0]).toMatchObject({ note: '方案已在小区公示栏公示 7 天', doneAt: expect.any(String) });
    expect(after.milestones[0].photos).toHaveLength(2);
    const img = await as(null, 'GET', after.milestones[0].photos[0].url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.rawPayload.includes(Buffer.from('GPS'))).toBe(false);
    expect((await as(null, 'GET', after.milestones[0].photos[0].thumbUrl)).headers['content-type']).toBe('image/webp');
    // A photo is served only under its own matter.
    expect((await as(null, 'GET', `/api/practical-matters/${id + 100000}/photos/${after.milestones[0].photos[0].id}`)).statusCode).toBe(404);
    expect((await complete('community.luming', id, design.id)).statusCode).toBe(409);
    const early = await status('community.luming', id, 'accepted');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('1 个里程碑未完成');

    const photoForm = (kind?: string) => multipart(kind ? { kind } : {}, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: jpeg }]);
    const noKind = photoForm();
    const missing = await as('community.luming', 'POST', `/api/practical-matters/${id}/photos`, noKind.payload, noKind.headers);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.kind).toBe('必填');
    for (const kind of ['before', 'after']) {
      const f = photoForm(kind);
      const res = await as('community.luming', 'POST', `/api/practical-matters/${id}/photos`, f.payload, f.headers);
      expect(res.statusCode, res.body).toBe(200);
    }
    const spent = await as('community.luming', 'POST', `/api/practical-matters/${id}/spending`, { amountFen: 1_250_000_00, spentOn: inDays(0), note: '设备采购款' });
    expect(spent.json()).toMatchObject({ spentFen: 125000000, budgetFen: 320000000, overBudget: false });
    const future = await as('community.luming', 'POST', `/api/practical-matters/${id}/spending`, { amountFen: 100, spentOn: inDays(3) });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.spentOn).toBe('不能晚于今天');

    expect((await complete('community.luming', id, works.id, {})).statusCode).toBe(200);
    const full = await page(id);
    expect(full).toMatchObject({ progress: 100, spentFen: 125000000, survey: { open: false, count: 0 } });
    expect([full.photos.before.length, full.photos.after.length]).toEqual([1, 1]);
    expect((await status('community.luming', id, 'accepted')).json()).toEqual({ id, status: 'accepted' });
    expect((await page(id)).survey.open).toBe(true);
    const manage = (await as('community.luming', 'GET', `/api/practical-matters/${id}/manage`)).json();
    expect(manage.abilities).toMatchObject({ manage: true, close: true, accept: false, completeMilestone: false, editCoverage: false });
    expect(manage.spending).toEqual([expect.objectContaining({ amountFen: 125000000, note: '设备采购款', recordedBy: '鹿鸣社区工作人员' })]);
    expect(manage.summary).toContain('13812345678'); // the workers' own text, unscreened
    expect((await as('community.luming', 'POST', `/api/practical-matters/${id}/milestones`, { milestones: [{ title: '追加' }] })).statusCode).toBe(409);
    const audit = await db().selectFrom('audit_log').select('action').where('target_type', '=', 'practical_matter').where('target_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['practical.create', 'practical.milestone_done', 'practical.photos', 'practical.spending', 'practical.status']));
  });

  it('scope: 聚龙湖 cannot touch a 鹿鸣 matter; a street\'s matter is each served community\'s too, but only the street re-draws it', async () => {
    const lm = await create('community.luming', { title: '鹿鸣社区路灯亮化工程（测试）', category: 'lighting' });
    const milestone = (await page(lm)).milestones[0].id;
    const snapshot = async () => JSON.stringify([
      await db().selectFrom('practical_matters').selectAll().where('id', '=', lm).execute(),
      await db().selectFrom('practical_milestones').selectAll().where('matter_id', '=', lm).orderBy('id').execute(),
      await db().selectFrom('practical_spending').selectAll().where('matter_id', '=', lm).execute(),
    ]);
    const was = await snapshot();
    const f = multipart({ kind: 'before' }, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    const tries = [
      await as('community.julonghu', 'PATCH', `/api/practical-matters/${lm}`, { title: '越界改名' }),
      await complete('community.julonghu', lm, milestone),
      await as('community.julonghu', 'POST', `/api/practical-matters/${lm}/milestones`, { milestones: [{ title: '越界' }] }),
      await as('community.julonghu', 'POST', `/api/practical-matters/${lm}/spending`, { amountFen: 100, spentOn: inDays(0) }),
      await as('community.julonghu', 'POST', `/api/practical-matters/${lm}/photos`, f.payload, f.headers),
      await status('community.julonghu', lm, 'in_progress'),
      await as('community.julonghu', 'GET', `/api/practical-matters/${lm}/manage`),
      await as('community.julonghu', 'POST', '/api/practical-matters', newMatter({ title: '越界新建' })),
    ];
    expect(tries.map((r) => r.statusCode)).toEqual(Array(tries.length).fill(403));
    expect(tries[0].json().error.code).toBe('out_of_scope');
    expect(await snapshot()).toBe(was);
    // Its own community with another community's compound: the compound is named.
    const foreign = await as('community.julonghu', 'POST', '/api/practical-matters', newMatter({ regionId: R.JLH.id, compoundIds: [R.JLHC1.id, R.LMY.id] }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields).toEqual({ 'compoundIds.1': '受益小区须在所属区域内' });
    // Residents and grid workers hold no practical:manage.
    expect((await as('resident.demo', 'PATCH', `/api/practical-matters/${lm}`, { title: 'x' })).statusCode).toBe(403);
    expect((await as('grid.xiangshuwan', 'GET', '/api/practical-matters/dashboard')).statusCode).toBe(403);
    // The street above may.
    expect((await as('street.huanghai', 'PATCH', `/api/practical-matters/${lm}`, { budgetFen: 5_000_000_00 })).statusCode).toBe(200);

    // A street's matter serving both communities.
    const street = await create('street.huanghai', { title: '黄海街道无障碍坡道改造（测试）', category: 'accessibility', regionId: R.HH.id, compoundIds: [R.XSW.id, R.JLHC1.id] });
    const sm = (await page(street)).milestones[0].id;
    expect((await complete('community.julonghu', street, sm)).statusCode).toBe(200);
    expect((await as('community.julonghu', 'PATCH', `/api/practical-matters/${street}`, { title: '黄海街道无障碍坡道改造（一期）' })).statusCode).toBe(200);
    const redraw = await as('community.julonghu', 'PATCH', `/api/practical-matters/${street}`, { compoundIds: [R.JLHC1.id] });
    expect(redraw.statusCode).toBe(403);
    expect((await page(street)).compounds.map((c: any) => c.name)).toEqual(['橡树湾', '聚龙湖花园']);
    expect((await as('street.huanghai', 'PATCH', `/api/practical-matters/${street}`, { compoundIds: [R.JLHC1.id], units: [{ kind: 'street_community', name: '黄海街道办事处' }] })).statusCode).toBe(200);
    expect((await page(street)).compounds.map((c: any) => c.name)).toEqual(['聚龙湖花园']);
    expect((await as('community.luming', 'GET', `/api/practical-matters/${street}/manage`)).statusCode).toBe(403); // no longer serves 鹿鸣

    // The dashboard, the console list and the export hold only matters in scope.
    const mine = await inScopeIds(R.JLH.path);
    const dash = (await as('community.julonghu', 'GET', '/api/practical-matters/dashboard')).json();
    expect(dash.total).toBe(mine.length);
    expect(dash.overdueItems.every((m: any) => m.overdue && mine.includes(m.id))).toBe(true);
    expect(dash.byStatus.reduce((s: number, x: any) => s + x.count, 0)).toBe(mine.length);
    expect(dash.byStreet.map((s: any) => s.name)).toEqual(['黄海街道']);
    const managed = (await as('community.julonghu', 'GET', '/api/practical-matters/managed?pageSize=100')).json();
    expect(managed.total).toBe(mine.length);
    expect(managed.items.every((m: any) => mine.includes(m.id))).toBe(true);
    const xlsx = await as('community.julonghu', 'GET', '/api/practical-matters/export.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const ids: number[] = [];
    wb.worksheets[0].eachRow((r, n) => { if (n > 1) ids.push(Number(r.getCell(1).value)); });
    expect(ids.sort()).toEqual([...mine].sort());
    const district = (await as('admin', 'GET', '/api/practical-matters/dashboard')).json();
    expect(district.byStreet.map((s: any) => s.name)).toEqual(expect.arrayContaining(['黄海街道', '科城街道', '新都街道']));
    expect(district.overdue).toBeGreaterThan(0);
    expect(district.overdueItems[0].overdue).toBe(true);
  });

  it(`survey: one answer per household under a race (${process.env.TEST_DB ?? 'pglite'}); outsiders get 403; open from acceptance to closing`, async () => {
    const id = await create('community.luming', { title: '鹿鸣社区楼道声控灯更换（测试）', category: 'lighting' });
    // resident.demo and two members of the same household, on their own accounts.
    const me = await db().selectFrom('accounts as a').innerJoin('persons as p', 'p.id', 'a.person_id').select(['p.id', 'p.household_id']).where('a.username', '=', 'resident.demo').executeTakeFirstOrThrow();
    const family = await db().selectFrom('persons').select('id').where('household_id', '=', me.household_id).where('id', '!=', me.id).orderBy('id').limit(2).execute();
    expect(family).toHaveLength(2);
    const members = ['resident.demo', ...(await Promise.all(family.map((p) => residentAccount(p.id, R.XSW))))];
    const closedYet = await as('resident.demo', 'POST', `/api/practical-matters/${id}/survey`, { score: 5 });
    expect(closedYet.statusCode).toBe(409);
    expect(closedYet.json().error.code).toBe('survey_closed');
    expect((await as('resident.demo', 'GET', `/api/practical-matters/${id}/survey`)).json()).toMatchObject({ open: false, eligible: true, answered: false, canAnswer: false });
    await completeAll('community.luming', id);
    expect((await status('community.luming', id, 'accepted')).statusCode).toBe(200);

    for (const u of members) await t.token(u);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => as(members[i % 3], 'POST', `/api/practical-matters/${id}/survey`, { score: (i % 5) + 1, comment: `答卷${i}` })));
    const codes = results.map((r) => r.statusCode);
    console.log(`survey race on ${t.kind}: ${codes.filter((c) => c === 201).length} × 201, ${codes.filter((c) => c === 409).length} × 409`);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(11);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error).toMatchObject({ code: 'survey_answered', message: expect.stringContaining('每户一次') });
    const rows = await db().selectFrom('practical_surveys').select(['household_id', 'score']).where('matter_id', '=', id).execute();
    expect(rows).toEqual([{ household_id: me.household_id, score: results.find((r) => r.statusCode === 201)!.json().score }]);

    // Another household of a served compound (鹿鸣苑) answers; people elsewhere, and accounts without a household, may not.
    expect((await as('member.demo', 'POST', `/api/practical-matters/${id}/survey`, { score: 4 })).statusCode).toBe(201);
    const jlhPerson = await db().selectFrom('persons').select('id').where('region_path', 'like', `${R.JLHC1.path}%`).orderBy('id').executeTakeFirstOrThrow();
    const outsider = await residentAccount(jlhPerson.id, R.JLHC1);
    for (const u of [outsider, 'community.luming', 'street.huanghai', 'unit.demo']) {
      const res = await as(u, 'POST', `/api/practical-matters/${id}/survey`, { score: 1 });
      expect(res.statusCode, u).toBe(403);
    }
    expect((await as(outsider, 'GET', `/api/practical-matters/${id}/survey`)).json()).toMatchObject({ eligible: false, canAnswer: false, mine: null });
    const winner = results.find((r) => r.statusCode === 201)!;
    const winnerUser = members[results.indexOf(winner) % 3];
    expect((await as(winnerUser, 'GET', `/api/practical-matters/${id}/survey`)).json()).toMatchObject({ answered: true, canAnswer: false, mine: { score: winner.json().score } });
    const other = members.find((u) => u !== winnerUser)!;
    expect((await as(other, 'GET', `/api/practical-matters/${id}/survey`)).json()).toMatchObject({ answered: true, canAnswer: false, mine: null });

    const survey = (await page(id)).survey;
    expect(survey).toMatchObject({ open: true, count: 2 });
    expect(survey.households).toBeGreaterThan(2500);
    expect(survey.distribution.reduce((s: number, d: any) => s + d.count, 0)).toBe(2);
    expect((await status('community.luming', id, 'closed')).json()).toEqual({ id, status: 'closed' });
    const neighbour = await db().selectFrom('persons').select('id').where('region_path', 'like', `${R.XSW.path}%`).where('household_id', '!=', me.household_id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const late = await as(await residentAccount(neighbour.id, R.XSW), 'POST', `/api/practical-matters/${id}/survey`, { score: 2 });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('survey_closed');
    expect((await page(id)).survey).toMatchObject({ open: false, count: 2 });
  });

  it('bad input gets a 4xx naming the field, in Chinese, and writes nothing', async () => {
    const count = async () => Number((await db().selectFrom('practical_matters').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const room = await db().selectFrom('regions').select('id').where('level', '=', 'room').where('path', 'like', `${R.XSW.path}%`).executeTakeFirstOrThrow();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ title: undefined }, 'title', '必填'],
      [{ title: '' }, 'title', '长度'],
      [{ category: 'fountain' }, 'category', '取值'],
      [{ budgetFen: -1 }, 'budgetFen', '不能小于'],
      [{ budgetFen: 12.5 }, 'budgetFen', '整数'],
      [{ dueOn: '2026-02-30' }, 'dueOn', '日期'],
      [{ startsOn: inDays(30), dueOn: inDays(10) }, 'dueOn', '结束日期'],
      [{ compoundIds: [] }, 'compoundIds', '长度'],
      [{ compoundIds: [room.id] }, 'compoundIds.0', '小区不存在'],
      [{ regionId: R.XSW.id }, 'regionId', '区、街道或社区'],
      [{ regionId: 2147483000 }, 'regionId', '区域不存在'],
      [{ units: [{ kind: 'alliance_unit' }] }, 'units.0.allianceUnitId', '必填'],
      [{ units: [{ kind: 'alliance_unit', allianceUnitId: 2147483000 }] }, 'units.0.allianceUnitId', '单位不存在'],
      [{ units: [{ kind: 'department' }] }, 'units.0.name', '必填'],
      [{ milestones: [{ title: '施工', weight: 0 }] }, 'milestones.0.weight', '不能小于'],
      [{ colour: 'red' }, 'colour', '不允许'],
    ];
    for (const [patch, field, words] of cases) {
      const res = await as('community.luming', 'POST', '/api/practical-matters', newMatter(patch));
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().error.fields?.[field], `${JSON.stringify(patch)} ${res.body}`).toContain(words);
    }
    expect(await count()).toBe(before);
    const id = await create('community.luming', { title: '鹿鸣社区坏输入测试' });
    const checks: [string, string, unknown, string][] = [
      ['POST', `/api/practical-matters/${id}/survey`, { score: 6 }, 'score'],
      ['POST', `/api/practical-matters/${id}/spending`, { amountFen: 0, spentOn: inDays(0) }, 'amountFen'],
      ['POST', `/api/practical-matters/${id}/spending`, { amountFen: 100, spentOn: 'yesterday' }, 'spentOn'],
      ['POST', `/api/practical-matters/${id}/status`, { status: 'done' }, 'status'],
      ['PATCH', `/api/practical-matters/${id}`, {}, ''],
      ['POST', `/api/practical-matters/${id}/milestones`, { milestones: [] }, 'milestones'],
    ];
    for (const [method, url, payload, field] of checks) {
      const res = await as(method === 'POST' && url.endsWith('survey') ? 'resident.demo' : 'community.luming', method, url, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      if (field) expect(Object.keys(res.json().error.fields)).toEqual([field]);
    }
    const badNote = await complete('community.luming', id, (await page(id)).milestones[0].id, { note: 'x'.repeat(1001) });
    expect(badNote.statusCode).toBe(400);
    expect(badNote.json().error.fields).toHaveProperty('note');
    expect((await complete('community.luming', id, 2147483000)).statusCode).toBe(404);
    expect((await as(null, 'GET', '/api/practical-matters/2147483000')).statusCode).toBe(404);
    expect((await page(id)).progress).toBe(0);
  });

  it('the schema enums match the tables\' lists', () => {
    expect(matterStatus.options).toEqual([...MATTER_STATUSES]);
    expect(matterCategory.options).toEqual(Object.keys(CATEGORY_NAMES));
    expect(unitKind.options).toEqual([...UNIT_KINDS]);
    expect(unitRole.options).toEqual([...UNIT_ROLES]);
  });
});

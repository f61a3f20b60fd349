import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';
import { publishedWish } from '../helpers/wishes.js';

// Regression tests for issue 8's scope, harvesting, partial-write and public-leak findings:
// each was reproduced against the demo before the fix.
describe('scope and ownership together; no harvesting; all or nothing; public text screened', () => {
  let t: TestApp;
  let luming: string;
  let accountId: (u: string) => Promise<number>;
  beforeAll(async () => {
    t = await createTestApp();
    luming = await t.token('community.luming');
    accountId = async (u) => (await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.close());

  const post = (url: string, token: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: bearer(token), payload });
  /** A seeded wish of a community in a given status; "submitted" by community.luming, as the demo's home-visit wishes are. */
  const wishIn = async (code: string, status: string) => {
    const c = await regionByCode(t.dbh.db, code);
    const w = await t.dbh.db.selectFrom('wishes').selectAll().where('community_id', '=', c.id).where('status', '=', status as any).orderBy('id').limit(1).executeTakeFirst();
    if (!w) throw new Error(`no ${status} wish in ${code}`);
    await t.dbh.db.updateTable('wishes').set({ submitted_by: await accountId('community.luming') }).where('id', '=', w.id).execute();
    return w;
  };
  const row = (id: number) => t.dbh.db.selectFrom('wishes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('"I submitted it" does not reach outside my scope: confirm, withdraw, retitle, add photos, read pending and rejected', async () => {
    const jlh = await wishIn('HH-JLH', 'fulfilled');
    const confirm = await post(`/api/wishes/${jlh.id}/confirm`, luming, { rating: 5, comment: '谢谢' });
    expect(confirm.statusCode).toBe(403);
    expect((await row(jlh.id)).status).toBe('fulfilled');

    const nh = await wishIn('HH-NH', 'published');
    expect((await t.app.inject({ method: 'PATCH', url: `/api/wishes/${nh.id}`, headers: bearer(luming), payload: { title: '改了标题' } })).statusCode).toBe(403);
    expect((await post(`/api/wishes/${nh.id}/withdraw`, luming, { reason: '测试' })).statusCode).toBe(403);
    expect(await row(nh.id)).toMatchObject({ title: nh.title, status: 'published' });

    const wg = await wishIn('HH-WG', 'published');
    const photo = multipart({}, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${wg.id}/photos`, headers: { ...bearer(luming), ...photo.headers }, payload: photo.payload })).statusCode).toBe(403);
    expect(await t.dbh.db.selectFrom('wish_photos').select('id').where('wish_id', '=', wg.id).execute()).toHaveLength(0);

    for (const status of ['pending_review', 'rejected']) {
      const other = await t.dbh.db.selectFrom('wishes as w').innerJoin('regions as c', 'c.id', 'w.community_id').select('w.id')
        .where('w.status', '=', status as any).where('c.code', '<>', 'HH-LM').orderBy('w.id').limit(1).executeTakeFirstOrThrow();
      await t.dbh.db.updateTable('wishes').set({ submitted_by: await accountId('community.luming') }).where('id', '=', other.id).execute();
      const res = await t.app.inject({ url: `/api/wishes/${other.id}`, headers: bearer(luming) });
      expect(res.statusCode, status).toBe(404);
      expect(res.body).not.toContain('价值超出本季范围');
    }
    // The same account's own-scope wish still works, and says what the caller may do.
    const mine = await wishIn('HH-LM', 'published');
    const detail = (await t.app.inject({ url: `/api/wishes/${mine.id}`, headers: bearer(luming) })).json();
    expect(detail.abilities).toMatchObject({ edit: true, withdraw: true, review: false, claim: false });
  });

  it('a file attached to another community\'s wish is not readable by its uploader once out of scope', async () => {
    const id = await publishedWish(t);
    const photo = multipart({}, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    const resident = await t.token('resident.demo');
    const up = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/photos`, headers: { ...bearer(resident), ...photo.headers }, payload: photo.payload });
    expect(up.statusCode).toBe(200);
    const fileId = up.json().photos[0].id;
    // Move the wish (and so the file) out of the resident's scope: the upload no longer opens it.
    const jlh = await regionByCode(t.dbh.db, 'HH-JLH');
    await t.dbh.db.updateTable('wishes').set({ region_path: jlh.path, community_id: jlh.id, status: 'pending_review' }).where('id', '=', id).execute();
    expect((await t.app.inject({ url: `/api/files/${fileId}`, headers: bearer(resident) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/files/${fileId}`, headers: bearer(await t.token('community.julonghu')) })).statusCode).toBe(200);
  });

  it('claim-and-withdraw harvests nothing: contact only by an explicit, delayed, logged action; daily limits; the community is told', async () => {
    const admin = await t.token('admin');
    const lm = await regionByCode(t.dbh.db, 'HH-LM');
    const created = await post('/api/accounts', admin, { username: 'harvester', password: DEMO_PASSWORD, displayName: '党员甲', roles: ['party_member'], scopeRegionId: lm.id });
    expect(created.statusCode).toBe(201);
    const member = await t.token('harvester');
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await publishedWish(t, { title: `想要一台收音机${i}` }));
    const logBefore = (await t.dbh.db.selectFrom('pi_access_log').select('id').execute()).length;
    for (const id of ids.slice(0, 5)) {
      expect((await post(`/api/wishes/${id}/claim`, member)).statusCode).toBe(200);
      const seen = (await t.app.inject({ url: `/api/wishes/${id}`, headers: bearer(member) })).json();
      expect(seen.beneficiaryContact).toBeUndefined();
      expect((await post(`/api/wishes/${id}/contact`, member)).statusCode).toBe(409);
    }
    expect((await t.dbh.db.selectFrom('pi_access_log').select('id').execute()).length).toBe(logBefore);
    // Five claims a day for a person.
    const sixth = await post(`/api/wishes/${ids[5]}/claim`, member);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error.message).toContain('上限');
    // After 30 minutes the contact is there, logged; giving the wish back afterwards is flagged to 鹿鸣's workers.
    await t.dbh.db.updateTable('wish_claims').set({ claimed_at: new Date(Date.now() - 40 * 60_000) }).where('wish_id', '=', ids[0]).execute();
    const contact = await post(`/api/wishes/${ids[0]}/contact`, member);
    expect(contact.statusCode).toBe(200);
    expect(contact.json().contact.phone).toMatch(/^1\d{10}$/);
    expect((await t.dbh.db.selectFrom('pi_access_log').select('purpose').where('purpose', 'like', '认领送达%').execute()).length).toBeGreaterThan(0);
    for (const id of ids.slice(0, 3)) expect((await post(`/api/wishes/${id}/claim/withdraw`, member, { reason: '没空' })).statusCode).toBe(200);
    const fourth = await post(`/api/wishes/${ids[3]}/claim/withdraw`, member, { reason: '没空' });
    expect(fourth.statusCode).toBe(429);
    expect((await t.dbh.db.selectFrom('wishes').select('status').where('id', '=', ids[3]).executeTakeFirstOrThrow()).status).toBe('claimed');
    const flags = (await t.app.inject({ url: '/api/me/notifications?pageSize=100', headers: bearer(luming) })).json().items.filter((n: any) => n.kind === 'claim_flagged');
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0].body).toContain('党员甲');
    expect((await t.dbh.db.selectFrom('audit_log').select('id').where('action', '=', 'wish.claim_flagged').execute()).length).toBeGreaterThan(0);
  });

  it('a claimer cannot claim outside their scope', async () => {
    const kc = await t.dbh.db.selectFrom('wishes as w').innerJoin('regions as c', 'c.id', 'w.community_id').select('w.id').where('c.code', '=', 'KC-KC').where('w.status', '=', 'published').orderBy('w.id').limit(1).executeTakeFirst();
    const target = kc ?? (await wishIn('HH-JLH', 'published'));
    const res = await post(`/api/wishes/${target.id}/claim`, await t.token('member.demo'));
    expect(res.statusCode).toBe(403);
    expect((await row(target.id)).status).toBe('published');
  });

  it('seasons: a street worker cannot change a season that runs in other streets; stats show only the caller\'s communities', async () => {
    const street = await t.token('street.huanghai');
    const season = (await t.app.inject({ url: '/api/public/seasons' })).json().items.find((s: any) => s.current);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/seasons/${season.id}`, headers: bearer(street), payload: { name: '改名', valueCap: 99999 } });
    expect(res.statusCode).toBe(403);
    const after = await t.dbh.db.selectFrom('seasons').selectAll().where('id', '=', season.id).executeTakeFirstOrThrow();
    expect(after.name).toBe(season.name);
    expect(after.value_cap_fen).toBe(season.valueCap * 100);
    const stats = (await t.app.inject({ url: `/api/seasons/${season.id}/stats`, headers: bearer(luming) })).json();
    expect(stats.byCommunity.map((c: any) => c.communityName)).toEqual(['鹿鸣社区']);
    const alliance = (await t.app.inject({ url: '/api/alliance/stats?by=community', headers: bearer(luming) })).json();
    expect(alliance.items.map((c: any) => c.name)).toEqual(['鹿鸣社区']);
  });

  it('projects, proposals and the owner register stay inside scope; imports do not reveal who exists elsewhere', async () => {
    // A milestone of a 聚龙湖 project.
    const jlh = await regionByCode(t.dbh.db, 'HH-JLH');
    const units = (await t.app.inject({ url: '/api/alliance/units?pageSize=2' })).json().items;
    const project = await post('/api/projects', await t.token('community.julonghu'), { title: '聚龙湖楼道灯', ownerUnitId: units[0].id, regionId: jlh.id, milestones: [{ title: '摸排' }, { title: '安装' }] });
    expect(project.statusCode).toBe(201);
    const m = project.json().milestones[0];
    expect((await post(`/api/projects/${project.json().id}/milestones/${m.id}/complete`, luming)).statusCode).toBe(403);
    expect((await t.dbh.db.selectFrom('coop_milestones').select('done_at').where('id', '=', m.id).executeTakeFirstOrThrow()).done_at).toBeNull();

    // 聚龙湖's proposal is neither readable nor replaceable by 鹿鸣.
    const season = (await t.app.inject({ url: '/api/public/seasons' })).json().items.find((s: any) => s.current);
    const theirs = await post(`/api/seasons/${season.id}/assignment`, await t.token('community.julonghu'));
    expect(theirs.statusCode).toBe(201);
    expect((await post(`/api/seasons/${season.id}/assignment`, luming)).statusCode).toBe(201);
    expect((await t.dbh.db.selectFrom('assignment_proposals').select('status').where('id', '=', theirs.json().id).executeTakeFirstOrThrow()).status).toBe('proposed');
    const read = await t.app.inject({ url: `/api/seasons/${season.id}/assignment`, headers: bearer(luming) });
    expect(read.json().id).not.toBe(theirs.json().id);
    expect((await post(`/api/seasons/${season.id}/assignment/${theirs.json().id}/accept`, luming, {})).statusCode).toBe(404);

    // Owners of a 鹿鸣 room must be 鹿鸣 people; the answer for "elsewhere" equals "nowhere".
    const room = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'room').where('path', 'like', '/1/2/%').where('path', 'like', `${(await regionByCode(t.dbh.db, 'HH-LM')).path}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const stranger = await t.dbh.db.selectFrom('persons').select('id').where('region_path', 'like', `${jlh.path}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const foreign = await t.app.inject({ method: 'PUT', url: `/api/owners/${room.id}`, headers: bearer(luming), payload: { ownerPersonIds: [stranger.id] } });
    const missing = await t.app.inject({ method: 'PUT', url: `/api/owners/${room.id}`, headers: bearer(luming), payload: { ownerPersonIds: [2_000_000_000] } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toEqual(missing.json());
  });

  it('accepting a proposal is all or nothing: one refused item leaves every wish as it was, with no audit and no claim', async () => {
    const admin = await t.token('admin');
    const season = (await t.app.inject({ url: '/api/public/seasons' })).json().items.find((s: any) => s.current);
    for (let i = 0; i < 3; i++) await publishedWish(t, { title: `想要一床棉被${i}`, category: 'goods' });
    const p = (await post(`/api/seasons/${season.id}/assignment`, admin)).json();
    expect(p.items.length).toBeGreaterThanOrEqual(2);
    const [a, b] = p.items;
    // The second item's unit loses its verification between proposal and acceptance.
    await t.dbh.db.updateTable('alliance_units').set({ status: 'pending' }).where('id', '=', b.unitId).execute();
    const claimsBefore = (await t.dbh.db.selectFrom('wish_claims').select('id').execute()).length;
    const auditBefore = (await t.dbh.db.selectFrom('audit_log').select('id').execute()).length;
    const res = await post(`/api/seasons/${season.id}/assignment/${p.id}/accept`, admin, { wishIds: [a.wishId, b.wishId] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('unit_not_verified');
    expect((await row(a.wishId)).status).toBe('published');
    expect((await t.dbh.db.selectFrom('wish_claims').select('id').execute()).length).toBe(claimsBefore);
    expect((await t.dbh.db.selectFrom('audit_log').select('id').execute()).length).toBe(auditBefore);
    await t.dbh.db.updateTable('alliance_units').set({ status: 'verified' }).where('id', '=', b.unitId).execute();
  });

  it('the assignment path and the claim endpoint leave the same traces: claim, audit, notification, live event', async () => {
    const admin = await t.token('admin');
    const season = (await t.app.inject({ url: '/api/public/seasons' })).json().items.find((s: any) => s.current);
    await publishedWish(t, { title: '想要一件羽绒服', category: 'goods' });
    const p = (await post(`/api/seasons/${season.id}/assignment`, admin)).json();
    const item = p.items[0];
    const direct = await publishedWish(t, { title: '想要一件毛衣', category: 'goods' });
    expect((await post(`/api/wishes/${direct}/claim`, await t.token('unit.demo'))).statusCode).toBe(200);
    expect((await post(`/api/seasons/${season.id}/assignment/${p.id}/accept`, admin, { wishIds: [item.wishId] })).statusCode).toBe(200);
    for (const id of [direct, item.wishId]) {
      const claims = await t.dbh.db.selectFrom('wish_claims').select(['status', 'claimer_org_id', 'due_at']).where('wish_id', '=', id).execute();
      expect(claims).toHaveLength(1);
      expect(claims[0].status).toBe('live');
      expect((await t.dbh.db.selectFrom('audit_log').select('id').where('action', '=', 'wish.claim').where('target_id', '=', String(id)).execute())).toHaveLength(1);
      expect((await t.dbh.db.selectFrom('wish_events').select('id').where('wish_id', '=', id).where('kind', '=', 'claimed').execute())).toHaveLength(1);
      const submitter = (await row(id)).submitted_by;
      if (submitter === null) throw new Error('a test wish has a submitter');
      expect((await t.dbh.db.selectFrom('notifications').select('id').where('wish_id', '=', id).where('kind', '=', 'wish_claimed').where('account_id', '=', submitter).execute())).toHaveLength(1);
    }
  });

  it('public pages show only public states, and published free text is screened for phones, ID numbers and addresses', async () => {
    const withdrawn = await t.dbh.db.selectFrom('wishes').select('id').where('status', '=', 'withdrawn').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const anon = await t.app.inject({ url: `/api/public/wishes/${withdrawn.id}` });
    expect(anon.statusCode).toBe(404);
    expect(anon.body).not.toContain('受益人已搬离社区');

    const id = await publishedWish(t, { story: '独居老人，电话13912345678，住人民路18号3栋2单元502室，想要一台收音机。' });
    const unit = await t.token('unit.demo');
    expect((await post(`/api/wishes/${id}/claim`, unit)).statusCode).toBe(200);
    const form = multipart({ note: '已送达，有事打我电话 138-0000-1234，身份证 320902199001011234' }, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/fulfil`, headers: { ...bearer(unit), ...form.headers }, payload: form.payload })).statusCode).toBe(200);
    const pub = await t.app.inject({ url: `/api/public/wishes/${id}` });
    for (const secret of ['13912345678', '138-0000-1234', '320902199001011234', '18号', '502室']) expect(pub.body).not.toContain(secret);
    expect(pub.json().story).toContain('139****5678');
    expect(pub.json().timeline.find((e: any) => e.kind === 'fulfilled').note).toContain('138****1234');
    const wall = await t.app.inject({ url: '/api/public/wishes?pageSize=100&status=fulfilled' });
    expect(wall.body).not.toContain('13912345678');
    // The workers of its community still read the text as written.
    expect((await t.app.inject({ url: `/api/wishes/${id}`, headers: bearer(luming) })).json().timeline.find((e: any) => e.kind === 'fulfilled').note).toContain('138-0000-1234');
  });
});

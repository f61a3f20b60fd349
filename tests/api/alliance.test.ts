import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';

describe('red alliance: units, co-building projects, convenience stations', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('the public roster has the demo\'s 184 units (65 committee units); pending ones only for managers', async () => {
    const all = (await t.app.inject({ url: '/api/alliance/units?pageSize=1' })).json();
    expect(all.total).toBe(183); // one of the 184 is still pending review
    const committee = (await t.app.inject({ url: '/api/alliance/units?isCommitteeUnit=true&pageSize=100' })).json();
    expect(committee.total).toBe(65);
    expect(committee.items.every((u: any) => u.isCommitteeUnit)).toBe(true);
    // The contact person is for managers of the unit's area, masked; the public roster carries none.
    expect(committee.items.every((u: any) => u.contactName === null && u.contactPhone === null)).toBe(true);
    const forAdmin = (await t.app.inject({ url: '/api/alliance/units?isCommitteeUnit=true&pageSize=1', headers: bearer(await t.token('admin')) })).json();
    expect(forAdmin.items[0].contactPhone).toMatch(/\*{4}/);
    const managed = (await t.app.inject({ url: '/api/alliance/units?pageSize=1', headers: bearer(await t.token('admin')) })).json();
    expect(managed.total).toBe(184);
    // The one pending application belongs to another street's committee: 黄海街道's workers do not see it.
    const street = (await t.app.inject({ url: '/api/alliance/units?pageSize=1&status=pending', headers: bearer(await t.token('street.huanghai')) })).json();
    expect(street.total).toBe(0);
    const demo = (await t.app.inject({ url: `/api/alliance/units?q=${encodeURIComponent('盐南数智')}` })).json().items[0];
    expect(demo).toMatchObject({ kind: 'enterprise', status: 'verified', isCommitteeUnit: true });
    expect(demo.record.wishesFulfilled).toBeGreaterThanOrEqual(0);
  });

  it('a unit applies; a worker verifies it (a rejection needs a reason)', async () => {
    const hh = await regionByCode(t.dbh.db, 'HH');
    const bad = await t.app.inject({ method: 'POST', url: '/api/alliance/units', headers: bearer(await t.token('member.demo')), payload: { name: 'x', kind: 'bank', committeeRegionId: hh.id, contactName: '张', contactPhone: '123' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['contactPhone', 'kind', 'name']);
    const xsw = await regionByCode(t.dbh.db, 'XSW');
    expect((await t.app.inject({ method: 'POST', url: '/api/alliance/units', headers: bearer(await t.token('member.demo')), payload: { name: '橡树湾业主志愿队', kind: 'social_org', committeeRegionId: xsw.id, contactName: '张', contactPhone: '13912345678' } })).json().error.fields.committeeRegionId).toBeTruthy();
    const applied = await t.app.inject({ method: 'POST', url: '/api/alliance/units', headers: bearer(await t.token('member.demo')), payload: { name: '鹿鸣义剪志愿队', kind: 'social_org', committeeRegionId: hh.id, contactName: '张', contactPhone: '13912345678', tags: ['理发'] } });
    expect(applied.statusCode).toBe(201);
    expect(applied.json().status).toBe('pending');
    const street = await t.token('street.huanghai');
    expect((await t.app.inject({ method: 'POST', url: `/api/alliance/units/${applied.json().id}/review`, headers: bearer(street), payload: { decision: 'reject' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/api/alliance/units/${applied.json().id}/review`, headers: bearer(await t.token('community.julonghu')), payload: { decision: 'verify' } })).statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: `/api/alliance/units/${applied.json().id}/review`, headers: bearer(street), payload: { decision: 'verify' } });
    expect(ok.json().status).toBe('verified');
    // Only verified units claim: with unit.demo's unit back to pending, its claim is refused.
    await t.dbh.db.updateTable('alliance_units').set({ status: 'pending' }).where('name', '=', '盐南数智科技有限公司').execute();
    const wish = await t.dbh.db.selectFrom('wishes').select('id').where('status', '=', 'published').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const refused = await t.app.inject({ method: 'POST', url: `/api/wishes/${wish.id}/claim`, headers: bearer(await t.token('unit.demo')) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('认证');
    await t.dbh.db.updateTable('alliance_units').set({ status: 'verified' }).where('name', '=', '盐南数智科技有限公司').execute();
  });

  it('a co-building project\'s progress rolls up from weighted milestones; the public sees it', async () => {
    const worker = await t.token('community.luming');
    const units = (await t.app.inject({ url: '/api/alliance/units?pageSize=3' })).json().items;
    const created = await t.app.inject({ method: 'POST', url: '/api/projects', headers: bearer(worker), payload: {
      title: '楼道灯更换', ownerUnitId: units[0].id, partnerUnitIds: [units[1].id], budget: 5000,
      milestones: [{ title: '摸排', weight: 1 }, { title: '采购', weight: 1 }, { title: '安装', weight: 2 }],
    } });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p.progress).toBe(0);
    const done = await t.app.inject({ method: 'POST', url: `/api/projects/${p.id}/milestones/${p.milestones[2].id}/complete`, headers: bearer(worker), payload: { note: '已安装 12 盏' } });
    expect(done.json().progress).toBe(50);
    expect((await t.app.inject({ method: 'POST', url: `/api/projects/${p.id}/milestones/${p.milestones[2].id}/complete`, headers: bearer(worker), payload: {} })).statusCode).toBe(409);
    const pub = (await t.app.inject({ url: `/api/projects/${p.id}` })).json();
    expect(pub.progress).toBe(50);
    expect(pub.milestones[2].doneAt).not.toBeNull();
    const list = (await t.app.inject({ url: '/api/projects?pageSize=100' })).json();
    expect(list.items.every((x: any) => x.progress >= 0 && x.progress <= 100)).toBe(true);
    expect(list.items.find((x: any) => x.title === '快递小哥子女暑期托管').progress).toBe(100);
  });

  it('stations: ~100 with coordinates and services, filtered by service, nearest first; check-ins count once per visitor per day', async () => {
    const all = (await t.app.inject({ url: '/api/stations?pageSize=100' })).json();
    expect(all.total).toBe(100);
    for (const s of all.items) {
      expect(s.lat).toBeGreaterThan(33);
      expect(s.lng).toBeGreaterThan(120);
      expect(s.services.length).toBeGreaterThanOrEqual(2);
    }
    const charging = (await t.app.inject({ url: '/api/stations?service=charging&pageSize=100' })).json();
    expect(charging.items.every((s: any) => s.services.includes('charging'))).toBe(true);
    const near = (await t.app.inject({ url: '/api/stations?lat=33.36&lng=120.19&pageSize=10' })).json().items;
    const d = near.map((s: any) => s.distanceKm);
    expect([...d].sort((a: number, b: number) => a - b)).toEqual(d);
    // Visitor A checks in twice with the signed visitor cookie the server gave it; visitor B, elsewhere, once.
    const checkin = (remoteAddress: string, cookie?: string) => t.app.inject({ method: 'POST', url: `/api/stations/${near[0].id}/checkin`, remoteAddress, headers: cookie ? { cookie } : {} });
    const first = await checkin('10.9.0.1');
    const cookieA = String(first.headers['set-cookie']).split(';')[0];
    expect(cookieA).toMatch(/^rc_vid=/);
    expect((await checkin('10.9.0.1', cookieA)).json().checkins).toBe(first.json().checkins);
    const second = await checkin('172.16.5.5');
    expect(second.json().checkins).toBe(first.json().checkins + 1);
    const cockpit = (await t.app.inject({ url: '/api/cockpit/overview', headers: bearer(await t.token('admin')) })).json();
    expect(cockpit.stations.checkinsToday).toBeGreaterThanOrEqual(2);
    expect((await t.app.inject({ url: '/api/stations?lat=100&lng=0' })).statusCode).toBe(400);
  });

  it('statistics per unit and per community, exported to .xlsx', async () => {
    const street = await t.token('street.huanghai');
    const byUnit = (await t.app.inject({ url: '/api/alliance/stats?by=unit', headers: bearer(street) })).json().items;
    const demo = byUnit.find((u: any) => u.name === '盐南数智科技有限公司');
    const fulfilled = await t.dbh.db.selectFrom('wish_claims as k').innerJoin('alliance_units as u', 'u.organisation_id', 'k.claimer_org_id').select('k.id').where('u.name', '=', '盐南数智科技有限公司').where('k.status', '=', 'fulfilled').execute();
    expect(demo.needsMet).toBeGreaterThanOrEqual(fulfilled.length);
    expect(demo.resources).toBeGreaterThan(0);
    const byCommunity = (await t.app.inject({ url: '/api/alliance/stats?by=community', headers: bearer(street) })).json().items;
    expect(byCommunity.map((c: any) => c.name)).toContain('鹿鸣社区');
    const xlsx = await t.app.inject({ url: '/api/alliance/stats.xlsx?by=community', headers: bearer(street) });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect((await t.app.inject({ url: '/api/alliance/stats', headers: bearer(await t.token('resident.demo')) })).statusCode).toBe(403);
  });
});

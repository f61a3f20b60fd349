import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';

describe('the three lists and matching', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('every published wish is on the needs list; collective needs are added by workers', async () => {
    const worker = await t.token('community.luming');
    const needs = (await t.app.inject({ url: '/api/needs?pageSize=100&kind=wish', headers: bearer(worker) })).json();
    const published = await t.dbh.db.selectFrom('wishes').select('id').where('status', '=', 'published').where('region_path', 'like', (await regionByCode(t.dbh.db, 'HH-LM')).path + '%').execute();
    expect(needs.items.map((n: any) => n.wishId).sort()).toEqual(published.map((w) => w.id).sort());
    const lm = await regionByCode(t.dbh.db, 'HH-LM');
    const created = await t.app.inject({ method: 'POST', url: '/api/needs', headers: bearer(worker), payload: { title: '老年助餐场地', category: 'venue', communityId: lm.id, urgency: 3 } });
    expect(created.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/needs', headers: bearer(worker), payload: { title: '场地', category: 'castle', communityId: lm.id } })).statusCode).toBe(400);
  });

  it('a planted best match is the top suggestion, with its reasons named', async () => {
    const worker = await t.token('community.luming');
    const lm = await regionByCode(t.dbh.db, 'HH-LM');
    const need = (await t.app.inject({ method: 'POST', url: '/api/needs', headers: bearer(worker), payload: { title: '快递员子女暑期托管教室', category: 'venue', communityId: lm.id } })).json();
    const best = (await t.app.inject({ method: 'POST', url: '/api/resources', headers: bearer(await t.token('unit.demo')), payload: { kind: 'venue', category: 'venue', title: '公司培训教室（周末）', capacity: 10 } })).json();
    const other = (await t.app.inject({ method: 'POST', url: '/api/resources', headers: bearer(await t.token('member.demo')), payload: { kind: 'venue', category: 'venue', title: '家中客厅', capacity: 10 } })).json();
    // By construction: the need sits at the unit's door; the other offer is 50 km away and half used.
    const unit = await t.dbh.db.selectFrom('resources').select(['lat', 'lng']).where('id', '=', best.id).executeTakeFirstOrThrow();
    await t.dbh.db.updateTable('needs').set({ lat: unit.lat, lng: unit.lng }).where('id', '=', need.id).execute();
    await t.dbh.db.updateTable('resources').set({ lat: unit.lat! + 0.45, lng: unit.lng, used: 5 }).where('id', '=', other.id).execute();
    const res = await t.app.inject({ url: `/api/needs/${need.id}/suggestions`, headers: bearer(worker) });
    expect(res.statusCode).toBe(200);
    const top = res.json().items[0];
    expect(top).toMatchObject({ resourceId: best.id, unitName: '盐南数智科技有限公司' });
    expect(top.reasons.map((r: any) => r.factor)).toEqual(['category', 'distance', 'capacity', 'reliability', 'fairness']);
    expect(top.reasons[0].text).toContain('类别一致');
    expect(top.reasons[1].text).toContain('0.0 公里');
    expect(res.json().items[1].resourceId).toBe(other.id);
    expect(res.json().items[1].score).toBeLessThan(top.score);
    // Dynamic: when the best resource is used up, the suggestion changes at once.
    await t.dbh.db.updateTable('resources').set({ used: 10 }).where('id', '=', best.id).execute();
    expect((await t.app.inject({ url: `/api/needs/${need.id}/suggestions`, headers: bearer(worker) })).json().items[0].resourceId).toBe(other.id);
    // Units see needs that fit what they offer; residents cannot read suggestions.
    expect((await t.app.inject({ url: `/api/needs/${need.id}/suggestions`, headers: bearer(await t.token('resident.demo')) })).statusCode).toBe(403);
    const forUnit = (await t.app.inject({ url: '/api/me/matching-needs', headers: bearer(await t.token('unit.demo')) })).json();
    expect(forUnit.items.length).toBeGreaterThan(0);
    // A unit account knows its unit; anyone lists what they themselves offered.
    const me = (await t.app.inject({ url: '/api/auth/me', headers: bearer(await t.token('unit.demo')) })).json();
    expect(me.allianceUnit).toMatchObject({ name: '盐南数智科技有限公司', status: 'verified' });
    const mine = (await t.app.inject({ url: '/api/resources?mine=true', headers: bearer(await t.token('member.demo')) })).json();
    expect(mine.items.map((r: any) => r.id)).toEqual([other.id]);
  });

  it('season-end assignment respects capacity, is no worse than greedy, and claims nothing until accepted', async () => {
    const admin = await t.token('admin');
    const season = (await t.app.inject({ url: '/api/public/seasons' })).json().items.find((s: any) => s.current);
    const claimsBefore = (await t.dbh.db.selectFrom('wish_claims').select('id').execute()).length;
    const res = await t.app.inject({ method: 'POST', url: `/api/seasons/${season.id}/assignment`, headers: bearer(admin) });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p.wishes).toBeGreaterThan(5);
    expect(p.cost).toBeLessThanOrEqual(p.greedyCost);
    expect(p.items).toHaveLength(p.placed);
    expect((await t.dbh.db.selectFrom('wish_claims').select('id').execute()).length).toBe(claimsBefore);
    const perUnit = new Map<number, number>();
    for (const i of p.items) perUnit.set(i.unitId, (perUnit.get(i.unitId) ?? 0) + 1);
    for (const [unitId, n] of perUnit) {
      const cap = await t.dbh.db.selectFrom('resources').select((eb) => eb.fn.sum<number>(eb('capacity', '-', eb.ref('used'))).as('left')).where('unit_id', '=', unitId).where('status', '=', 'active').executeTakeFirstOrThrow();
      expect(n).toBeLessThanOrEqual(Number(cap.left));
    }
    const two = p.items.slice(0, 2).map((i: any) => i.wishId);
    const accepted = await t.app.inject({ method: 'POST', url: `/api/seasons/${season.id}/assignment/${p.id}/accept`, headers: bearer(admin), payload: { wishIds: two } });
    expect(accepted.json()).toMatchObject({ claimed: 2, skipped: 0 });
    const claimed = await t.dbh.db.selectFrom('wishes').select(['id', 'status']).where('id', 'in', two).execute();
    expect(claimed.every((w) => w.status === 'claimed')).toBe(true);
    expect((await t.dbh.db.selectFrom('wish_claims').select('id').execute()).length).toBe(claimsBefore + 2);
    const rest = p.items.slice(2).map((i: any) => i.wishId);
    expect(rest.length).toBeGreaterThan(0);
    expect((await t.dbh.db.selectFrom('wishes').select('status').where('id', 'in', rest).execute()).every((w) => w.status === 'published')).toBe(true);
  });
});

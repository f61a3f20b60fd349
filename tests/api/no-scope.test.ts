import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';

/**
 * The scope filter fails closed: a worker whose account lost its region (scope_region_id
 * null) reads nothing through the lists, exports and statistics that filter by scope —
 * and the very same requests return rows once the account has a scope again.
 */
describe('an account without a scope', () => {
  let t: TestApp;
  let token: string;
  let accountId: number;
  let districtId: number;
  let seasonId: number;
  let compoundId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.dbh.db;
    districtId = (await db.selectFrom('regions').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;
    compoundId = (await regionByCode(db, 'LMY')).id;
    seasonId = (await db.selectFrom('wishes').select('season_id').groupBy('season_id').orderBy((eb) => eb.fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow()).season_id;
    const created = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(await t.token('admin')), payload: {
      username: 'noscope.worker', password: DEMO_PASSWORD, displayName: '无范围工作人员', roles: ['street_worker'], scopeRegionId: districtId,
    } });
    expect(created.statusCode).toBe(201);
    accountId = created.json().id;
    token = await t.token('noscope.worker');
    // The demo has no consultation yet: start one so that the scoped list has a row.
    const started = await t.app.inject({ method: 'POST', url: '/api/consultations', headers: bearer(token), payload: { topic: '加装电梯协商', scopeRegionId: compoundId } });
    expect(started.statusCode).toBe(201);
  });
  afterAll(() => t.close());

  const setScope = (regionId: number | null) =>
    t.dbh.db.updateTable('accounts').set({ scope_region_id: regionId }).where('id', '=', accountId).execute();
  const get = (url: string) => t.app.inject({ url, headers: bearer(token) });
  const json = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
    return res.json();
  };
  const sheetRows = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, url).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    return wb.worksheets[0].rowCount - 1;
  };
  const purpose = `purpose=${encodeURIComponent('核对名单')}`;

  /** How many rows each request returns: all > 0 with a scope, all 0 without one. */
  async function counts() {
    return {
      people: (await json('/api/people')).total,
      peopleExport: await sheetRows(`/api/people/export.xlsx?${purpose}`),
      wishes: (await json('/api/wishes')).total,
      wishesExport: await sheetRows(`/api/wishes/export.xlsx?${purpose}`),
      needs: (await json('/api/needs?status=open')).total,
      elevators: (await json('/api/elevators')).total,
      elevatorDashboard: (await json('/api/elevators/dashboard')).total,
      consultations: (await json('/api/consultations')).total,
      allianceStatsByCommunity: (await json('/api/alliance/stats?by=community')).items.length,
      allianceStatsByUnit: (await json('/api/alliance/stats?by=unit')).items.length,
      allianceStatsExport: await sheetRows('/api/alliance/stats.xlsx?by=community'),
      seasonStats: (await json(`/api/seasons/${seasonId}/stats`)).byCommunity.length,
      cockpitResidents: (await json('/api/cockpit/overview')).totals?.residents ?? 0,
      cockpitWishTree: (await json(`/api/cockpit/wishes?seasonId=${seasonId}`)).items.length,
      serviceRequests: (await json('/api/service-requests')).total,
      serviceRequestStats: (await json('/api/service-requests/stats')).items.length,
      regionTree: (await json('/api/regions/tree')).items.length,
      grids: (await json('/api/grids')).total,
      accounts: (await json('/api/accounts')).total,
      orgTree: (await json('/api/orgs/tree')).items.length,
    };
  }

  it('reads rows with a scope, and none without one', async () => {
    const scoped = await counts();
    for (const [what, n] of Object.entries(scoped)) expect(n, `${what} with the district scope`).toBeGreaterThan(0);
    expect((await get(`/api/owners?regionId=${compoundId}`)).statusCode).toBe(200);
    const proposed = await t.app.inject({ method: 'POST', url: `/api/seasons/${seasonId}/assignment`, headers: bearer(token) });
    expect(proposed.statusCode).toBe(201);
    expect((await get(`/api/seasons/${seasonId}/assignment`)).statusCode).toBe(200);

    await setScope(null);
    const none = await counts();
    for (const [what, n] of Object.entries(none)) expect(n, `${what} without a scope`).toBe(0);
    expect((await json('/api/cockpit/overview')).scope).toBeNull();
    // Asking for one region, or for the latest proposal, is refused rather than answered.
    expect((await get(`/api/owners?regionId=${compoundId}`)).statusCode).toBe(403);
    expect((await get(`/api/people?regionId=${compoundId}`)).statusCode).toBe(403);
    expect((await get(`/api/seasons/${seasonId}/assignment`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/seasons/${seasonId}/assignment`, headers: bearer(token) })).statusCode).toBe(403);
    // The public roster still shows verified units, but no applications.
    const units = (await json('/api/alliance/units?pageSize=100')).items;
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u: any) => u.status === 'verified')).toBe(true);

    await setScope(districtId);
    expect(await counts()).toEqual(scoped);
  });

  it('reads a street\'s rows with a street scope (the filter, not the root shortcut)', async () => {
    await setScope((await regionByCode(t.dbh.db, 'HH')).id);
    const street = await counts();
    await setScope(districtId);
    const district = await counts();
    for (const [what, n] of Object.entries(street)) expect(n, `${what} with a street scope`).toBeGreaterThan(0);
    expect(street.people).toBeLessThan(district.people);
    expect(street.allianceStatsByCommunity).toBeLessThan(district.allianceStatsByCommunity);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/** Fills path parameters with a plausible id so the request reaches the guard. */
const concrete = (url: string) => url.replace(/:\w+/g, '1').replace(/\*$/, 'x');

// Every endpoint: anonymous callers are refused, and so are accounts without the permission.
describe('permissions on every endpoint', () => {
  let t: TestApp;
  let apiRoutes: TestApp['app']['routeList'];
  beforeAll(async () => {
    t = await createTestApp();
    apiRoutes = t.app.routeList.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
  });
  afterAll(() => t.close());

  it('knows the routes', () => {
    expect(apiRoutes.length).toBeGreaterThan(20);
    const pub = apiRoutes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`).sort();
    expect(pub).toEqual([
      'GET /api/alliance/units', 'GET /api/auth/methods', 'GET /api/auth/wechat/authorize', 'GET /api/auth/wechat/callback', 'GET /api/brain/exchange-log/public-key', 'GET /api/health', 'GET /api/openapi.json', 'GET /api/positions', 'GET /api/positions/:id/photos/:fileId', 'GET /api/practical-matters', 'GET /api/practical-matters/:id', 'GET /api/practical-matters/:id/photos/:fileId', 'GET /api/projects', 'GET /api/projects/:id', 'GET /api/public/figures', 'GET /api/public/files/:id', 'GET /api/public/seasons', 'GET /api/public/wishes', 'GET /api/public/wishes/:id', 'GET /api/rooms/:id/slots',
      'GET /api/stations', 'GET /api/wechat/oa', 'GET /api/wishes/events', 'POST /api/auth/login', 'POST /api/auth/sms/login', 'POST /api/auth/sms/send', 'POST /api/auth/sms/verify', 'POST /api/auth/wechat/bind', 'POST /api/brain/inbound/:connectorKey', 'POST /api/public/seasons/:id/view', 'POST /api/stations/:id/checkin', 'POST /api/wechat/oa',
    ]);
  });

  it('Open311 routes are public (they check api_key themselves) and nothing else under /open311/ exists', () => {
    const open311 = t.app.routeList.filter((r) => r.url.startsWith('/open311/') && r.method !== 'HEAD');
    expect(open311.map((r) => `${r.public ? 'public' : 'guarded'} ${r.method} ${r.url}`).sort()).toEqual([
      'public GET /open311/v2/requests.:format', 'public GET /open311/v2/requests/:id.:format', 'public GET /open311/v2/services.:format',
      'public GET /open311/v2/services/:service_code.:format', 'public GET /open311/v2/tokens/:token.:format', 'public POST /open311/v2/requests.:format',
    ]);
  });

  it('anonymous requests to every non-public endpoint get 401', async () => {
    for (const r of apiRoutes.filter((x) => !x.public)) {
      const res = await t.app.inject({ method: r.method as any, url: concrete(r.url), payload: r.method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
  });

  it('every permission-guarded endpoint refuses a signed-in account without that permission', async () => {
    const guarded = apiRoutes.filter((x) => x.permission);
    expect(guarded.length).toBeGreaterThan(15);
    const users = ['resident.demo', 'unit.demo', 'property.xiangshuwan', 'grid.xiangshuwan', 'community.luming', 'street.huanghai'];
    const perms = new Map<string, string[]>();
    for (const u of users) perms.set(u, (await t.app.inject({ url: '/api/auth/me', headers: bearer(await t.token(u)) })).json().permissions);
    for (const r of guarded) {
      const lacking = users.find((u) => !perms.get(u)!.includes(r.permission!) && !perms.get(u)!.includes('*'));
      expect(lacking, `someone lacks ${r.permission}`).toBeTruthy();
      const res = await t.app.inject({ method: r.method as any, url: concrete(r.url), headers: bearer(await t.token(lacking!)), payload: r.method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${lacking} ${r.method} ${r.url}`).toBe(403);
    }
  });

  it('each role gets exactly its permissions', async () => {
    const cases: [string, string, string, number][] = [
      ['property.xiangshuwan', 'GET', '/api/people', 403],
      ['property.xiangshuwan', 'GET', '/api/regions/tree', 200],
      ['grid.xiangshuwan', 'GET', '/api/people', 200],
      ['grid.xiangshuwan', 'GET', '/api/accounts', 403],
      ['community.luming', 'GET', '/api/audit', 403],
      ['community.luming', 'GET', '/api/accounts', 403],
      ['street.huanghai', 'GET', '/api/accounts', 200],
      ['street.huanghai', 'POST', '/api/accounts', 403],
      ['unit.demo', 'GET', '/api/orgs/tree', 200],
      ['unit.demo', 'GET', '/api/people', 403],
      ['admin', 'GET', '/api/audit', 200],
      ['admin', 'GET', '/api/cockpit/overview', 200],
      ['resident.demo', 'GET', '/api/me/household', 200],
    ];
    for (const [user, method, url, status] of cases) {
      const res = await t.app.inject({ method: method as any, url, headers: bearer(await t.token(user)), payload: method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${user} ${method} ${url}`).toBe(status);
    }
  });

  it('nobody grants what they do not hold: a street worker cannot make a district admin', async () => {
    // street workers lack account:write entirely; give one the permission via a custom check on the admin path instead
    const admin = await t.token('admin');
    const hh = await t.dbh.db.selectFrom('regions').select('id').where('code', '=', 'HH').executeTakeFirstOrThrow();
    const created = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(admin), payload: {
      username: 'hh.manager', password: 'Manager2026', displayName: '黄海账号管理员', roles: ['street_worker'], scopeRegionId: hh.id,
    } });
    expect(created.statusCode).toBe(201);
    // Grant account:write to street_worker in this database only, to test the escalation rule itself.
    // …and everything property staff hold, so that granting that role below is within what the street worker holds.
    const propertyPerms = (await t.dbh.db.selectFrom('roles').select('permissions').where('code', '=', 'property_staff').executeTakeFirstOrThrow()).permissions;
    await t.dbh.db.updateTable('roles').set({ permissions: [...new Set(['account:read', 'account:write', 'region:read', 'consult:read', ...propertyPerms])] }).where('code', '=', 'street_worker').execute();
    const token = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'hh.manager', password: 'Manager2026' } })).json().token;
    const escalate = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(token), payload: {
      username: 'hh.super', password: 'Manager2026', displayName: 'x', roles: ['district_admin'], scopeRegionId: hh.id,
    } });
    expect(escalate.statusCode).toBe(403);
    const district = await t.dbh.db.selectFrom('regions').select('id').where('code', '=', 'YN').executeTakeFirstOrThrow();
    const widen = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(token), payload: {
      username: 'hh.wide', password: 'Manager2026', displayName: 'x', roles: ['property_staff'], scopeRegionId: district.id,
    } });
    expect(widen.statusCode).toBe(403);
    const fine = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(token), payload: {
      username: 'hh.property', password: 'Manager2026', displayName: 'x', roles: ['property_staff'], scopeRegionId: hh.id,
    } });
    expect(fine.statusCode).toBe(201);
  });
});

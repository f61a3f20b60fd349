import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';

describe('regions, grids, organisations, cockpit', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => { t = await createTestApp(); admin = await t.token('admin'); });
  afterAll(() => t.close());

  it('the tree runs district → street → community → compound with the demo names', async () => {
    const tree = (await t.app.inject({ url: '/api/regions/tree', headers: bearer(admin) })).json().items;
    expect(tree).toHaveLength(1);
    expect(tree[0].level).toBe('district');
    expect(tree[0].children.map((s: any) => s.name)).toEqual(['黄海街道', '科城街道', '新都街道']);
    const hh = tree[0].children[0];
    expect(hh.children.map((c: any) => c.name)).toEqual(expect.arrayContaining(['鹿鸣社区', '聚龙湖社区']));
    const xsw = hh.children.find((c: any) => c.name === '鹿鸣社区').children.find((c: any) => c.name === '橡树湾');
    expect(xsw.childCount).toBe(44);
  });

  it('橡树湾 has 2,571 households; rooms carry floor and area with 2 decimals', async () => {
    const xsw = await regionByCode(t.dbh.db, 'XSW');
    const d = (await t.app.inject({ url: `/api/regions/${xsw.id}`, headers: bearer(admin) })).json();
    expect(d.counts.households).toBe(2571);
    expect(d.ancestors.map((a: any) => a.name)).toEqual(['盐南高新区', '黄海街道', '鹿鸣社区']);
    const unit = await regionByCode(t.dbh.db, 'XSW-05-2');
    const rooms = (await t.app.inject({ url: `/api/regions/${unit.id}/children?pageSize=100`, headers: bearer(admin) })).json();
    expect(rooms.total).toBe(12);
    for (const r of rooms.items) {
      expect(r.level).toBe('room');
      expect(r.floor).toBeGreaterThanOrEqual(1);
      expect(Math.round(r.area * 100) / 100).toBe(r.area);
    }
  });

  it('adds a child region at the next level and validates it', async () => {
    const unit = await regionByCode(t.dbh.db, 'XSW-05-2');
    const ok = await t.app.inject({ method: 'POST', url: '/api/regions', headers: bearer(admin), payload: { parentId: unit.id, name: '701室', code: 'XSW-05-2-0701', floor: 7, area: 101.25 } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ level: 'room', floor: 7, area: 101.25 });
    const threeDecimals = await t.app.inject({ method: 'POST', url: '/api/regions', headers: bearer(admin), payload: { parentId: unit.id, name: '702室', code: 'XSW-05-2-0702', area: 101.255 } });
    expect(threeDecimals.statusCode).toBe(400);
    expect(threeDecimals.json().error.fields.area).toBeTruthy();
    const street = await regionByCode(t.dbh.db, 'HH');
    const areaOnCommunity = await t.app.inject({ method: 'POST', url: '/api/regions', headers: bearer(admin), payload: { parentId: street.id, name: '新社区', code: 'HH-NEW', area: 10 } });
    expect(areaOnCommunity.statusCode).toBe(400);
    const created = await t.app.inject({ method: 'POST', url: '/api/regions', headers: bearer(admin), payload: { parentId: street.id, name: '新社区', code: 'HH-NEW' } });
    expect(created.json().level).toBe('community');
  });

  it('grids and the organisation tree', async () => {
    const grids = (await t.app.inject({ url: '/api/grids', headers: bearer(await t.token('community.luming')) })).json();
    expect(grids.items.map((g: any) => g.name)).toEqual(expect.arrayContaining(['橡树湾第一网格', '橡树湾第二网格']));
    const g1 = grids.items.find((g: any) => g.name === '橡树湾第一网格');
    expect(g1.workers.map((w: any) => w.name)).toEqual(['橡树湾网格员']);
    expect(g1.regionCount).toBe(22);
    const orgs = (await t.app.inject({ url: '/api/orgs/tree', headers: bearer(admin) })).json().items;
    const root = orgs.find((o: any) => o.name === '盐南高新区党工委');
    expect(root.kind).toBe('party_working_committee');
    const all = JSON.stringify(orgs);
    for (const name of ['黄海街道党工委', '鹿鸣社区党委', '橡树湾小区党支部', '盐南数智科技有限公司党支部', '鹿鸣邻里志愿服务社']) expect(all).toContain(name);
  });

  it('the cockpit counts the region tree live', async () => {
    const o = (await t.app.inject({ url: '/api/cockpit/overview', headers: bearer(admin) })).json();
    expect(o.totals).toMatchObject({ streets: 3 });
    expect(o.totals.communities).toBeGreaterThanOrEqual(10);
    expect(o.breakdown.map((b: any) => b.name)).toEqual(['黄海街道', '科城街道', '新都街道']);
    expect(o.breakdown.reduce((s: number, b: any) => s + b.residents, 0)).toBe(o.totals.residents);
    const persons = await t.dbh.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(o.totals.residents).toBe(Number(persons.n));
  });

  it('health and OpenAPI', async () => {
    expect((await t.app.inject({ url: '/api/health' })).json()).toMatchObject({ status: 'ok', db: t.kind, database: 'reachable', migrations: { pending: [] } });
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3/);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/people', '/api/regions/tree', '/api/auth/login']));
    const docs = await t.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });
});

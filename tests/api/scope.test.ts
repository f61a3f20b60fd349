import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { personUnder, regionByCode } from '../helpers/fixtures.js';

// A community worker of 鹿鸣社区 must not reach a resident of 聚龙湖社区 by any endpoint.
describe('data scope', () => {
  let t: TestApp;
  let luming: string;
  let other: { id: number; name: string; phone: string | null; household_id: number | null };
  let jlh: { id: number };
  let jlhCompound: { id: number };
  beforeAll(async () => {
    t = await createTestApp();
    luming = await t.token('community.luming');
    other = await personUnder(t.dbh.db, 'HH-JLH');
    jlh = await regionByCode(t.dbh.db, 'HH-JLH');
    jlhCompound = await regionByCode(t.dbh.db, 'JLH-C1');
  });
  afterAll(() => t.close());

  const get = (url: string, token: string) => t.app.inject({ url, headers: bearer(token) });

  it('cannot fetch the resident, reveal them, or edit them', async () => {
    expect((await get(`/api/people/${other.id}`, luming)).statusCode).toBe(403);
    expect((await get(`/api/people/${other.id}?reveal=1&purpose=走访`, luming)).statusCode).toBe(403);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/people/${other.id}`, headers: bearer(luming), payload: { name: '改名' } });
    expect(patch.statusCode).toBe(403);
    const after = await t.dbh.db.selectFrom('persons').select('name').where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(after.name).toBe(other.name);
  });

  it('cannot list, search or export 聚龙湖 residents', async () => {
    expect((await get(`/api/people?regionId=${jlh.id}`, luming)).statusCode).toBe(403);
    expect((await get(`/api/people?regionId=${jlhCompound.id}`, luming)).statusCode).toBe(403);
    expect((await get(`/api/people/export.xlsx?regionId=${jlh.id}&purpose=核对名单`, luming)).statusCode).toBe(403);
    const byName = (await get(`/api/people?q=${encodeURIComponent(other.name)}&pageSize=100`, luming)).json();
    expect(byName.items.map((p: any) => p.id)).not.toContain(other.id);
    const byPhone = (await get(`/api/people?q=${other.phone!.slice(-4)}&pageSize=100`, luming)).json();
    expect(byPhone.items.map((p: any) => p.id)).not.toContain(other.id);
    const byHousehold = (await get(`/api/people?householdId=${other.household_id}`, luming)).json();
    expect(byHousehold.total).toBe(0);
    const all = (await get('/api/people?pageSize=100', luming)).json();
    expect(all.items.every((p: any) => p.address.startsWith('鹿鸣社区'))).toBe(true);
  });

  it('cannot read 聚龙湖 regions, nor move a person into them', async () => {
    expect((await get(`/api/regions/${jlh.id}`, luming)).statusCode).toBe(403);
    expect((await get(`/api/regions/${jlh.id}/children`, luming)).statusCode).toBe(403);
    const tree = (await get('/api/regions/tree', luming)).json();
    expect(JSON.stringify(tree)).not.toContain('聚龙湖');
    const mine = await personUnder(t.dbh.db, 'HH-LM');
    const move = await t.app.inject({ method: 'PATCH', url: `/api/people/${mine.id}`, headers: bearer(luming), payload: { regionId: jlhCompound.id } });
    expect(move.statusCode).toBe(403);
    const create = await t.app.inject({ method: 'POST', url: '/api/people', headers: bearer(luming), payload: { name: '新居民', sex: 'F', regionId: jlhCompound.id } });
    expect(create.statusCode).toBe(403);
  });

  it('the 聚龙湖 worker and the street worker above both can', async () => {
    expect((await get(`/api/people/${other.id}`, await t.token('community.julonghu'))).statusCode).toBe(200);
    expect((await get(`/api/people/${other.id}`, await t.token('street.huanghai'))).statusCode).toBe(200);
    expect((await get(`/api/people/${other.id}`, await t.token('admin'))).statusCode).toBe(200);
  });

  it('a grid worker of 橡树湾 sees only 橡树湾', async () => {
    const grid = await t.token('grid.xiangshuwan');
    const lmy = await personUnder(t.dbh.db, 'LMY');
    expect((await get(`/api/people/${lmy.id}`, grid)).statusCode).toBe(403);
    const list = (await get('/api/people?pageSize=100', grid)).json();
    expect(list.total).toBeGreaterThan(6000);
    expect(list.items.every((p: any) => p.address.includes('橡树湾'))).toBe(true);
  });

  it('accounts and org trees follow the scope too', async () => {
    const accounts = (await get('/api/accounts?pageSize=100', await t.token('street.huanghai'))).json();
    expect(accounts.items.map((a: any) => a.username)).toContain('community.julonghu');
    expect(accounts.items.map((a: any) => a.username)).not.toContain('admin');
    const orgs = JSON.stringify((await get('/api/orgs/tree', await t.token('member.demo'))).json());
    expect(orgs).toContain('鹿鸣社区党委');
    expect(orgs).not.toContain('聚龙湖社区党委');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';

/** The H5 map's service areas: only compounds in the caller's scope, and a point at one's centre is reported in that compound. */
describe('service areas for a point on the map', () => {
  let t: TestApp;
  const as = requester(() => t);
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t?.close());

  it('lists the compounds in scope, and a point at a centre lands in that compound', async () => {
    const mine = (await as('resident.demo', 'GET', '/api/service-areas')).json().items;
    expect(mine).toEqual([{ compoundId: expect.any(Number), name: '橡树湾', lat: expect.any(Number), lng: expect.any(Number) }]);
    const created = await as('resident.demo', 'POST', '/api/service-requests', { serviceCode: 'repair.public', description: '东门路灯不亮', lat: mine[0].lat, lng: mine[0].lng });
    expect(created.statusCode, created.body).toBe(201);
    const page = (await as('resident.demo', 'GET', `/api/service-requests/${created.json().id}`)).json();
    expect(page.location).toMatchObject({ compoundId: mine[0].compoundId, compoundName: '橡树湾', roomId: null });

    const jlh = (await as('community.julonghu', 'GET', '/api/service-areas')).json().items;
    const paths = await t.dbh.db.selectFrom('regions').select(['id', 'path']).where('id', 'in', jlh.map((x: any) => x.compoundId)).execute();
    const community = await t.dbh.db.selectFrom('regions').select('path').where('code', '=', 'HH-JLH').executeTakeFirstOrThrow();
    expect(jlh.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.path.startsWith(community.path))).toBe(true);
    expect(jlh.map((x: any) => x.name)).not.toContain('橡树湾');
    expect((await as(null, 'GET', '/api/service-areas')).statusCode).toBe(401);
  });
});

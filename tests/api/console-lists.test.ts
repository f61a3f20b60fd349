import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';

/** Lists the console's search forms and columns rely on: owners with their unit, consultations by topic and stage, resources paged. */
describe('console lists', () => {
  let t: TestApp;
  const as = requester(() => t);
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('the owner register names each room’s building and unit, so two 101室 of one building differ', async () => {
    const building = await t.dbh.db.selectFrom('regions').select('id').where('code', '=', 'XSW-01').executeTakeFirstOrThrow();
    const res = await as('community.luming', 'GET', `/api/owners?regionId=${building.id}&pageSize=100`);
    expect(res.statusCode, res.body).toBe(200);
    const rows: { roomName: string; unitName: string | null; buildingName: string | null }[] = res.json().items;
    const r101 = rows.filter((r) => r.roomName === '101室');
    expect(r101.length).toBeGreaterThan(1);
    expect(new Set(r101.map((r) => r.unitName)).size).toBe(r101.length);
    expect(rows.every((r) => r.buildingName === '1幢')).toBe(true);
  });

  it('consultations filter by topic text and stage', async () => {
    const unit = await t.dbh.db.selectFrom('regions').select('id').where('code', '=', 'XSW-01-1').executeTakeFirstOrThrow();
    const topic = `检索用议题${Date.now().toString(36)}`;
    expect((await as('community.luming', 'POST', '/api/consultations', { topic, scopeRegionId: unit.id })).statusCode).toBe(201);
    const hit = (await as('community.luming', 'GET', `/api/consultations?q=${encodeURIComponent(topic)}&stage=propose`)).json();
    expect(hit.items.map((c: { topic: string }) => c.topic)).toEqual([topic]);
    expect((await as('community.luming', 'GET', `/api/consultations?q=${encodeURIComponent(topic)}&stage=closed`)).json().total).toBe(0);
    expect((await as('community.luming', 'GET', '/api/consultations?stage=nope')).statusCode).toBe(400);
  });

  it('resources page past 100 instead of stopping there', async () => {
    const first = (await as('admin', 'GET', '/api/resources?page=1&pageSize=5')).json();
    expect(first.items.length).toBeLessThanOrEqual(5);
    if (first.total > 5) {
      const second = (await as('admin', 'GET', '/api/resources?page=2&pageSize=5')).json();
      expect(second.items[0].id).not.toBe(first.items[0].id);
    }
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';

/** "Call my grid worker" on the elder home: the grid worker of the caller's own home, phone whole, each read logged. */
describe('GET /api/me/grid-worker', () => {
  let t: TestApp;
  const as = requester(() => t);
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('a resident gets the grid worker of their home with a phone to call, and the read is logged', async () => {
    const res = await as('resident.demo', 'GET', '/api/me/grid-worker');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.grid?.name).toMatch(/网格/);
    expect(body.contacts.length).toBeGreaterThan(0);
    expect(body.contacts[0]).toMatchObject({ kind: 'grid', title: '网格员', phone: expect.stringMatching(/^1\d{10}$/) });
    // It is the grid post of the resident's own grid, as the compound page lists it (masked there).
    const expected = (await sql<{ phone: string }>`select pe.phone from accounts a join persons me on me.id = a.person_id
      join grid_regions gr on me.region_path like '%/' || gr.region_id || '/%'
      join compound_parties p on p.grid_id = gr.grid_id and p.kind = 'grid'
      join compound_posts s on s.party_id = p.id and s.ended_on is null join persons pe on pe.id = s.person_id
      where a.username = 'resident.demo'`.execute(t.dbh.db)).rows.map((r) => r.phone);
    expect(expected).toContain(body.contacts[0].phone);
    const log = await t.dbh.db.selectFrom('pi_access_log as l').innerJoin('accounts as a', 'a.id', 'l.actor_id')
      .select(['l.kind', 'l.purpose']).where('a.username', '=', 'resident.demo').where('l.purpose', '=', '居民联系本网格网格员').execute();
    expect(log).toEqual([{ kind: 'unmask', purpose: '居民联系本网格网格员' }]);
  });

  it('an account without a home (an alliance unit, a worker) gets nothing', async () => {
    for (const u of ['unit.demo', 'community.luming']) {
      const res = await as(u, 'GET', '/api/me/grid-worker');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ grid: null, contacts: [] });
    }
    expect((await as(null, 'GET', '/api/me/grid-worker')).statusCode).toBe(401);
  });
});

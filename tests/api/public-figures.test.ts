import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushViews } from '../../server/src/modules/wishes/views.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The public figures page (公开数据): anonymous visitors get the district's numbers, each equal to
 * a plain SQL count on the seeded demo, and nothing in the body that could name or reach a person.
 */
describe('public figures', () => {
  let t: TestApp;
  let body: any;
  const count = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(t.dbh.db)).rows[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    // A season page view and a wish page view first, so the view counts are not all zero.
    const season = (await t.app.inject({ url: '/api/public/seasons' })).json().items[0].id;
    expect((await t.app.inject({ method: 'POST', url: `/api/public/seasons/${season}/view` })).statusCode).toBe(200);
    const wish = (await t.app.inject({ url: '/api/public/wishes?pageSize=1' })).json().items[0].id;
    expect((await t.app.inject({ url: `/api/public/wishes/${wish}` })).statusCode).toBe(200);
    await flushViews(t.dbh.db); // views are written in batches every few seconds
    const res = await t.app.inject({ url: '/api/public/figures' });
    expect(res.statusCode, res.body).toBe(200);
    body = res.json();
  });
  afterAll(() => t?.close());

  it('answers anonymous visitors with wishes per season equal to direct counts', async () => {
    const seasons = (await sql<{ id: number; name: string; collected: string; fulfilled: string; wish_views: string; page_views: string }>`
      select s.id, s.name,
        (select count(*) from wishes w where w.season_id = s.id) as collected,
        (select count(*) from wishes w where w.season_id = s.id and w.status in ('fulfilled', 'confirmed')) as fulfilled,
        (select coalesce(sum(view_count), 0) from wishes w where w.season_id = s.id) as wish_views,
        (select count(*) from season_views v where v.season_id = s.id) as page_views
      from seasons s order by s.starts_on, s.id`.execute(t.dbh.db)).rows;
    expect(seasons.length).toBeGreaterThan(1);
    expect(body.wishes.seasons.map((s: any) => [s.id, s.name, s.collected, s.fulfilled, s.wishViews, s.pageViews]))
      .toEqual(seasons.map((s) => [s.id, s.name, Number(s.collected), Number(s.fulfilled), Number(s.wish_views), Number(s.page_views)]));
    expect(body.wishes.collected).toBe(await count(sql`select count(*) as n from wishes`));
    expect(body.wishes.fulfilled).toBe(await count(sql`select count(*) as n from wishes where status in ('fulfilled', 'confirmed')`));
    expect(body.wishes.views).toBe(await count(sql`select (select coalesce(sum(view_count), 0) from wishes) + (select count(*) from season_views) as n`));
    expect(body.wishes.fulfilled).toBeGreaterThan(0);
    expect(body.wishes.seasons.some((s: any) => s.pageViews > 0) && body.wishes.seasons.some((s: any) => s.wishViews > 0)).toBe(true);
  });

  it('counts alliance units, co-building projects, elevators and practical matters as SQL does', async () => {
    expect(body.alliance).toEqual({
      units: await count(sql`select count(*) as n from alliance_units where status = 'verified'`),
      committeeUnits: await count(sql`select count(*) as n from alliance_units where status = 'verified' and is_committee_unit`),
      projects: await count(sql`select count(*) as n from coop_projects where status <> 'cancelled'`),
      projectsActive: await count(sql`select count(*) as n from coop_projects where status = 'active'`),
      projectsDone: await count(sql`select count(*) as n from coop_projects where status = 'done'`),
    });
    // The stage groups of the console's elevator dashboard, spelled out here.
    expect(body.elevators).toEqual({
      completed: await count(sql`select count(*) as n from elevator_projects where stage = 'in_service'`),
      approvedOrUnderConstruction: await count(sql`select count(*) as n from elevator_projects where stage in
        ('owners_agreement', 'design_notice', 'objection_handling', 'planning_review', 'drawing_review', 'construction_permit',
         'installation_notice', 'construction', 'acceptance', 'use_registration')`),
      preparing: await count(sql`select count(*) as n from elevator_projects where stage in ('willingness_survey', 'vote')`),
    });
    const matters = async (status: string) => count(sql`select count(*) as n from practical_matters where status = ${status}`);
    expect(body.practicalMatters).toEqual({
      total: await count(sql`select count(*) as n from practical_matters`),
      planned: await matters('planned'), inProgress: await matters('in_progress'), accepted: await matters('accepted'), closed: await matters('closed'),
    });
    // The demo district's published figures (DESIGN.md §1), so that a count of nothing cannot pass.
    expect([body.alliance.committeeUnits, body.elevators.completed, body.elevators.approvedOrUnderConstruction]).toEqual([65, 33, 74]);
    expect(body.practicalMatters.total).toBeGreaterThan(300);
  });

  it('carries no personal data: no phone, ID number, person or claimer name', async () => {
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(text).not.toMatch(/\d{17}[\dXx]/);
    const names = (await sql<{ name: string }>`
      select p.name from persons p join wishes w on w.beneficiary_person_id = p.id
      union select claimer_name from wish_claims union select contact_name from alliance_units where contact_name is not null`.execute(t.dbh.db)).rows.map((r) => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => text.includes(n))).toEqual([]);
    // Only counts, season labels and the time: every string in the body is one of those.
    const strings: string[] = [];
    const walk = (v: unknown): void => { if (typeof v === 'string') strings.push(v); else if (v && typeof v === 'object') Object.values(v).forEach(walk); };
    walk(body);
    const seasonNames = (await sql<{ name: string }>`select name from seasons`.execute(t.dbh.db)).rows.map((r) => r.name);
    expect(strings.filter((s) => !seasonNames.includes(s) && !/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(s))).toEqual([]);
  });

  it('is the same answer for everyone, served from the short cache', async () => {
    const again = (await t.app.inject({ url: '/api/public/figures' })).json();
    const signedIn = await t.app.inject({ url: '/api/public/figures', headers: bearer(await t.token('community.luming')) });
    expect(signedIn.statusCode).toBe(200);
    expect(again).toEqual(body);
    expect(signedIn.json()).toEqual(body);
  });
});

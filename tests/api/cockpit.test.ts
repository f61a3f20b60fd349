import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WishLiveEvent } from '../../server/src/modules/wishes/timeline.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { publishedWish } from '../helpers/wishes.js';

/**
 * The cockpit drill-down (GET /api/cockpit/:level/:regionId/<panel>): every panel's numbers equal
 * direct SQL counts of the region shown, at district, street and community level; the breakdown
 * covers the child regions; a caller opens only regions in their scope; the live feed of a
 * community's screen holds that community's wishes only.
 */
describe('cockpit drill-down', () => {
  let t: TestApp;
  let admin: string;
  const region = (name: string) => t.dbh.db.selectFrom('regions').select(['id', 'path', 'level']).where('name', '=', name).executeTakeFirstOrThrow();
  const get = async (url: string, token: string) => t.app.inject({ url, headers: bearer(token) });
  /** A direct count: `:path` in the SQL stands for the region's path prefix (`like '/1/4/%'`). */
  const count = async (q: string, path: string) => Number((await sql.raw<{ n: number }>(q.replaceAll(':path', `'${path}%'`)).execute(t.dbh.db)).rows[0].n);

  beforeAll(async () => { t = await createTestApp(); admin = await t.token('admin'); });
  afterAll(() => t.close());

  for (const [level, name] of [['district', '盐南高新区'], ['street', '黄海街道'], ['community', '鹿鸣社区']] as const) {
    it(`${level} (${name}): every panel equals direct SQL counts of the region`, async () => {
      const r = await region(name);
      const url = (panel: string) => `/api/cockpit/${level}/${r.id}/${panel}`;
      const o = (await get(url('overview'), admin)).json();
      expect(o.region).toEqual({ id: r.id, name, level });
      expect(o.persons).toBe(await count(`select count(*)::int n from persons where region_path like :path`, r.path));
      expect(o.households).toBe(await count(`select count(*)::int n from households where region_path like :path`, r.path));
      expect(o.elders80).toBe(await count(`select count(*)::int n from persons where region_path like :path and age(current_date, birth_date) >= interval '80 years'`, r.path));
      expect(o.eldersAlone).toBe(await count(`select count(*)::int n from persons p where region_path like :path and age(current_date, birth_date) >= interval '60 years'
        and (select count(*) from persons q where q.household_id = p.household_id) = 1`, r.path));
      expect(o.persons).toBeGreaterThan(0);
      expect(o.elders80).toBeGreaterThan(0);
      expect(o.pyramid).toHaveLength(21);
      expect(o.pyramid.reduce((s: number, b: any) => s + b.male + b.female, 0) + o.unknownAge).toBe(o.persons);
      expect(o.trend).toHaveLength(12);
      expect(o.trend.at(-1).persons).toBe(o.persons);
      const children = await t.dbh.db.selectFrom('regions').select('id').where('parent_id', '=', r.id).execute();
      expect(o.breakdown.map((b: any) => b.id).sort()).toEqual(children.map((c) => c.id).sort());
      for (const b of o.breakdown.slice(0, 3)) {
        const c = await t.dbh.db.selectFrom('regions').select('path').where('id', '=', b.id).executeTakeFirstOrThrow();
        expect(b.persons).toBe(await count(`select count(*)::int n from persons where region_path like :path`, c.path));
      }

      const w = (await get(url('wishes'), admin)).json();
      expect(w.collected).toBe(await count(`select count(*)::int n from wishes where region_path like :path and status not in ('rejected','withdrawn')`, r.path));
      expect(w.fulfilled).toBe(await count(`select count(*)::int n from wishes where region_path like :path and status in ('fulfilled','confirmed')`, r.path));
      expect(w.confirmed).toBe(await count(`select count(*)::int n from wishes where region_path like :path and status = 'confirmed'`, r.path));
      expect(w.collected).toBeGreaterThan(0);
      expect(w.seasons.length).toBe(Math.min(12, await count(`select count(*)::int n from seasons where :path is not null`, r.path)));
      expect(w.breakdown.reduce((s: number, b: any) => s + b.collected, 0)).toBeLessThanOrEqual(w.collected);

      const a = (await get(url('alliance'), admin)).json();
      expect(a.units).toBe(await count(`select count(*)::int n from alliance_units u join regions cr on cr.id = u.committee_region_id where u.status = 'verified' and cr.path like :path`, r.path));
      expect(a.projects).toBe(await count(`select count(*)::int n from coop_projects p join alliance_units u on u.id = p.owner_unit_id join regions cr on cr.id = u.committee_region_id
        where u.status = 'verified' and cr.path like :path`, r.path));
      if (level !== 'community') expect(a.units).toBeGreaterThan(0);
      expect(Object.values(a.projectsByProgress).reduce((s: number, n) => s + Number(n), 0)).toBe(a.projects);
      expect(a.trend).toHaveLength(12);

      const p = (await get(url('property'), admin)).json();
      expect(p.elevators).toBe(await count(`select count(*)::int n from elevator_projects where unit_path like :path`, r.path));
      expect(p.practicalMatters).toBe(await count(`select count(*)::int n from practical_matters where region_path like :path`, r.path));
      expect(p.serviceRequests).toBe(await count(`select count(*)::int n from service_requests where region_path like :path`, r.path));
      const done = await count(`select count(first_done_at)::int n from service_requests where region_path like :path`, r.path);
      const met = await count(`select count(*)::int n from service_requests where region_path like :path and first_done_at <= created_at + make_interval(hours => sla_hours)`, r.path);
      expect(p.slaMetPercent).toBe(done ? Math.round((met / done) * 1000) / 10 : null);
      expect(p.bookings).toBe(await count(`select count(*)::int n from room_bookings b join function_rooms f on f.id = b.room_id join service_positions s on s.id = f.position_id
        where b.status in ('confirmed','checked_in','no_show') and s.region_path like :path`, r.path));

      const party = (await get(url('party'), admin)).json();
      expect(party.organisations).toBe(await count(`select count(*)::int n from organisations o join regions g on g.id = o.region_id
        where o.kind in ('party_working_committee','party_committee','general_branch','branch') and g.path like :path`, r.path));
      // Members of organisations in the region, and those who report (双报到) to one of its communities, each once.
      expect(party.members).toBe(await count(`select count(*)::int n from party_members m join organisations o on o.id = m.organisation_id join regions g on g.id = o.region_id
        left join regions c on c.id = m.report_community_id where g.path like :path or c.path like :path`, r.path));
      expect(party.members).toBeGreaterThan(0);

      const brain = (await get(url('brain'), admin)).json();
      expect(brain.verificationTasks.assigned).toBe(await count(`select count(*)::int n from brain_verification_tasks where region_path like :path`, r.path));
      expect(brain.hub === null).toBe(level !== 'district');
    });
  }

  it('scope: a street account opens its street and its communities only; a community account only its community', async () => {
    const [hh, kc, lm, jlh, district] = await Promise.all([region('黄海街道'), region('科城街道'), region('鹿鸣社区'), region('聚龙湖社区'), region('盐南高新区')]);
    const street = await t.token('street.huanghai'), community = await t.token('community.luming');
    expect((await get(`/api/cockpit/street/${hh.id}/overview`, street)).statusCode).toBe(200);
    expect((await get(`/api/cockpit/community/${lm.id}/wishes`, street)).statusCode).toBe(200);
    const other = await get(`/api/cockpit/street/${kc.id}/overview`, street);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toMatch(/范围/);
    expect((await get(`/api/cockpit/district/${district.id}/property`, street)).statusCode).toBe(403);
    expect((await get(`/api/cockpit/community/${lm.id}/party`, community)).statusCode).toBe(200);
    expect((await get(`/api/cockpit/community/${jlh.id}/party`, community)).statusCode).toBe(403);
    expect((await get(`/api/cockpit/street/${hh.id}/brain`, community)).statusCode).toBe(403);
    expect((await get(`/api/cockpit/district/${district.id}/overview`, community)).statusCode).toBe(403);
    // A cached district value is never handed to a caller outside it: the admin fills the cache first.
    expect((await get(`/api/cockpit/district/${district.id}/wishes`, admin)).statusCode).toBe(200);
    expect((await get(`/api/cockpit/district/${district.id}/wishes`, community)).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/cockpit/community/${lm.id}/overview` })).statusCode).toBe(401);
  });

  it("the live feed of a community's screen lists that community's lit wishes only", async () => {
    const lm = await region('鹿鸣社区');
    const others = await count(`select count(*)::int n from wishes where status in ('fulfilled','confirmed') and region_path not like :path`, lm.path);
    expect(others).toBeGreaterThan(0); // the demo has lit wishes elsewhere that a leak would show
    const mine = await count(`select count(*)::int n from wishes where status in ('fulfilled','confirmed') and region_path like :path`, lm.path);
    const w = (await get(`/api/cockpit/community/${lm.id}/wishes`, await t.token('community.luming'))).json();
    expect(w.feed.length).toBe(Math.min(20, mine));
    expect(w.feed.length).toBeGreaterThan(0);
    for (const f of w.feed) {
      expect(f.communityId).toBe(lm.id);
      expect(['fulfilled', 'confirmed']).toContain(f.status);
      expect(f.beneficiary).toMatch(/某$/);
    }
    const feedAt = w.feed.map((f: any) => f.fulfilledAt);
    expect([...feedAt].sort().reverse()).toEqual(feedAt);
  });

  it("the screen's live events narrowed to its region: a 聚龙湖 screen does not hear a 鹿鸣 wish, a 鹿鸣 screen does", async () => {
    const [lm, jlh] = await Promise.all([region('鹿鸣社区'), region('聚龙湖社区')]);
    const id = await publishedWish(t); // a wish of 鹿鸣社区
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const listen = async (regionId: number) => {
      const res = await fetch(`${base}/api/wishes/events?regionId=${regionId}`, { signal: ctrl.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const seen: WishLiveEvent[] = [];
      (async () => {
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return;
          buf += new TextDecoder().decode(value);
          for (let m; (m = /event: wish\ndata: (.+)\n\n/.exec(buf)); buf = buf.slice(m.index + m[0].length)) seen.push(JSON.parse(m[1]));
        }
      })();
      return seen;
    };
    const [own, other] = await Promise.all([listen(lm.id), listen(jlh.id)]);
    await new Promise((r) => setTimeout(r, 100));
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(await t.token('unit.demo')) })).statusCode).toBe(200);
    for (let i = 0; i < 30 && !own.length; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300)); // time for a leaked event to arrive too
    expect(own.map((e) => [e.wishId, e.type])).toEqual([[id, 'claimed']]);
    expect(other).toEqual([]);
    ctrl.abort();
    const bad = await t.app.inject({ url: '/api/wishes/events?regionId=2147483000' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['regionId']);
  });

  it('bad level or region id: 4xx naming the field, in Chinese', async () => {
    const [hh, lm] = await Promise.all([region('黄海街道'), region('鹿鸣社区')]);
    const badLevel = await get(`/api/cockpit/compound/${lm.id}/overview`, admin);
    expect(badLevel.statusCode).toBe(400);
    expect(Object.keys(badLevel.json().error.fields)).toEqual(['level']);
    for (const id of ['abc', '0', '-1', '99999999999']) {
      const bad = await get(`/api/cockpit/street/${id}/overview`, admin);
      expect(bad.statusCode, id).toBe(400);
      expect(Object.keys(bad.json().error.fields)).toEqual(['regionId']);
    }
    const wrong = await get(`/api/cockpit/community/${hh.id}/wishes`, admin);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.fields).toEqual({ regionId: '区域不存在或不是社区' });
    const missing = await get('/api/cockpit/street/2147483000/alliance', admin);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.fields.regionId).toBe('区域不存在或不是街道');
  });
});

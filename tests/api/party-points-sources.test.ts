import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditStationService, creditVerificationTask } from '../../server/src/modules/party/service-credits.js';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';

/**
 * Points from the other sources (积分来源): a station service done by a member, a verification task closed with a
 * result by a worker who is a member, volunteer hours of an accepted 请缨 offer — each credited once, also when the
 * request is retried, and nothing for being claimed or started. Residents rate services members handled (station
 * services and property service requests): once, only the resident it was for; the rating shows on the member's
 * ledger and a good one earns the bonus rule. Members show the badge (亮身份) on what they handle.
 */
describe('party points from services, tasks and volunteer hours', () => {
  let t: TestApp;
  const as = requester(() => t);
  const db = () => t.dbh.db;
  let member: { id: number; accountId: number };
  let lumingMember: number, propertyMember: number;
  let station: { id: number; service: string };
  const entries = (kind: string, id: number) => db().selectFrom('party_points').selectAll().where('source_kind', '=', kind as any).where('source_id', '=', id).execute();
  const accountId = async (u: string) => (await db().selectFrom('accounts').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    t = await createTestApp();
    member = await db().selectFrom('accounts as a').innerJoin('party_members as m', 'm.person_id', 'a.person_id').select(['m.id', 'a.id as accountId'])
      .where('a.username', '=', 'member.demo').executeTakeFirstOrThrow();
    // Two workers who are party members too: a community worker (closes verification tasks) and a property staff member.
    const free = await db().selectFrom('party_members as m').select(['m.id', 'm.person_id']).where('m.person_id', 'is not', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('accounts as a').select('a.id').whereRef('a.person_id', '=', 'm.person_id')))).orderBy('m.id').limit(2).execute();
    [lumingMember, propertyMember] = free.map((m) => m.id);
    await db().updateTable('accounts').set({ person_id: free[0].person_id }).where('username', '=', 'community.luming').execute();
    await db().updateTable('accounts').set({ person_id: free[1].person_id }).where('username', '=', 'property.xiangshuwan').execute();
    const s = await db().selectFrom('stations as s').innerJoin('regions as r', 'r.id', 's.region_id').select(['s.id', 's.services'])
      .where('r.code', '=', 'HH-LM').where('s.status', '=', 'open').orderBy('s.id').executeTakeFirstOrThrow();
    station = { id: s.id, service: s.services[0] };
  });
  afterAll(() => t.close());

  it('a station service credits its member handler when done (not when taken), once; the resident rates it once', async () => {
    const bad = await as('resident.demo', 'POST', `/api/stations/${station.id}/services`, { service: 'no_such' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.service).toBeTruthy();
    const created = await as('resident.demo', 'POST', `/api/stations/${station.id}/services`, { service: station.service, note: '帮忙代收一个快递' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ status: 'requested', mine: true, handler: null, can: { take: false, rate: false } });

    // A member sees it waiting, with the resident masked; the resident cannot take their own; rating before done is refused.
    const open = (await as('member.demo', 'GET', '/api/station-services?view=open&pageSize=100')).json().items.find((x: any) => x.id === id);
    expect(open).toMatchObject({ status: 'requested', can: { take: true } });
    expect(open.beneficiary).toMatch(/某$/);
    expect((await as('resident.demo', 'POST', `/api/station-services/${id}/take`)).statusCode).toBe(403);
    expect((await as('resident.demo', 'POST', `/api/station-services/${id}/rating`, { rating: 5 })).statusCode).toBe(409);

    const takes = await Promise.all([as('member.demo', 'POST', `/api/station-services/${id}/take`), as('member.demo', 'POST', `/api/station-services/${id}/take`)]);
    expect(takes.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(takes[0].json()).toMatchObject({ status: 'taken', handling: true, handler: { partyMember: true, organisation: '鹿鸣苑党支部' } });
    expect((await as('street.huanghai', 'POST', `/api/station-services/${id}/take`)).statusCode).toBe(409); // taken by the member
    expect(await entries('station_service', id)).toHaveLength(0); // taken is not done

    expect((await as('resident.demo', 'POST', `/api/station-services/${id}/done`, {})).statusCode).toBe(403);
    const dones = await Promise.all([1, 2, 3].map(() => as('member.demo', 'POST', `/api/station-services/${id}/done`, { note: '已送到家' })));
    expect(dones.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(dones[0].json()).toMatchObject({ status: 'done', doneNote: '已送到家' });
    await creditStationService(db(), { serviceId: id, title: '重放', handlerAccountId: member.accountId }); // a replayed event
    expect((await entries('station_service', id)).map((e) => [e.member_id, e.rule_code, e.points])).toEqual([[member.id, 'station_service', 5]]);

    // Only the resident it was for rates it, once; the rating and the bonus show on the member's ledger.
    expect((await as('member.demo', 'POST', `/api/station-services/${id}/rating`, { rating: 5 })).statusCode).toBe(403);
    expect((await as('grid.xiangshuwan', 'POST', `/api/station-services/${id}/rating`, { rating: 1 })).statusCode).toBe(403);
    const badRating = await as('resident.demo', 'POST', `/api/station-services/${id}/rating`, { rating: 6 });
    expect(badRating.statusCode).toBe(400);
    expect(badRating.json().error.fields.rating).toBeTruthy();
    const rated = await Promise.all([1, 2].map(() => as('resident.demo', 'POST', `/api/station-services/${id}/rating`, { rating: 5, comment: '很热心' })));
    expect(rated.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(rated.find((r) => r.statusCode === 409)!.json().error.message).toMatch(/只能评价一次/);
    const ledger = (await as('member.demo', 'GET', `/api/party/members/${member.id}/points`)).json();
    expect(ledger.items.find((i: any) => i.source.kind === 'station_service' && i.source.id === id)).toMatchObject({ rule: { code: 'station_service' }, points: 5, source: { kindName: '站点服务' } });
    const rating = ledger.ratings.items.find((r: any) => r.source.kind === 'station_service' && r.source.id === id);
    expect(rating).toMatchObject({ rating: 5, comment: '很热心', source: { kindName: '站点服务' } });
    expect(ledger.ratings.count).toBeGreaterThanOrEqual(1);
    expect(ledger.items.find((i: any) => i.source.kind === 'service_rating' && i.source.id === rating.id)).toMatchObject({ rule: { code: 'service_rated' }, points: 1 });
    // The managing side sees the service in its scope; another community's does not.
    expect((await as('community.luming', 'GET', '/api/station-services?view=managed&pageSize=100')).json().items.some((x: any) => x.id === id)).toBe(true);
    expect((await as('community.julonghu', 'GET', '/api/station-services?pageSize=100')).json().items.some((x: any) => x.id === id)).toBe(false);
    expect((await as('community.julonghu', 'GET', `/api/station-services/${id}`)).statusCode).toBe(403);
  });

  it('a station service handled by a worker who is not a member credits nothing; a low rating earns no bonus', async () => {
    const id = (await as('resident.demo', 'POST', `/api/stations/${station.id}/services`, { service: station.service })).json().id;
    expect((await as('community.julonghu', 'POST', `/api/station-services/${id}/take`)).statusCode).toBe(403); // not a member, not its station
    const taken = await as('street.huanghai', 'POST', `/api/station-services/${id}/take`);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json().handler).toMatchObject({ partyMember: false, organisation: null });
    expect((await as('street.huanghai', 'POST', `/api/station-services/${id}/done`, {})).statusCode).toBe(200);
    expect((await as('resident.demo', 'POST', `/api/station-services/${id}/rating`, { rating: 2 })).statusCode).toBe(200);
    expect(await entries('station_service', id)).toHaveLength(0);
    expect(await db().selectFrom('party_service_ratings').selectAll().where('source_kind', '=', 'station_service').where('source_id', '=', id).execute()).toHaveLength(0);
  });

  it('a verification task closed with a result by a member credits once; by a non-member, nothing', async () => {
    const [ds] = (await db().selectFrom('brain_builtin_datasets').select('dataset_id').where('code', '=', 'population_registry').execute());
    const job = await db().insertInto('brain_match_jobs').values({ left_dataset_id: ds.dataset_id, right_dataset_id: ds.dataset_id, status: 'succeeded' } as any).returning('id').executeTakeFirstOrThrow();
    const lm = await db().selectFrom('regions').select('path').where('code', '=', 'HH-LM').executeTakeFirstOrThrow();
    const persons = await db().selectFrom('persons').select(['id', 'region_id', 'region_path']).where('region_path', 'like', `${lm.path}%`).orderBy('id').limit(2).execute();
    const task = async (i: number) => (await db().insertInto('brain_verification_tasks').values({
      job_id: job.id, left_id: i + 1, right_id: i + 1, person_id: persons[i].id, region_id: persons[i].region_id, region_path: persons[i].region_path,
      title: '核实是否在本辖区居住（来源：测试名单）', due_at: new Date(Date.now() + 3 * 86400_000),
    }).returning('id').executeTakeFirstOrThrow()).id;
    const [a, b] = [await task(0), await task(1)];

    const closes = await Promise.all([1, 2].map(() => as('community.luming', 'POST', `/api/verification-tasks/${a}/result`, { result: 'confirmed', note: '已上门核实' })));
    expect(closes.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    await creditVerificationTask(db(), { taskId: a, title: '重放', closedByAccountId: await accountId('community.luming') });
    expect((await entries('verification_task', a)).map((e) => [e.member_id, e.rule_code, e.points])).toEqual([[lumingMember, 'verification_task', 5]]);
    const ledger = (await as('community.luming', 'GET', `/api/party/members/${lumingMember}/points`)).json();
    expect(ledger.items.find((i: any) => i.source.kind === 'verification_task' && i.source.id === a).explanation).toContain('核实是否在本辖区居住');

    expect((await as('street.huanghai', 'POST', `/api/verification-tasks/${b}/result`, { result: 'not_resident' })).statusCode).toBe(200);
    expect(await entries('verification_task', b)).toHaveLength(0);
  });

  it('volunteer hours of an accepted 请缨 offer are recorded once by the post\'s side and credit per hour', async () => {
    const lmy = (await db().selectFrom('organisations').select('id').where('code', '=', 'P-LMY').executeTakeFirstOrThrow()).id;
    const post = async (startsOn: string) => (await as('community.luming', 'POST', '/api/party/posts', { organisationId: lmy, title: `卡口值守${startsOn}`, place: '鹿鸣苑南门', startsOn, endsOn: '2099-12-31', slots: 3 })).json().id;
    const [started, later] = [await post('2026-11-01'), await post('2099-01-01')];
    const offerOf = async (p: number) => (await as('member.demo', 'POST', `/api/party/posts/${p}/volunteer`, {})).json().id;
    const [offer, early] = [await offerOf(started), await offerOf(later)];

    expect((await as('community.luming', 'POST', `/api/party/offers/${offer}/hours`, { hours: 4 })).json().error.message).toMatch(/已接受/);
    for (const o of [offer, early]) expect((await as('community.luming', 'POST', `/api/party/offers/${o}/decide`, { decision: 'accepted' })).statusCode).toBe(200);
    expect((await as('community.luming', 'POST', `/api/party/offers/${early}/hours`, { hours: 4 })).statusCode).toBe(409); // the post has not started
    expect((await as('community.julonghu', 'POST', `/api/party/offers/${offer}/hours`, { hours: 4 })).statusCode).toBe(403);
    expect((await as('member.demo', 'POST', `/api/party/offers/${offer}/hours`, { hours: 4 })).statusCode).toBe(403);
    const bad = await as('community.luming', 'POST', `/api/party/offers/${offer}/hours`, { hours: 0.3 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.hours).toBeTruthy();
    expect(await entries('volunteer', offer)).toHaveLength(0); // accepted is not served

    const recorded = await Promise.all([1, 2].map(() => as('community.luming', 'POST', `/api/party/offers/${offer}/hours`, { hours: 4.5 })));
    expect(recorded.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(recorded[0].json()).toEqual({ id: offer, hours: 4.5, points: 9 });
    expect(recorded[1].json()).toEqual(recorded[0].json());
    const other = await as('community.luming', 'POST', `/api/party/offers/${offer}/hours`, { hours: 6 });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.message).toContain('4.5');
    expect((await entries('volunteer', offer)).map((e) => [e.member_id, e.rule_code, e.points])).toEqual([[member.id, 'volunteer_hours', 9]]);
    const seen = (await as('community.luming', 'GET', '/api/party/posts?pageSize=100')).json().items.find((p: any) => p.id === started);
    expect(seen.offers[0]).toMatchObject({ status: 'accepted', hours: 4.5 });
  });

  it('a property service request handled by a member: the badge on the request, the requester\'s rating on the member\'s ledger', async () => {
    const resident = await db().selectFrom('accounts as a').innerJoin('persons as p', 'p.id', 'a.person_id').select('p.region_id').where('a.username', '=', 'resident.demo').executeTakeFirstOrThrow();
    const res = await as('resident.demo', 'POST', '/api/service-requests', { serviceCode: 'repair.water', description: '卫生间水龙头漏水', roomId: resident.region_id, attributes: { part: 'bathroom' } });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    for (const [a, p] of [['accept', undefined], ['assign', {}], ['start', undefined], ['done', { note: '已更换龙头' }]] as const) {
      expect((await as('property.xiangshuwan', 'POST', `/api/service-requests/${id}/${a}`, p)).statusCode, a).toBe(200);
    }
    expect((await as('resident.demo', 'GET', `/api/service-requests/${id}`)).json().assignee).toMatchObject({ partyMember: true, partyOrganisation: expect.any(String) });
    expect((await as('resident.demo', 'POST', `/api/service-requests/${id}/rate`, { rating: 4, text: '修得很快' })).statusCode).toBe(200);
    const ratings = await db().selectFrom('party_service_ratings').selectAll().where('source_kind', '=', 'service_request').where('source_id', '=', id).execute();
    expect(ratings.map((r) => [r.member_id, r.rating, r.comment])).toEqual([[propertyMember, 4, '修得很快']]);
    const ledger = (await as('admin', 'GET', `/api/party/members/${propertyMember}/points`)).json();
    expect(ledger.ratings.items[0]).toMatchObject({ source: { kind: 'service_request', id, kindName: '报事服务' }, rating: 4 });
    expect(ledger.items.find((i: any) => i.source.kind === 'service_rating' && i.source.id === ratings[0].id)).toMatchObject({ points: 1 });
  });

  it('attendance rates count who was a member of the organisation on the day of each activity, not today\'s register', async () => {
    const org = async (code: string) => (await db().selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    const [lmy, net] = [await org('P-LMY'), await org('P-NET')];
    await db().insertInto('party_activities').values({ organisation_id: lmy, kind: 'lecture', topic: '六月党课（历史）', place: '鹿鸣苑会议室',
      starts_at: '2026-06-13T10:00:00+08:00', ends_at: '2026-06-13T11:00:00+08:00' }).execute();
    const untouched = (orgId: number) => db().selectFrom('party_members as m').select('m.id').where('m.organisation_id', '=', orgId).where('m.id', '<>', member.id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('party_transfers as t').select('t.id').whereRef('t.member_id', '=', 'm.id')))).orderBy('m.id').limit(2).execute();
    const [[x, z], [y]] = [await untouched(lmy), await untouched(net)];
    const stats = async () => {
      const b = (await as('admin', 'GET', '/api/party/activities/stats?from=2026-06-13&to=2026-06-13')).json();
      const m = new Map<number, number>(b.members.map((r: any) => [r.id, r.expected]));
      return { x: m.get(x.id), y: m.get(y.id), z: m.get(z.id), org: b.organisations.find((o: any) => o.id === lmy).expected };
    };
    const before = await stats();
    expect(before.x).toBeGreaterThanOrEqual(1);
    // x joined after the day; y transferred in after it; z transferred out after it.
    await db().updateTable('party_members').set({ joined_on: '2026-07-01', status: 'probationary', full_on: null }).where('id', '=', x.id).execute();
    const move = async (memberId: number, from: number, to: number, at: string) => {
      await db().updateTable('party_members').set({ organisation_id: to }).where('id', '=', memberId).execute();
      await db().insertInto('party_transfers').values({ member_id: memberId, from_org_id: from, to_org_id: to, status: 'accepted', decided_at: at }).execute();
    };
    await move(y.id, net, lmy, '2026-08-01T09:00:00+08:00');
    await move(z.id, lmy, net, '2026-09-01T09:00:00+08:00');
    const after = await stats();
    // x was no member on that day at all; y and z are counted where they were then, as before the moves.
    const held = (await db().selectFrom('party_activities').select('id').where('organisation_id', '=', lmy)
      .where('starts_at', '>=', new Date('2026-06-13T00:00:00+08:00')).where('starts_at', '<', new Date('2026-06-14T00:00:00+08:00')).execute()).length;
    expect(after).toEqual({ x: 0, y: before.y, z: before.z, org: before.org - held });
  });
});

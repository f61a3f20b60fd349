import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdue } from '../../server/src/modules/property/escalate.js';
import { ALL_STATUSES } from '../../server/src/modules/property/requests-policy.js';
import { requestOutcome, requestStatus, requestTeam } from '../../server/src/modules/property/schemas.js';
import { OUTCOME_NAMES, TEAM_NAMES } from '../../server/src/modules/property/service-requests.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

/** Service requests: the flow, who may do what (scope and relation), the urge limit under races, the reopen window, SLA escalation. */
describe('service requests', () => {
  let t: TestApp;
  let residentRoom: number, xswPerson: number, jlhPerson: number, jlhRoom: number;
  const as = async (user: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: method as any, url, headers: { ...bearer(await t.token(user)), ...headers }, ...(payload !== undefined ? { payload: payload as any } : {}) });
  const submit = async (body: Record<string, unknown> = {}, user = 'resident.demo') => {
    const res = await as(user, 'POST', '/api/service-requests', { serviceCode: 'repair.water', description: '厨房水槽下水管漏水', roomId: residentRoom, attributes: { part: 'kitchen' }, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const step = async (user: string, id: number, action: string, payload: unknown = undefined) => as(user, 'POST', `/api/service-requests/${id}/${action}`, payload);
  /** Submitted → accepted → grabbed → in progress → done, by 橡树湾's property staff. */
  const toDone = async (id: number) => {
    for (const [a, p] of [['accept', undefined], ['assign', {}], ['start', undefined], ['done', { note: '已更换水管' }]] as const) {
      const res = await step('property.xiangshuwan', id, a, p);
      expect(res.statusCode, `${a}: ${res.body}`).toBe(200);
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.dbh.db;
    const resident = await db.selectFrom('accounts as a').innerJoin('persons as p', 'p.id', 'a.person_id').select('p.region_id').where('a.username', '=', 'resident.demo').executeTakeFirstOrThrow();
    residentRoom = resident.region_id;
    const region = (code: string) => db.selectFrom('regions').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
    const [xsw, jlh] = [await region('XSW'), await region('JLH-C1')];
    xswPerson = (await db.selectFrom('persons').select('id').where('region_path', 'like', `${xsw.path}%`).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id;
    const j = await db.selectFrom('persons').select(['id', 'region_id']).where('region_path', 'like', `${jlh.path}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();
    jlhPerson = j.id; jlhRoom = j.region_id;
  });
  afterAll(() => t.close());

  it('runs the whole flow with a public timeline for the requester, photos that follow the request, and statistics', async () => {
    const id = await submit({ preferredTime: '工作日晚上' });
    const first = (await as('resident.demo', 'GET', `/api/service-requests/${id}`)).json();
    expect(first).toMatchObject({ status: 'submitted', serviceCode: 'repair.water', team: 'property', slaHours: 24, attributes: { part: 'kitchen' }, escalationLevel: 0 });
    expect(first.abilities).toMatchObject({ read: true, urge: true, accept: false, rate: false });
    const photo = await jpegWithGps();
    const form = multipart({}, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: photo }]);
    const added = await as('resident.demo', 'POST', `/api/service-requests/${id}/photos`, form.payload, form.headers);
    expect(added.statusCode, added.body).toBe(200);

    expect((await step('resident.demo', id, 'accept')).statusCode).toBe(403); // no request:handle
    expect((await step('property.xiangshuwan', id, 'start')).statusCode).toBe(403); // not the assignee (nobody is yet)
    expect((await step('property.xiangshuwan', id, 'accept')).json()).toEqual({ id, status: 'accepted' });
    expect((await step('property.xiangshuwan', id, 'accept')).statusCode).toBe(409); // already accepted
    const grab = await step('property.xiangshuwan', id, 'assign', {});
    expect(grab.json()).toMatchObject({ status: 'assigned' });
    expect((await step('grid.xiangshuwan', id, 'start')).statusCode).toBe(403); // not the assignee
    expect((await step('property.xiangshuwan', id, 'start')).json().status).toBe('in_progress');
    const doneForm = multipart({ note: '已更换下水管' }, [{ field: 'photos', name: 'after.jpg', type: 'image/jpeg', data: photo }]);
    const done = await as('property.xiangshuwan', 'POST', `/api/service-requests/${id}/done`, doneForm.payload, doneForm.headers);
    expect(done.statusCode, done.body).toBe(200);
    expect((await step('property.xiangshuwan', id, 'rate', { rating: 5 })).statusCode).toBe(403); // only the requester rates
    expect((await step('resident.demo', id, 'rate', { rating: 5, text: '师傅很及时' })).json().status).toBe('rated');
    expect((await step('community.luming', id, 'close', { outcome: 'duplicate' })).statusCode).toBe(400); // duplicate needs duplicateOf
    expect((await step('community.luming', id, 'close', { outcome: 'fixed', note: '回访满意' })).json().status).toBe('closed');

    const page = (await as('resident.demo', 'GET', `/api/service-requests/${id}`)).json();
    expect(page.timeline.map((e: any) => e.kind)).toEqual(['submitted', 'photos', 'accepted', 'grabbed', 'started', 'done', 'rated', 'closed']);
    expect(page.timeline.every((e: any) => e.at && e.actor && e.kindName)).toBe(true);
    expect(page).toMatchObject({ outcome: 'fixed', rating: 5, doneNote: '已更换下水管', assignee: { name: '橡树湾物业' } });
    expect(page.photos.map((p: any) => p.kind)).toEqual(['done', 'request']);
    // Photos follow the request: the requester and the team see them, a worker of another community does not.
    for (const p of page.photos) {
      expect((await as('resident.demo', 'GET', `/api/files/${p.id}`)).statusCode).toBe(200);
      expect((await as('community.julonghu', 'GET', `/api/files/${p.id}`)).statusCode).toBe(404);
    }
    const mine = (await as('resident.demo', 'GET', '/api/me/service-requests')).json();
    expect(mine.items.map((x: any) => x.id)).toContain(id);

    const stats = (await as('community.luming', 'GET', '/api/service-requests/stats?by=category')).json();
    const water = stats.items.find((x: any) => x.key === '水电维修');
    expect(water.volume).toBeGreaterThan(0);
    expect(water.slaMetPercent).toBeGreaterThanOrEqual(0);
    for (const by of ['compound', 'team']) expect((await as('community.luming', 'GET', `/api/service-requests/stats?by=${by}`)).json().items.length).toBeGreaterThan(0);
    const xlsx = await as('community.luming', 'GET', '/api/service-requests/stats.xlsx?by=team');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    // 聚龙湖's statistics do not count 橡树湾.
    const jlh = (await as('community.julonghu', 'GET', '/api/service-requests/stats?by=compound')).json();
    expect(jlh.items.map((x: any) => x.key)).not.toContain('橡树湾');
  });

  it('keeps every relation inside scope: reads, on-behalf intake, assignment', async () => {
    const id = await submit();
    expect((await as('community.julonghu', 'GET', `/api/service-requests/${id}`)).statusCode).toBe(403);
    expect((await step('community.julonghu', id, 'accept')).statusCode).toBe(403);
    expect((await as('owners.xiangshuwan', 'GET', `/api/service-requests/${id}`)).statusCode).toBe(404);
    expect((await as('member.demo', 'GET', `/api/service-requests/${id}`)).statusCode).toBe(404);
    expect((await as('grid.xiangshuwan', 'GET', `/api/service-requests/${id}`)).statusCode).toBe(200);
    // The dispatch list: only the caller's scope, overdue first.
    const jlhList = (await as('community.julonghu', 'GET', '/api/service-requests?pageSize=100')).json();
    expect(jlhList.items.map((x: any) => x.id)).not.toContain(id);
    const board = (await as('property.xiangshuwan', 'GET', '/api/service-requests?pageSize=100')).json();
    expect(board.items.map((x: any) => x.id)).toContain(id);
    const firstNotOverdue = board.items.findIndex((x: any) => !x.overdue);
    expect(board.items.slice(firstNotOverdue).some((x: any) => x.overdue)).toBe(false);
    const overdue = (await as('property.xiangshuwan', 'GET', '/api/service-requests?view=overdue&serviceCode=repair.water')).json();
    expect(overdue.items.every((x: any) => x.overdue && x.serviceCode === 'repair.water')).toBe(true);

    // Grid worker on a resident's behalf: in scope yes, another community's resident or room no.
    const behalf = await as('grid.xiangshuwan', 'POST', '/api/service-requests', { serviceCode: 'complaint.noise', description: '电话反映：楼上夜间噪音', roomId: residentRoom, requesterPersonId: xswPerson, contactName: '电话来访' });
    expect(behalf.statusCode, behalf.body).toBe(201);
    expect((await as('grid.xiangshuwan', 'POST', '/api/service-requests', { serviceCode: 'complaint.noise', description: '越界代报', roomId: residentRoom, requesterPersonId: jlhPerson })).statusCode).toBe(400);
    expect((await as('grid.xiangshuwan', 'POST', '/api/service-requests', { serviceCode: 'complaint.noise', description: '越界代报', roomId: jlhRoom })).statusCode).toBe(403);
    expect((await as('resident.demo', 'POST', '/api/service-requests', { serviceCode: 'complaint.noise', description: '替人报', roomId: residentRoom, requesterPersonId: xswPerson })).statusCode).toBe(403);
    // Attributes are checked against the category.
    const bad = await as('resident.demo', 'POST', '/api/service-requests', { serviceCode: 'repair.water', description: '漏水', roomId: residentRoom, attributes: { part: 'roof' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['attributes.part']);

    // A dispatcher assigns only a member of the handling team whose scope covers the request.
    const other0 = await submit();
    await step('community.luming', id, 'accept');
    const ids = Object.fromEntries((await t.dbh.db.selectFrom('accounts').select(['id', 'username']).execute()).map((a) => [a.username, a.id]));
    expect((await step('community.luming', id, 'assign', { assigneeId: ids['community.julonghu'] })).statusCode).toBe(400);
    // The dispatcher's choice: the property team of 橡树湾 whose scope covers the request, and nobody else.
    const choice = (await as('community.luming', 'GET', `/api/service-requests/${id}/assignees`)).json();
    expect(choice.items).toEqual([{ id: ids['property.xiangshuwan'], name: '橡树湾物业', roles: ['property_staff'] }]);
    expect((await as('community.julonghu', 'GET', `/api/service-requests/${id}/assignees`)).statusCode).toBe(403);
    expect((await as('grid.xiangshuwan', 'GET', `/api/service-requests/${id}/assignees`)).statusCode).toBe(403); // handles, does not dispatch
    expect((await as('community.luming', 'GET', `/api/service-requests/${other0}/assignees`)).statusCode).toBe(409); // not accepted yet
    for (const a of choice.items) expect((await t.dbh.db.selectFrom('accounts').select('active').where('id', '=', a.id).executeTakeFirstOrThrow()).active).toBe(true);
    expect((await step('community.luming', id, 'assign', { assigneeId: ids['property.xiangshuwan'] })).json()).toMatchObject({ status: 'assigned', assigneeId: ids['property.xiangshuwan'] });
    // Someone else's request: a resident neither reads nor urges it.
    const other = await submit({}, 'grid.xiangshuwan');
    expect((await step('resident.demo', other, 'urge')).statusCode).toBe(404);
  });

  it('allows one urge per 30 minutes, decided by the database under concurrent requests', async () => {
    const id = await submit();
    const results = await Promise.all(Array.from({ length: 12 }, () => step('resident.demo', id, 'urge')));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 429)).toHaveLength(11);
    expect(results.find((r) => r.statusCode === 429)!.json().error.code).toBe('urge_too_soon');
    expect(results.find((r) => r.statusCode === 429)!.headers['retry-after']).toBe('1800');
    const row = await t.dbh.db.selectFrom('service_requests').select(['urge_count']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.urge_count).toBe(1);
    await sql`update service_requests set last_urged_at = now() - interval '31 minutes' where id = ${id}`.execute(t.dbh.db);
    expect((await step('resident.demo', id, 'urge')).json()).toMatchObject({ urgeCount: 2 });
  });

  it('reopens within 7 days of done, not after', async () => {
    const id = await submit();
    await toDone(id);
    await sql`update service_requests set done_at = now() - interval '8 days' where id = ${id}`.execute(t.dbh.db);
    const late = await step('resident.demo', id, 'reopen', { reason: '又漏了' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('reopen_window');
    await sql`update service_requests set done_at = now() - interval '6 days' where id = ${id}`.execute(t.dbh.db);
    const ok = await step('resident.demo', id, 'reopen', { reason: '又漏了' });
    expect(ok.json()).toEqual({ id, status: 'assigned' });
    const page = (await as('resident.demo', 'GET', `/api/service-requests/${id}`)).json();
    expect(page).toMatchObject({ reopenCount: 1, escalationLevel: 0, doneAt: null });
    expect((await step('resident.demo', id, 'reopen', { reason: 'x' })).statusCode).toBe(409); // not done any more
    expect((await step('grid.xiangshuwan', id, 'reopen', { reason: 'x' })).statusCode).toBe(403); // not the requester
  });

  it('escalates past the SLA to the community, then the street, on a controlled clock; idempotent with two sweeps in parallel', async () => {
    const db = t.dbh.db;
    const id = await submit({ serviceCode: 'repair.elevator', description: '电梯运行有异响', attributes: { spot: '3幢' } });
    const created = (await db.selectFrom('service_requests').select('created_at').where('id', '=', id).executeTakeFirstOrThrow()).created_at;
    const at = (h: number) => new Date(new Date(created).getTime() + h * 3600_000);
    const level = async () => (await db.selectFrom('service_requests').select('escalation_level').where('id', '=', id).executeTakeFirstOrThrow()).escalation_level;
    const ids = Object.fromEntries((await db.selectFrom('accounts').select(['id', 'username']).execute()).map((a) => [a.username, a.id]));
    const notes = async (user: string) => (await db.selectFrom('notifications').select('body').where('account_id', '=', ids[user]).execute()).filter((n) => n.body.includes(`报事编号 ${id}）`));

    await escalateOverdue({ db }, at(3.9));
    expect(await level()).toBe(0);
    // Two instances sweep at the same moment: one step each, once.
    await Promise.all([escalateOverdue({ db }, at(4.1)), escalateOverdue({ db }, at(4.1))]);
    expect(await level()).toBe(1);
    expect(await notes('community.luming')).toHaveLength(1);
    expect(await notes('street.huanghai')).toHaveLength(0);
    await escalateOverdue({ db }, at(7.9));
    expect(await level()).toBe(1);
    await Promise.all([escalateOverdue({ db }, at(8.1)), escalateOverdue({ db }, at(8.1)), escalateOverdue({ db }, at(9))]);
    expect(await level()).toBe(2);
    expect(await notes('street.huanghai')).toHaveLength(1);
    expect(await notes('community.luming')).toHaveLength(1);
    const kinds = (await db.selectFrom('service_request_events').select('kind').where('request_id', '=', id).orderBy('id').execute()).map((e) => e.kind);
    expect(kinds).toEqual(['submitted', 'escalated_community', 'escalated_street']);
    await escalateOverdue({ db }, at(100));
    expect(await level()).toBe(2);
    // The escalation is visible to the dispatcher and on the requester's timeline.
    const page = (await as('resident.demo', 'GET', `/api/service-requests/${id}`)).json();
    expect(page.timeline.map((e: any) => e.kindName)).toEqual(['提交', '超时升级至社区', '超时升级至街道']);
  });

  it('lets only a district admin issue Open311 keys, stored as a hash', async () => {
    expect((await as('community.luming', 'POST', '/api/open311/keys', { name: '12345 热线' })).statusCode).toBe(403);
    const res = await as('admin', 'POST', '/api/open311/keys', { name: '12345 热线' });
    expect(res.statusCode).toBe(201);
    const { apiKey, id } = res.json();
    const row = await t.dbh.db.selectFrom('open311_clients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.key_hash).not.toContain(apiKey);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);

    // The console's list shows clients, never a key or its hash; a revoked key no longer submits.
    const list = await as('admin', 'GET', '/api/open311/keys?pageSize=100');
    expect(list.json().items.find((c: any) => c.id === id)).toMatchObject({ name: '12345 热线', createdBy: expect.any(String), revokedAt: null });
    expect(list.body).not.toContain(apiKey);
    expect(list.body).not.toContain(row.key_hash);
    expect((await as('community.luming', 'GET', '/api/open311/keys')).statusCode).toBe(403);
    expect((await as('community.luming', 'POST', `/api/open311/keys/${id}/revoke`)).statusCode).toBe(403);
    const post = () => t.app.inject({
      method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ api_key: apiKey, service_code: 'complaint.noise', lat: '0', long: '0', description: '测试' }).toString(),
    });
    expect((await post()).statusCode).toBe(400); // the key works: refused only for the location
    const revoked = (await as('admin', 'POST', `/api/open311/keys/${id}/revoke`)).json();
    expect(revoked).toMatchObject({ id, revokedAt: expect.any(String) });
    expect((await as('admin', 'POST', `/api/open311/keys/${id}/revoke`)).json().revokedAt).toBe(revoked.revokedAt); // once
    expect((await post()).statusCode).toBe(403);
    const audit = await t.dbh.db.selectFrom('audit_log').select('action').where('target_type', '=', 'open311_client').where('target_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['open311.key_issue', 'open311.key_revoke']);
    expect((await as('admin', 'POST', '/api/open311/keys/999999/revoke')).statusCode).toBe(404);
  });

  it('lets street workers and district admins keep the categories: create, edit the SLA for new requests, deactivate, audited', async () => {
    const body = {
      code: 'repair.window', name: '门窗维修', group: '报事报修', slaHours: 36, team: 'property',
      attributes: [{ code: 'room', name: '哪个房间', datatype: 'singlevaluelist', required: true, values: [{ key: 'bedroom', name: '卧室' }, { key: 'kitchen', name: '厨房' }] }],
    };
    expect((await as('resident.demo', 'POST', '/api/service-types', body)).statusCode).toBe(403);
    expect((await as('community.luming', 'POST', '/api/service-types', body)).statusCode).toBe(403);
    expect((await as('resident.demo', 'PATCH', '/api/service-types/repair.water', { slaHours: 1 })).statusCode).toBe(403);
    const created = await as('street.huanghai', 'POST', '/api/service-types', body);
    expect(created.statusCode, created.body).toBe(201);
    expect((await as('admin', 'POST', '/api/service-types', { ...body, name: '重复的类别' })).statusCode).toBe(409);
    const dupSeed = await as('admin', 'POST', '/api/service-types', { ...body, code: 'repair.water' });
    expect(dupSeed.statusCode).toBe(409);
    expect(dupSeed.json().error.fields.code).toBe('已被占用');

    // A list attribute without values, a bad datatype, a repeated attribute code: 400 naming the field, in Chinese.
    const bad = async (attributes: unknown[], field: string) => {
      const res = await as('admin', 'POST', '/api/service-types', { ...body, code: 'repair.bad', attributes });
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(res.json().error.fields), res.body).toContain(field);
      expect(res.json().error.fields[field]).toMatch(/[\u4e00-\u9fa5]/);
    };
    await bad([{ code: 'room', name: '房间', datatype: 'singlevaluelist', required: true }], 'attributes.0.values');
    await bad([{ code: 'room', name: '房间', datatype: 'colour', required: true }], 'attributes.0.datatype');
    await bad([{ code: 'a', name: '甲', datatype: 'text', required: false }, { code: 'a', name: '乙', datatype: 'text', required: false }], 'attributes.1.code');
    const slaBad = await as('admin', 'POST', '/api/service-types', { ...body, code: 'repair.bad', slaHours: 721 });
    expect(Object.keys(slaBad.json().error.fields)).toEqual(['slaHours']);
    expect((await as('admin', 'POST', '/api/service-types', { ...body, code: 'Repair Bad' })).json().error.fields.code).toBeTruthy();
    expect((await as('admin', 'POST', '/api/service-types', { ...body, code: 'repair.bad', team: 'alliance' })).json().error.fields.allianceUnitId).toBe('必填');

    const listed = (await as('resident.demo', 'GET', '/api/service-types')).json().items.find((x: any) => x.code === 'repair.window');
    expect(listed).toMatchObject({ name: '门窗维修', slaHours: 36, team: 'property', attributes: [{ code: 'room', required: true }] });
    const first = await submit({ serviceCode: 'repair.window', attributes: { room: 'bedroom' } });
    expect((await as('resident.demo', 'GET', `/api/service-requests/${first}`)).json().slaHours).toBe(36);

    const edited = await as('street.huanghai', 'PATCH', '/api/service-types/repair.window', { slaHours: 12 });
    expect(edited.json()).toEqual({ id: created.json().id, code: 'repair.window' });
    const second = await submit({ serviceCode: 'repair.window', attributes: { room: 'kitchen' } });
    expect((await as('resident.demo', 'GET', `/api/service-requests/${second}`)).json().slaHours).toBe(12);
    expect((await as('resident.demo', 'GET', `/api/service-requests/${first}`)).json().slaHours).toBe(36); // filed under the old SLA
    expect((await as('admin', 'PATCH', '/api/service-types/repair.window', {})).statusCode).toBe(400);
    expect((await as('admin', 'PATCH', '/api/service-types/repair.none', { slaHours: 12 })).statusCode).toBe(404);

    const services = async () => (await t.app.inject({ method: 'GET', url: '/open311/v2/services.json' })).json().map((x: any) => x.service_code);
    expect(await services()).toContain('repair.window');
    expect((await as('admin', 'PATCH', '/api/service-types/repair.window', { active: false })).statusCode).toBe(200);
    expect((await as('resident.demo', 'GET', '/api/service-types')).json().items.map((x: any) => x.code)).not.toContain('repair.window');
    expect(await services()).not.toContain('repair.window');
    expect((await t.app.inject({ method: 'GET', url: '/open311/v2/services/repair.window.json' })).statusCode).toBe(404);
    const refused = await as('resident.demo', 'POST', '/api/service-requests', { serviceCode: 'repair.window', description: '窗户关不上', roomId: residentRoom, attributes: { room: 'bedroom' } });
    expect(refused.json().error.fields.serviceCode).toBeTruthy();
    expect((await as('resident.demo', 'GET', `/api/service-requests/${first}`)).json()).toMatchObject({ serviceCode: 'repair.window', serviceName: '门窗维修' }); // old requests keep it
    const managed = await as('street.huanghai', 'GET', '/api/service-types/managed');
    expect(managed.json().items.find((x: any) => x.code === 'repair.window')).toMatchObject({ active: false, slaHours: 12 });
    expect((await as('community.luming', 'GET', '/api/service-types/managed')).statusCode).toBe(403);
    expect((await as('admin', 'PATCH', '/api/service-types/repair.window', { active: true })).statusCode).toBe(200);
    expect(await services()).toContain('repair.window');

    const audit = await t.dbh.db.selectFrom('audit_log').select('action').where('target_type', '=', 'service_type').where('target_id', '=', String(created.json().id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['service_type.create', 'service_type.update', 'service_type.deactivate', 'service_type.reactivate']);
  });

  it('the enums the web reads agree with the services\' lists', () => {
    expect(requestStatus.options).toEqual(ALL_STATUSES);
    expect(requestTeam.options).toEqual(Object.keys(TEAM_NAMES));
    expect(requestOutcome.options).toEqual(Object.keys(OUTCOME_NAMES));
  });
});

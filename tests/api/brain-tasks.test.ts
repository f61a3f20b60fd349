import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdueTasks } from '../../server/src/modules/brain/tasks/escalate.js';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';
import { PERSON_FIELDS, personCsv, sqlRows, waitFor } from '../helpers/brain.js';
import sharp from 'sharp';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

/**
 * Verification tasks (核查任务) through the API: the population registry as the hub's built-in
 * dataset, a 卫健委-style list whose rows are copies (with errors) of registry persons of 橡树湾,
 * 鹿鸣苑 and 聚龙湖社区, a match job against the registry, tasks made from its accepted links
 * (once), read and closed by the workers of the person's place only, "wrong person" fed back as
 * a label, progress by street and community, and the escalation clock.
 */
describe('red brain: verification tasks', () => {
  let t: TestApp;
  const as = requester(() => t);
  const q = sqlRows(() => t);
  const wait = (url: string, done: (r: any) => boolean) => waitFor(as, url, done);

  interface Person { id: number; name: string; sex: string; birth_date: string; id_number: string; phone: string | null; region_path: string; zone: 'XSW' | 'LMY' | 'JLH' | 'OTHER' }
  const FIELDS = PERSON_FIELDS;
  const csv = personCsv;
  let registry = 0, list = 0, jobId = 0;
  let persons: Person[] = [];
  let others: Person[] = [];
  const truth = new Map<string, number>(); // list key → person id
  let registryAddress = new Map<number, string>();

  beforeAll(async () => {
    t = await createTestApp();
    registry = (await q<{ dataset_id: number }>(sql`select dataset_id from brain_builtin_datasets where code = 'population_registry'`))[0].dataset_id;
    const pick = (prefix: string, n: number, zone: Person['zone']) => q<Person>(sql`
      select id, name, sex, to_char(birth_date, 'YYYY-MM-DD') as birth_date, id_number, phone, region_path, ${zone}::text as zone from persons
      where region_path like ${`${prefix}%`} and id_number is not null and birth_date is not null and length(region_path) - length(replace(region_path, '/', '')) >= 8
      order by id limit ${n}`);
    const xsw = await q<{ path: string }>(sql`select path from regions where name = '橡树湾' and level = 'compound'`);
    const lmy = await q<{ path: string }>(sql`select path from regions where name = '鹿鸣苑' and level = 'compound'`);
    const jlh = await q<{ path: string }>(sql`select path from regions where name = '聚龙湖社区' and level = 'community'`);
    persons = [...await pick(xsw[0].path, 8, 'XSW'), ...await pick(lmy[0].path, 3, 'LMY'), ...await pick(jlh[0].path, 6, 'JLH')];
    expect(persons.length).toBe(17);
    const rows = await q<{ key: string; data: any }>(sql`select key, data from brain_rows where dataset_id = ${registry} and key in (${sql.join(persons.map((p) => String(p.id)))})`);
    registryAddress = new Map(rows.map((r) => [Number(r.key), (typeof r.data === 'string' ? JSON.parse(r.data) : r.data).address]));
    // The list: copies of registry persons, some with a list's usual errors; two people the registry does not know.
    const listRows = persons.map((p, i) => {
      const key = `WJ${String(i + 1).padStart(4, '0')}`;
      truth.set(key, p.id);
      const r: Record<string, string> = { key, name: p.name, sex: p.sex === 'M' ? '男' : '女', birth_date: p.birth_date, id_no: p.id_number, phone: p.phone ?? '', address: registryAddress.get(p.id)! };
      if (i % 5 === 1) r.phone = ''; // phone missing
      if (i % 5 === 2) r.address = r.address.replace(/幢/, '栋'); // written another way
      if (i % 5 === 3) r.birth_date = r.birth_date.replaceAll('-', '/'); // another date format
      return r;
    });
    // Enough of a list for the model to learn from without labels: copies of residents of other
    // streets (true links, their tasks go elsewhere), and decoys who share a surname and birth date with one.
    const hh = (await q<{ path: string }>(sql`select path from regions where name = '黄海街道' and level = 'street'`))[0].path;
    others = await q<Person>(sql`
      select id, name, sex, to_char(birth_date, 'YYYY-MM-DD') as birth_date, id_number, phone, region_path, 'OTHER'::text as zone from persons
      where region_path not like ${`${hh}%`} and id_number is not null and birth_date is not null order by id limit 400`);
    expect(others.length).toBe(400);
    others.forEach((p, i) => {
      if (i % 2 === 0) {
        const key = `WX${String(i).padStart(4, '0')}`;
        truth.set(key, p.id);
        listRows.push({ key, name: p.name, sex: p.sex === 'M' ? '男' : '女', birth_date: p.birth_date, id_no: i % 10 === 4 ? '' : p.id_number, phone: i % 3 ? (p.phone ?? '') : '', address: '' });
      } else {
        const given = '德馨若素怀瑾安澜'.slice(i % 7, (i % 7) + 2);
        listRows.push({ key: `WD${String(i).padStart(4, '0')}`, name: p.name[0] + given, sex: p.sex === 'M' ? '男' : '女', birth_date: p.birth_date, id_no: `9${p.id_number.slice(1, 17)}${i % 10}`, phone: '', address: `外省某市某路${i}号` });
      }
    });
    listRows.push({ key: 'WJ9001', name: '濮阳珏', sex: '女', birth_date: '1961-02-03', id_no: '110101196102030047', phone: '13900001111', address: '北京市东城区某路1号' });
    listRows.push({ key: 'WJ9002', name: '司马砚', sex: '男', birth_date: '1970-07-08', id_no: '110101197007080031', phone: '', address: '北京市东城区某路2号' });
    const sys = (await as('data.admin', 'GET', '/api/brain/systems?q=健康')).json().items[0];
    const fields = FIELDS.map((f) => ({ name: f, type: 'text', personal: f === 'key' || f === 'sex' ? 'none' : 'personal', ...(f === 'key' ? { key: true } : {}) }));
    const ds = await as('data.admin', 'POST', '/api/brain/datasets', { name: '卫健委来返人员名单（测试）', systemId: sys.id, shareType: 'conditional', fields, legalBasis: 'public_health', purpose: '核查' });
    expect(ds.statusCode).toBe(201);
    list = ds.json().id;
    const m = multipart({}, [{ field: 'file', name: 'rows.csv', type: 'text/csv', data: csv(listRows) }]);
    const up = await as('data.admin', 'POST', `/api/brain/datasets/${list}/uploads`, m.payload, m.headers);
    expect(up.statusCode).toBe(202);
    const run = await wait(`/api/brain/runs/${up.json().runId}`, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(run).toMatchObject({ status: 'succeeded', rejected: 0 });
    const created = await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: list, rightDatasetId: registry });
    expect(created.statusCode).toBe(201);
    jobId = created.json().id;
    const job = await wait(`/api/brain/match-jobs/${jobId}`, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(job.status).toBe('succeeded');
  }, 180_000);
  afterAll(async () => { await t?.close(); });

  const tasksOf = () => q<any>(sql`select * from brain_verification_tasks where job_id = ${jobId} order by id`);
  const accepted = async () => q<{ left_id: number; right_id: number; lkey: string; rkey: string }>(sql`
    select p.left_id, p.right_id, l.key as lkey, r.key as rkey from brain_match_pairs p join brain_link_records l on l.id = p.left_id join brain_link_records r on r.id = p.right_id
    where p.job_id = ${jobId} and ((p.decision = 'auto' and p.label is distinct from 'non_match') or p.label = 'match')`);
  const personOf = (id: number) => [...persons, ...others].find((p) => p.id === id)!;
  const zoneOf = (personId: number) => personOf(personId)?.zone;

  it('the registry is a built-in dataset of the catalogue, synced by the stewards only', async () => {
    const ds = (await as('data.admin', 'GET', `/api/brain/datasets/${registry}`)).json();
    expect(ds.name).toBe('人口库（一人一档）');
    expect(ds.fields.map((f: any) => f.name)).toEqual(['person_id', 'name', 'sex', 'birth_date', 'id_no', 'phone', 'address', 'region_path']);
    expect(ds.fields.find((f: any) => f.name === 'person_id').key).toBe(true);
    const n = Number((await q<{ n: number }>(sql`select count(*) as n from persons`))[0].n);
    expect(ds.rowCount).toBe(n);
    expect((await as('community.luming', 'POST', '/api/brain/registry/sync')).statusCode).toBe(403);
    // A person's phone changes in the registry: one row updated, the rest unchanged.
    await sql`update persons set phone = '13912345678' where id = ${persons[0].id}`.execute(t.dbh.db);
    const sync = await as('data.admin', 'POST', '/api/brain/registry/sync');
    expect(sync.statusCode).toBe(200);
    expect(sync.json()).toMatchObject({ datasetId: registry, rows: n, inserted: 0, updated: 1, unchanged: n - 1, deleted: 0 });
    // The intake is on the signed exchange log and the audit log.
    const log = (await as('data.admin', 'GET', `/api/brain/exchange-log?kind=run&datasetId=${registry}`)).json();
    expect(log.items[0]).toMatchObject({ outcome: 'ok', rowCount: 1 });
    expect(Number((await q<{ n: number }>(sql`select count(*) as n from audit_log where action = 'brain.registry.sync'`))[0].n)).toBe(1);
    const row = await q<{ data: any }>(sql`select data from brain_rows where dataset_id = ${registry} and key = ${String(persons[0].id)}`);
    expect(row[0].data.phone ?? JSON.parse(row[0].data).phone).toBe('13912345678');
  });

  it('tasks are made once per accepted link of a job against the registry, routed to the person\'s place', async () => {
    expect((await as('community.luming', 'POST', `/api/brain/match-jobs/${jobId}/tasks`)).statusCode).toBe(403);
    expect((await as('data.admin', 'POST', '/api/brain/match-jobs/999999/tasks')).statusCode).toBe(404);
    const links = await accepted();
    // The list's copies of registry persons link (decoys and the two strangers do not).
    expect(links.length).toBeGreaterThanOrEqual(200);
    expect(links.filter((l) => l.lkey.startsWith('WJ')).length).toBe(17);
    expect(links.every((l) => truth.get(l.lkey) === Number(l.rkey))).toBe(true);
    const res = await as('data.admin', 'POST', `/api/brain/match-jobs/${jobId}/tasks`);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ created: links.length, skipped: 0 });
    const again = await as('data.admin', 'POST', `/api/brain/match-jobs/${jobId}/tasks`);
    expect(again.json()).toEqual({ created: 0, skipped: links.length });
    const tasks = await tasksOf();
    expect(tasks.length).toBe(links.length);
    for (const task of tasks) {
      const p = personOf(task.person_id);
      expect(task.region_path).toBe(p.region_path);
      expect(task.region_id).toBe(Number(p.region_path.split('/').filter(Boolean).at(-1)));
      expect(task.status).toBe('open');
      expect(task.title).toBe('核实是否在本辖区居住（来源：卫健委来返人员名单（测试））');
      expect(new Date(task.due_at).getTime() - new Date(task.created_at).getTime()).toBe(3 * 86400_000);
    }
    const grids = await q<{ id: number; code: string }>(sql`select id, code from grids`);
    const code = (id: number | null) => grids.find((g) => g.id === id)?.code ?? null;
    expect(tasks.filter((x) => zoneOf(x.person_id) === 'XSW').every((x) => ['LM-G1', 'LM-G2'].includes(code(x.grid_id)!))).toBe(true);
    expect(tasks.filter((x) => zoneOf(x.person_id) === 'LMY').every((x) => code(x.grid_id) === 'LM-G3')).toBe(true);
    // A job whose right side is not the registry makes no tasks.
    const other = await q<{ id: number }>(sql`insert into brain_match_jobs (left_dataset_id, right_dataset_id, status) values (${list}, ${list}, 'succeeded') returning id`);
    const refused = await as('data.admin', 'POST', `/api/brain/match-jobs/${other[0].id}/tasks`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('task_job_not_registry');
  });

  const listAs = async (user: string, query = '') => {
    const res = await as(user, 'GET', `/api/verification-tasks?pageSize=100${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: any[]; total: number };
  };

  it('each worker sees the tasks of their own place only, with the person masked to what the visit needs', async () => {
    const tasks = await tasksOf();
    const ids = (zones: string[]) => tasks.filter((x) => zones.includes(zoneOf(x.person_id)!)).map((x) => x.id).sort((a, b) => a - b);
    const seen = async (user: string) => {
      const all: number[] = [];
      for (let page = 1; ; page++) {
        const p = await listAs(user, `&page=${page}`);
        all.push(...p.items.map((x) => x.id));
        if (all.length >= p.total || !p.items.length) break;
      }
      return all.filter((id) => tasks.some((x) => x.id === id)).sort((a, b) => a - b);
    };
    expect(await seen('community.luming')).toEqual(ids(['XSW', 'LMY']));
    expect(await seen('grid.xiangshuwan')).toEqual(ids(['XSW']));
    expect(await seen('community.julonghu')).toEqual(ids(['JLH']));
    expect(await seen('street.huanghai')).toEqual(ids(['XSW', 'LMY', 'JLH']));
    expect(await seen('admin')).toEqual(ids(['XSW', 'LMY', 'JLH', 'OTHER']));
    expect(ids(['OTHER']).length).toBe(200);
    expect(ids(['JLH']).length).toBeGreaterThan(0);
    // A 橡树湾 building served by another grid: the community still sees its task, the 橡树湾 grid worker no longer does.
    const moved = tasks.find((x) => zoneOf(x.person_id) === 'XSW')!;
    const g3 = (await q<{ id: number }>(sql`select id from grids where code = 'LM-G3'`))[0].id;
    await sql`update brain_verification_tasks set grid_id = ${g3} where id = ${moved.id}`.execute(t.dbh.db);
    expect(await seen('grid.xiangshuwan')).toEqual(ids(['XSW']).filter((id) => id !== moved.id));
    expect((await as('grid.xiangshuwan', 'GET', `/api/verification-tasks/${moved.id}`)).statusCode).toBe(403);
    expect(await seen('community.luming')).toContain(moved.id);
    await sql`update brain_verification_tasks set grid_id = ${moved.grid_id} where id = ${moved.id}`.execute(t.dbh.db);
    // Without the permission: no list at all.
    for (const u of ['resident.demo', 'dept.weijian', 'property.xiangshuwan']) expect((await as(u, 'GET', '/api/verification-tasks')).statusCode).toBe(403);
    // A region filter inside the scope narrows; outside it is refused.
    const lmy = (await q<{ id: number }>(sql`select id from regions where name = '鹿鸣苑'`))[0].id;
    expect((await listAs('community.luming', `&regionId=${lmy}`)).items.map((x) => x.id).sort((a, b) => a - b)).toEqual(ids(['LMY']));
    expect((await as('community.julonghu', 'GET', `/api/verification-tasks?regionId=${lmy}`)).statusCode).toBe(403);

    // Masked: surname and stars, sex, birth year, masked ID and phone, the registry address to go to.
    const item = (await listAs('grid.xiangshuwan')).items.find((x) => x.id === ids(['XSW'])[0]);
    const p = persons.find((x) => x.id === tasks.find((y) => y.id === item.id).person_id)!;
    expect(item.person).toEqual({
      name: p.name[0] + '*'.repeat(p.name.length - 1), sex: p.sex, birthYear: p.birth_date.slice(0, 4),
      idNumber: p.id_number.slice(0, 6) + '********' + p.id_number.slice(-4), phone: expect.toSatisfy((v: any) => v === null || /^\d{3}\*{4}\d{4}$/.test(v)), address: registryAddress.get(p.id),
    });
    expect(item).toMatchObject({ status: 'open', result: null, sourceName: '卫健委来返人员名单（测试）', escalationLevel: 0, overdue: false });
    const body = JSON.stringify((await listAs('community.luming')).items);
    for (const x of persons) {
      expect(body).not.toContain(x.id_number);
      expect(body).not.toContain(x.name);
      if (x.phone) expect(body).not.toContain(x.phone);
    }
  });

  it('a worker of another community can neither read nor close a task; its rows stay as they were', async () => {
    const tasks = await tasksOf();
    const xsw = tasks.find((x) => zoneOf(x.person_id) === 'XSW')!;
    const jlh = tasks.find((x) => zoneOf(x.person_id) === 'JLH')!;
    expect((await as('community.julonghu', 'GET', `/api/verification-tasks/${xsw.id}`)).statusCode).toBe(403);
    expect((await as('grid.xiangshuwan', 'GET', `/api/verification-tasks/${jlh.id}`)).statusCode).toBe(403);
    const before = await tasksOf();
    for (const [user, id] of [['community.julonghu', xsw.id], ['grid.xiangshuwan', jlh.id], ['community.luming', jlh.id], ['resident.demo', xsw.id], ['data.admin', xsw.id]] as const) {
      const res = await as(user, 'POST', `/api/verification-tasks/${id}/result`, { result: 'confirmed' });
      expect([403, 404], `${user} closing ${id}`).toContain(res.statusCode);
    }
    expect(await tasksOf()).toEqual(before);
    expect((await as('community.luming', 'GET', '/api/verification-tasks/999999')).statusCode).toBe(404);
  });

  it('closing records each result once; "wrong person" labels the pair non_match; "other" needs a note', async () => {
    const tasks = (await tasksOf()).filter((x) => zoneOf(x.person_id) === 'XSW');
    const [a, b, c, d] = tasks;
    const close = (user: string, id: number, payload: unknown) => as(user, 'POST', `/api/verification-tasks/${id}/result`, payload);
    const r1 = await close('grid.xiangshuwan', a.id, { result: 'confirmed', note: '已上门，本人在家' });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({ id: a.id, status: 'done', result: 'confirmed', note: '已上门，本人在家', closedBy: '橡树湾网格员' });
    expect((await close('community.luming', b.id, { result: 'not_resident' })).json()).toMatchObject({ status: 'done', result: 'not_resident', note: null });
    const bad = await close('grid.xiangshuwan', d.id, { result: 'other' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['note']);
    expect((await close('grid.xiangshuwan', d.id, { result: 'maybe' })).statusCode).toBe(400);
    expect((await close('grid.xiangshuwan', d.id, { result: 'other', note: '已搬离，去向不明' })).json()).toMatchObject({ result: 'other' });
    const w = await close('grid.xiangshuwan', c.id, { result: 'wrong_person', note: '同名不同人' });
    expect(w.json()).toMatchObject({ result: 'wrong_person' });
    const pair = await q<{ label: string; labelled_by: number }>(sql`select label, labelled_by from brain_match_pairs where job_id = ${jobId} and left_id = ${c.left_id} and right_id = ${c.right_id}`);
    const grid = await q<{ id: number }>(sql`select id from accounts where username = 'grid.xiangshuwan'`);
    expect(pair[0]).toEqual({ label: 'non_match', labelled_by: grid[0].id });
    // A closed task stays closed: 409, and the first result stands.
    const twice = await close('community.luming', a.id, { result: 'not_resident' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('task_closed');
    expect((await as('grid.xiangshuwan', 'GET', `/api/verification-tasks/${a.id}`)).json()).toMatchObject({ result: 'confirmed' });
    // Two workers closing the same task at once: one wins.
    const e = tasks[4];
    const race = await Promise.all([close('grid.xiangshuwan', e.id, { result: 'confirmed' }), close('community.luming', e.id, { result: 'not_resident' })]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    // Every close is audited.
    const audit = await q<{ n: number }>(sql`select count(*) as n from audit_log where action = 'brain.task.result'`);
    expect(Number(audit[0].n)).toBe(5);
    // Done and open lists.
    expect((await listAs('community.luming', '&status=done')).items.every((x) => x.status === 'done')).toBe(true);
    expect((await listAs('community.luming', '&status=done')).total).toBe(5);
  });

  it('progress by street and community adds up, and follows the caller\'s scope', async () => {
    const tasks = await tasksOf();
    const res = await as('admin', 'GET', '/api/verification-tasks/stats');
    expect(res.statusCode).toBe(200);
    const s = res.json();
    const done = tasks.filter((x) => x.status === 'done');
    expect(s.total).toEqual({
      assigned: tasks.length, done: done.length, confirmed: done.filter((x) => x.result === 'confirmed').length,
      wrongPerson: 1, wrongPersonRate: Math.round((1 / done.length) * 10000) / 10000,
    });
    const sum = (rows: any[], k: string) => rows.reduce((a, r) => a + r[k], 0);
    for (const k of ['assigned', 'done', 'confirmed', 'wrongPerson']) {
      expect(sum(s.streets, k)).toBe(s.total[k]);
      expect(sum(s.communities, k)).toBe(s.total[k]);
    }
    expect(s.streets.map((x: any) => x.name)).toContain('黄海街道');
    expect(s.streets.find((x: any) => x.name === '黄海街道').assigned).toBe(tasks.filter((x) => zoneOf(x.person_id) !== 'OTHER').length);
    const lm = s.communities.find((x: any) => x.name === '鹿鸣社区');
    expect(lm.assigned).toBe(tasks.filter((x) => zoneOf(x.person_id) === 'XSW' || zoneOf(x.person_id) === 'LMY').length);
    expect(lm.done).toBe(5);
    expect(s.communities.find((x: any) => x.name === '聚龙湖社区')).toMatchObject({ done: 0, wrongPersonRate: null });
    const own = (await as('community.julonghu', 'GET', '/api/verification-tasks/stats')).json();
    expect(own.communities.map((x: any) => x.name)).toEqual(['聚龙湖社区']);
    expect((await as('data.admin', 'GET', '/api/verification-tasks/stats')).json().total).toEqual(s.total);
    expect((await as('resident.demo', 'GET', '/api/verification-tasks/stats')).statusCode).toBe(403);
    // The cockpit shows the same figures at each level: the district's, and a community's own.
    const district = (await as('admin', 'GET', '/api/cockpit/overview')).json().verificationTasks;
    expect(district).toEqual({ assigned: s.total.assigned, open: s.total.assigned - s.total.done, done: s.total.done, confirmed: s.total.confirmed, wrongPerson: 1 });
    const community = (await as('community.luming', 'GET', '/api/cockpit/overview')).json().verificationTasks;
    expect(community).toMatchObject({ assigned: lm.assigned, done: lm.done, confirmed: lm.confirmed });
  });

  it('an overdue task escalates to the community, then the street, once each, also with two sweeps at the same moment', async () => {
    const jlh = (await tasksOf()).find((x) => zoneOf(x.person_id) === 'JLH' && x.status === 'open')!;
    await sql`update brain_verification_tasks set due_at = now() - interval '1 hour', next_escalation_at = now() - interval '1 hour' where id = ${jlh.id}`.execute(t.dbh.db);
    const sweep = () => escalateOverdueTasks({ db: t.dbh.db });
    const first = await Promise.all([sweep(), sweep()]);
    expect(first.reduce((a, r) => a + r.community, 0)).toBe(1);
    expect(first.reduce((a, r) => a + r.street, 0)).toBe(0);
    let row = (await q<any>(sql`select * from brain_verification_tasks where id = ${jlh.id}`))[0];
    expect(row.escalation_level).toBe(1);
    expect(new Date(row.next_escalation_at).getTime() - new Date(row.due_at).getTime()).toBe(3 * 86400_000);
    const notes = await q<{ username: string }>(sql`select a.username from notifications n join accounts a on a.id = n.account_id where n.kind = 'task_escalated_community' and n.body like ${`%任务编号 ${jlh.id}）%`}`);
    expect(notes.map((n) => n.username)).toEqual(['community.julonghu']);
    expect((await sweep()).community).toBe(0);
    expect((await as('community.julonghu', 'GET', `/api/verification-tasks/${jlh.id}`)).json()).toMatchObject({ escalationLevel: 1, overdue: true });

    // Three more days: the street.
    await sql`update brain_verification_tasks set next_escalation_at = now() - interval '1 minute' where id = ${jlh.id}`.execute(t.dbh.db);
    const second = await Promise.all([sweep(), sweep()]);
    expect(second.reduce((a, r) => a + r.street, 0)).toBe(1);
    row = (await q<any>(sql`select * from brain_verification_tasks where id = ${jlh.id}`))[0];
    expect(row).toMatchObject({ escalation_level: 2, next_escalation_at: null });
    const street = await q<{ username: string }>(sql`select a.username from notifications n join accounts a on a.id = n.account_id where n.kind = 'task_escalated_street' and n.body like ${`%任务编号 ${jlh.id}）%`}`);
    expect(street.map((n) => n.username)).toEqual(['street.huanghai']);
    expect(await sweep()).toEqual({ community: 0, street: 0 });
    const audit = await q<{ n: number }>(sql`select count(*) as n from audit_log where action = 'brain.task.escalate' and target_id = ${String(jlh.id)}`);
    expect(Number(audit[0].n)).toBe(2);
    // A closed task never escalates.
    const closed = (await tasksOf()).find((x) => x.status === 'done')!;
    await sql`update brain_verification_tasks set next_escalation_at = now() - interval '1 hour' where id = ${closed.id}`.execute(t.dbh.db);
    expect(await sweep()).toEqual({ community: 0, street: 0 });
  });

  it('a photo of the visit goes with the result; whoever sees the task sees it, nobody else; a file that is no image closes nothing', async () => {
    const open = (await tasksOf()).filter((x) => zoneOf(x.person_id) === 'XSW' && x.status === 'open');
    expect(open.length).toBeGreaterThanOrEqual(2);
    const [a, b] = open;
    const send = (id: number, fields: Record<string, string>, data: Buffer, type = 'image/jpeg') => {
      const m = multipart(fields, [{ field: 'photo', name: 'visit.jpg', type, data }]);
      return as('grid.xiangshuwan', 'POST', `/api/verification-tasks/${id}/result`, m.payload, m.headers);
    };
    const notImage = await send(a.id, { result: 'confirmed' }, Buffer.from('%PDF-1.4 not a photo'), 'application/pdf');
    expect(notImage.statusCode).toBe(400);
    expect(Object.keys(notImage.json().error.fields)).toEqual(['photo']);
    const missing = await send(a.id, { note: '没有结果' }, await jpegWithGps());
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual({ result: '必填' });
    expect((await q<any>(sql`select status, photo_file_id from brain_verification_tasks where id = ${a.id}`))[0]).toEqual({ status: 'open', photo_file_id: null });

    const done = await send(a.id, { result: 'confirmed', note: '已上门，见门牌照片' }, await jpegWithGps());
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', result: 'confirmed', note: '已上门，见门牌照片', photoId: expect.any(Number) });
    const url = `/api/files/${done.json().photoId}`;
    for (const [user, status] of [['grid.xiangshuwan', 200], ['community.luming', 200], ['street.huanghai', 200], ['community.julonghu', 404], ['resident.demo', 404]] as const) {
      expect((await as(user, 'GET', url)).statusCode, user).toBe(status);
    }
    const served = await as('community.luming', 'GET', url);
    expect((await sharp(served.rawPayload).metadata()).exif).toBeUndefined(); // re-encoded: the phone's GPS is gone
    // JSON still closes a task without a photo.
    expect((await as('grid.xiangshuwan', 'POST', `/api/verification-tasks/${b.id}/result`, { result: 'confirmed' })).json()).toMatchObject({ status: 'done', photoId: null });
  });
});

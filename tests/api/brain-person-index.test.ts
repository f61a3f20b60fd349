import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar, isValidIdNumber } from '../../server/src/core/identity.js';
import { splitConflictingIds } from '../../server/src/modules/brain/linkage/person-index.js';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';
import { PERSON_FIELDS, personCsv, sqlRows, waitFor } from '../helpers/brain.js';
import { multipart } from '../helpers/multipart.js';

/**
 * The person index (一人一档) through the API: a list whose rows copy registry persons is linked to
 * the registry by a match job; a person's page shows the registry record and the linked list
 * records, masked, to the hub's stewards only; a list record with the same name, birth date, phone
 * and address but another valid ID number, accepted in review, is split off and flagged.
 */
describe('red brain: person index', () => {
  let t: TestApp;
  const as = requester(() => t);
  const q = sqlRows(() => t);
  const wait = (url: string, done: (r: any) => boolean) => waitFor(as, url, done);

  interface Person { id: number; name: string; sex: string; birth_date: string; id_number: string; phone: string | null }
  const FIELDS = PERSON_FIELDS;
  const csv = personCsv;
  let registry = 0, list = 0, jobId = 0;
  let persons: Person[] = [];
  let registryAddress = new Map<number, string>();
  let otherId = '';

  beforeAll(async () => {
    t = await createTestApp();
    registry = (await q<{ dataset_id: number }>(sql`select dataset_id from brain_builtin_datasets where code = 'population_registry'`))[0].dataset_id;
    persons = await q<Person>(sql`
      select id, name, sex, to_char(birth_date, 'YYYY-MM-DD') as birth_date, id_number, phone from persons
      where id_number is not null and birth_date is not null and phone is not null order by id limit 400`);
    expect(persons.length).toBe(400);
    const rows = await q<{ key: string; data: any }>(sql`select key, data from brain_rows where dataset_id = ${registry} and key in (${sql.join(persons.slice(0, 4).map((p) => String(p.id)))})`);
    registryAddress = new Map(rows.map((r) => [Number(r.key), (typeof r.data === 'string' ? JSON.parse(r.data) : r.data).address]));
    // Copies of registry persons (the first four with their address), and decoys who share a surname and birth date with one, so the model learns without labels.
    const listRows: Record<string, string>[] = [];
    persons.forEach((p, i) => {
      const sex = p.sex === 'M' ? '男' : '女';
      if (i < 4 || i % 2 === 0) {
        listRows.push({ key: `WJ${String(i).padStart(4, '0')}`, name: p.name, sex, birth_date: p.birth_date, id_no: i % 10 === 4 ? '' : p.id_number, phone: i % 3 === 1 ? '' : p.phone!, address: registryAddress.get(p.id) ?? '' });
      } else {
        const given = '德馨若素怀瑾安澜'.slice(i % 7, (i % 7) + 2);
        listRows.push({ key: `WD${String(i).padStart(4, '0')}`, name: p.name[0] + given, sex, birth_date: p.birth_date, id_no: `9${p.id_number.slice(1, 17)}${i % 10}`, phone: '', address: `外省某市某路${i}号` });
      }
    });
    // Planted: persons[1]'s name, sex, birth date, phone and address with another valid ID number.
    const p1 = persons[1];
    const seq = String((Number(p1.id_number.slice(14, 17)) + 2) % 1000).padStart(3, '0');
    otherId = p1.id_number.slice(0, 14) + seq + idCheckChar(p1.id_number.slice(0, 14) + seq);
    expect(isValidIdNumber(otherId) && otherId !== p1.id_number).toBe(true);
    listRows.push({ key: 'WC0001', name: p1.name, sex: p1.sex === 'M' ? '男' : '女', birth_date: p1.birth_date, id_no: otherId, phone: p1.phone!, address: registryAddress.get(p1.id)! });
    const sys = (await as('data.admin', 'GET', '/api/brain/systems?q=健康')).json().items[0];
    const fields = FIELDS.map((f) => ({ name: f, type: 'text', personal: f === 'key' || f === 'sex' ? 'none' : 'personal', ...(f === 'key' ? { key: true } : {}) }));
    const ds = await as('data.admin', 'POST', '/api/brain/datasets', { name: '卫健委随访名单（一人一档测试）', systemId: sys.id, shareType: 'conditional', fields, legalBasis: 'public_health', purpose: '核查' });
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

  const person = (id: number, user = 'data.admin', query = '') => as(user, 'GET', `/api/brain/persons/${id}${query}`);

  it('shows the registry record and the linked list records, masked', async () => {
    const p = persons[0];
    const res = await person(p.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ personId: String(p.id), masked: true, flags: [], split: [], withheld: 0 });
    expect(body.registry).toMatchObject({ datasetId: registry, datasetName: '人口库（一人一档）', key: String(p.id) });
    expect(body.registry.values.name).toBe(p.name[0] + '*'.repeat(p.name.length - 1));
    expect(body.records).toHaveLength(1);
    expect(body.records[0]).toMatchObject({ datasetId: list, datasetName: '卫健委随访名单（一人一档测试）', departmentName: '市卫生健康委员会', key: 'WJ0000', jobId, decidedBy: 'auto' });
    expect(body.records[0].weight).toBeGreaterThan(0);
    expect(body.records[0].probability).toBeGreaterThan(0.9);
    expect(Date.parse(body.records[0].updatedAt)).not.toBeNaN();
    expect(body.records[0].values.id_no).toMatch(/\*/);
    // Nothing in the body gives the ID number or the phone away.
    expect(res.body).not.toContain(p.id_number);
    expect(res.body).not.toContain(p.phone);
    expect(res.body).not.toContain(p.id_number.slice(6, 14));
  });

  it('is for the hub\'s stewards only; unmasking needs people:unmask and a purpose, and is logged', async () => {
    expect((await person(persons[0].id, 'dept.weijian')).statusCode).toBe(403);
    expect((await person(persons[0].id, 'community.luming')).statusCode).toBe(403);
    expect((await person(999_999_999)).statusCode).toBe(404);
    expect((await person(persons[0].id, 'data.admin', '?unmasked=true&purpose=核实身份')).statusCode).toBe(403);
    expect((await person(persons[0].id, 'admin', '?unmasked=true')).statusCode).toBe(400);
    const before = Number((await q<{ n: number }>(sql`select count(*) as n from pi_access_log where target_type = 'person' and target_id = ${String(persons[0].id)}`))[0].n);
    const res = await person(persons[0].id, 'admin', '?unmasked=true&purpose=核实身份');
    expect(res.statusCode).toBe(200);
    expect(res.json().masked).toBe(false);
    expect(res.json().registry.values.id_no).toBe(persons[0].id_number);
    const log = await q<{ purpose: string; kind: string }>(sql`select purpose, kind from pi_access_log where target_type = 'person' and target_id = ${String(persons[0].id)} order by id`);
    expect(log.length).toBe(before + 1);
    expect(log.at(-1)).toMatchObject({ kind: 'unmask', purpose: '核实身份' });
  });

  it('splits and flags a link that would join two different valid ID numbers', async () => {
    const p1 = persons[1];
    const planted = await q<{ left_id: number; right_id: number; decision: string | null; label: string | null }>(sql`
      select p.left_id, p.right_id, p.decision, p.label from brain_match_pairs p join brain_link_records l on l.id = p.left_id join brain_link_records r on r.id = p.right_id
      where p.job_id = ${jobId} and l.key = 'WC0001' and r.key = ${String(p1.id)}`);
    expect(planted).toHaveLength(1);
    const pairId = `${planted[0].left_id}-${planted[0].right_id}`;
    // Not accepted by the model (the ID numbers differ): the person is not flagged yet.
    expect(planted[0].decision).not.toBe('auto');
    const before = (await person(p1.id)).json();
    expect(before.flags).toEqual([]);
    expect(before.records.map((r: any) => r.key)).toEqual(['WJ0001']);
    // A reviewer accepts it anyway: the person index refuses to merge.
    expect((await as('data.admin', 'POST', `/api/brain/match-jobs/${jobId}/pairs/${pairId}/label`, { label: 'match' })).statusCode).toBe(200);
    const res = await person(p1.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.records.map((r: any) => r.key)).toEqual(['WJ0001']);
    expect(body.split).toHaveLength(1);
    expect(body.split[0]).toMatchObject({ key: 'WC0001', decidedBy: 'review', pairId });
    expect(body.flags).toEqual([{ code: 'conflicting_ids', pairs: [{ left: { datasetId: registry, datasetName: '人口库（一人一档）', key: String(p1.id) }, right: { datasetId: list, datasetName: '卫健委随访名单（一人一档测试）', key: 'WC0001' } }] }]);
    expect(res.body).not.toContain(otherId);
    expect(res.body).not.toContain(p1.id_number);
    // Rejecting the pair again takes it off the person altogether.
    await as('data.admin', 'POST', `/api/brain/match-jobs/${jobId}/pairs/${pairId}/label`, { label: 'non_match' });
    const after = (await person(p1.id)).json();
    expect(after).toMatchObject({ flags: [], split: [] });
  });

  it('without a valid registry ID, records whose valid IDs differ are split from each other', () => {
    const ref = (key: string) => ({ datasetId: 1, datasetName: 'd', key });
    const a = { ref: ref('a'), validId: 'X' }, b = { ref: ref('b'), validId: 'Y' }, c = { ref: ref('c'), validId: null }, d = { ref: ref('d'), validId: 'X' };
    const out = splitConflictingIds({ ref: ref('reg'), validId: null }, [a, b, c, d]);
    expect([...out.split].map((x) => x.ref.key).sort()).toEqual(['a', 'b', 'd']);
    expect(out.pairs).toHaveLength(2);
    const anchored = splitConflictingIds({ ref: ref('reg'), validId: 'X' }, [a, b, c, d]);
    expect([...anchored.split].map((x) => x.ref.key)).toEqual(['b']);
  });
});

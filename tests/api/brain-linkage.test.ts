import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainMatchJobs } from '../../server/src/modules/brain/linkage/jobs.js';
import { generateLinkageData, type PersonRow } from '../../bench/linkage-data.js';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';
import { PERSON_FIELDS, personCsv, waitFor } from '../helpers/brain.js';
import { multipart } from '../helpers/multipart.js';

/**
 * Match jobs through the API: two person datasets uploaded as CSV (a clean registry and a dirty
 * list with planted true links and decoys), a job with the contract's counts, timings and links
 * (the datasets' own keys, an explanation per field in Chinese), who may start one, review labels
 * and a re-score, and a job whose instance died restarting without duplicating a pair.
 */
describe('red brain: record linkage (match jobs)', () => {
  let t: TestApp;
  const data = generateLinkageData({ population: 3000, list: 300, seed: 5 });
  const as = requester(() => t);
  const wait = (url: string, done: (r: any) => boolean) => waitFor(as, url, done);
  const FIELDS = PERSON_FIELDS;
  const csv = personCsv;
  async function personDataset(name: string, rows: PersonRow[], shareType = 'conditional') {
    const sys = (await as('data.admin', 'GET', '/api/brain/systems?q=健康')).json().items[0];
    const fields = FIELDS.map((f) => ({ name: f, type: 'text', personal: f === 'key' || f === 'sex' ? 'none' : 'personal', ...(f === 'key' ? { key: true } : {}) }));
    const ds = await as('data.admin', 'POST', '/api/brain/datasets', { name, systemId: sys.id, shareType, fields, legalBasis: 'public_health', purpose: '核查' });
    expect(ds.statusCode).toBe(201);
    const m = multipart({}, [{ field: 'file', name: 'rows.csv', type: 'text/csv', data: csv(rows) }]);
    const up = await as('data.admin', 'POST', `/api/brain/datasets/${ds.json().id}/uploads`, m.payload, m.headers);
    expect(up.statusCode).toBe(202);
    const run = await wait(`/api/brain/runs/${up.json().runId}`, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(run).toMatchObject({ status: 'succeeded', rejected: 0 });
    return ds.json().id as number;
  }
  let registry = 0, list = 0, jobId = 0;

  beforeAll(async () => {
    t = await createTestApp();
    registry = await personDataset('人口库（测试）', data.population);
    list = await personDataset('卫健委名单（测试）', data.list);
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('a job links the dirty list to the registry: counts, rules, timings and links with explanations', async () => {
    const created = await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: list, rightDatasetId: registry });
    expect(created.statusCode).toBe(201);
    jobId = created.json().id;
    const job = await wait(`/api/brain/match-jobs/${jobId}`, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(job.status).toBe('succeeded');
    expect(job.counts.candidatePairs).toBe(job.counts.auto + job.counts.review + job.counts.none);
    expect(job.counts.leftRecords).toBe(300);
    expect(job.ruleCounts.map((r: any) => r.rule)).toEqual(['id', 'phone', 'birth_surname', 'name_year', 'address_name']);
    expect(job.ruleCounts.every((r: any) => r.pairs > 0)).toBe(true);
    for (const s of ['standardise', 'block', 'compare', 'estimate', 'score', 'decide', 'total']) expect(job.timings[s]).toBeGreaterThanOrEqual(0);
    expect(job.model.converged).toBe(true);
    // The expected-precision curve rises with the threshold.
    const at = (x: number) => job.curve.find((c: any) => c.threshold === x);
    expect(at(0.99).precision).toBeGreaterThanOrEqual(at(0.5).precision);

    const links: any[] = [];
    for (let page = 1; ; page++) {
      const p = (await as('data.admin', 'GET', `/api/brain/match-jobs/${jobId}/links?decision=auto&page=${page}&pageSize=100`)).json();
      links.push(...p.items);
      if (links.length >= p.total) break;
    }
    expect(links.length).toBe(job.counts.auto);
    const right = links.filter((l) => data.truth.get(l.leftKey) === l.rightKey).length;
    expect(right / links.length).toBeGreaterThanOrEqual(0.99); // precision
    expect(right / data.truth.size).toBeGreaterThanOrEqual(0.97); // recall
    // No list row and no registry person is auto-linked twice.
    expect(new Set(links.map((l) => l.leftKey)).size).toBe(links.length);
    expect(new Set(links.map((l) => l.rightKey)).size).toBe(links.length);
    // Decoys (same name and birth year as a resident) are never auto-linked.
    const decoys = data.list.filter((r) => !data.truth.has(r.key)).map((r) => r.key);
    expect(links.filter((l) => decoys.includes(l.leftKey))).toEqual([]);

    const l = links[0];
    expect(l.probability).toBeGreaterThanOrEqual(0.95);
    expect(l.explanation.map((e: any) => e.field)).toEqual(['id_no', 'name', 'birth_date', 'sex', 'phone', 'address']);
    const sum = l.explanation.reduce((s: number, e: any) => s + e.weight, 0);
    expect(sum).toBeGreaterThan(0);
    const idExact = links.find((x) => x.explanation[0].level === 'exact');
    expect(idExact.explanation[0]).toMatchObject({ label: '身份证号相同' });
    expect(idExact.explanation[0].weight).toBeGreaterThan(5);
    const missing = links.flatMap((x) => x.explanation).find((e: any) => e.level === 'missing');
    expect(missing.weight).toBe(0);
    expect(missing.label).toMatch(/缺失$/);
    // A homophone written into the list is scored as such, and still links.
    const homophone = links.flatMap((x) => x.explanation).find((e: any) => e.field === 'name' && e.level === 'pinyin');
    expect(homophone).toMatchObject({ label: '姓名同音' });
    expect(homophone.weight).toBeGreaterThan(0);
  });

  it('a short list whose people are all in the registry still links (random pairs give the model its non-matches)', async () => {
    const short = await personDataset('短名单（测试）', data.list.filter((r) => data.truth.has(r.key)).slice(0, 15));
    const id = (await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: short, rightDatasetId: registry })).json().id;
    const job = await wait(`/api/brain/match-jobs/${id}`, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(job.status).toBe('succeeded');
    const links = (await as('data.admin', 'GET', `/api/brain/match-jobs/${id}/links?decision=auto&pageSize=100`)).json().items;
    expect(links.filter((l: any) => data.truth.get(l.leftKey) === l.rightKey).length).toBeGreaterThanOrEqual(14);
    expect(links.every((l: any) => data.truth.get(l.leftKey) === l.rightKey)).toBe(true);
  });

  it('only the hub stewards start jobs, never over a dataset that is not shared; bad input is 4xx naming the field', async () => {
    expect((await as('dept.weijian', 'POST', '/api/brain/match-jobs', { leftDatasetId: list, rightDatasetId: registry })).statusCode).toBe(403);
    expect((await as('resident.demo', 'GET', `/api/brain/match-jobs/${jobId}`)).statusCode).toBe(403);
    expect((await as('dept.weijian', 'GET', `/api/brain/match-jobs/${jobId}/links`)).statusCode).toBe(403);
    const order = await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: list, rightDatasetId: registry, thresholds: { auto: 0.6, review: 0.9 } });
    expect(order.statusCode).toBe(400);
    expect(Object.keys(order.json().error.fields)).toEqual(['thresholds.review']);
    const missing = await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: 99999, rightDatasetId: registry });
    expect(missing.statusCode).toBe(404);
    expect(Object.keys(missing.json().error.fields)).toEqual(['leftDatasetId']);
    const probes = (await as('data.admin', 'GET', '/api/brain/datasets?q=探针')).json().items[0];
    const notPerson = await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: probes.id, rightDatasetId: registry });
    expect(notPerson.statusCode).toBe(400);
    expect(Object.keys(notPerson.json().error.fields)).toEqual(['leftDatasetId']);
    // 不予共享: the provider's own data never enters a linkage run by the hub; the refusal is logged.
    const closed = await personDataset('内部名单（不予共享）', data.list.slice(0, 20), 'none');
    expect((await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: closed, rightDatasetId: registry })).statusCode).toBe(403);
    const log = (await as('data.admin', 'GET', `/api/brain/exchange-log?kind=match&datasetId=${closed}`)).json();
    expect(log.items[0]).toMatchObject({ outcome: 'denied' });
    // The started job's use of both datasets is on the exchange log.
    const used = (await as('data.admin', 'GET', `/api/brain/exchange-log?kind=match&datasetId=${registry}`)).json();
    expect(used.items.some((e: any) => e.outcome === 'ok')).toBe(true);
  });

  it('review labels are kept, and a re-score with them reports precision on the reviewed pairs before and after', async () => {
    const created = await as('data.admin', 'POST', '/api/brain/match-jobs', { leftDatasetId: list, rightDatasetId: registry, thresholds: { auto: 0.999999, review: 0.001 } });
    const id = created.json().id;
    const job = await wait(`/api/brain/match-jobs/${id}`, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(job.counts.review).toBeGreaterThan(0);
    const review = (await as('data.admin', 'GET', `/api/brain/match-jobs/${id}/links?decision=review&pageSize=20`)).json().items;
    for (const p of review) {
      const label = data.truth.get(p.leftKey) === p.rightKey ? 'match' : 'non_match';
      const r = await as('data.admin', 'POST', `/api/brain/match-jobs/${id}/pairs/${p.pairId}/label`, { label });
      expect(r.statusCode).toBe(200);
    }
    expect((await as('data.admin', 'POST', `/api/brain/match-jobs/${id}/pairs/1-2/label`, { label: 'match' })).statusCode).toBe(404);
    expect((await as('data.admin', 'POST', `/api/brain/match-jobs/${id}/pairs/${review[0].pairId}/label`, { label: 'maybe' })).statusCode).toBe(400);
    const labelled = (await as('data.admin', 'GET', `/api/brain/match-jobs/${id}/links?label=match&pageSize=100`)).json();
    expect(labelled.total).toBe(review.filter((p: any) => data.truth.get(p.leftKey) === p.rightKey).length);

    const again = await as('data.admin', 'POST', `/api/brain/match-jobs/${id}/rescore`, { thresholds: { auto: 0.95, review: 0.5 } });
    expect(again.statusCode).toBe(202);
    const after = await wait(`/api/brain/match-jobs/${id}`, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(after.status).toBe('succeeded');
    expect(after.thresholds).toEqual({ auto: 0.95, review: 0.5 });
    expect(after.labelReport.labelled).toBe(review.length);
    expect(after.labelReport.after).not.toBeNull();
    // Re-scoring keeps the pairs (and their labels): the candidate count is unchanged.
    expect(after.counts.candidatePairs).toBe(job.counts.candidatePairs);
  });

  it('a pair for review shows both records side by side, always masked, with what differs marked; a bad pair is 404', async () => {
    const links: any[] = (await as('data.admin', 'GET', `/api/brain/match-jobs/${jobId}/links?decision=auto&pageSize=100`)).json().items;
    const level = (l: any, field: string) => l.explanation.find((e: any) => e.field === field).level;
    const withPhone = links.find((l) => level(l, 'id_no') === 'exact' && level(l, 'phone') === 'exact');
    const homophone = links.find((l) => level(l, 'name') === 'pinyin');
    expect(withPhone && homophone).toBeTruthy();
    for (const l of [withPhone, homophone]) {
      const res = await as('data.admin', 'GET', `/api/brain/match-jobs/${jobId}/pairs/${l.pairId}`);
      expect(res.statusCode).toBe(200);
      const p = res.json();
      expect(p).toMatchObject({ pairId: l.pairId, weight: l.weight, decision: 'auto', explanation: l.explanation });
      expect(p.left).toMatchObject({ datasetId: list, datasetName: '卫健委名单（测试）', key: l.leftKey });
      expect(p.right).toMatchObject({ datasetId: registry, datasetName: '人口库（测试）', key: l.rightKey });
      expect(Object.keys(p.right.values).sort()).toEqual(['address', 'birth_date', 'id_no', 'name', 'phone', 'sex']);
      // Never a full ID number, phone or name: the stewards see masked values only.
      const src = [data.list.find((r) => r.key === l.leftKey)!, data.population.find((r) => r.key === l.rightKey)!];
      for (const r of src) {
        for (const v of [r.id_no, r.phone, r.name, r.address, r.birth_date].filter((v) => v && v.length > 1)) expect(res.body).not.toContain(v);
      }
      const shown = JSON.stringify([p.left.values, p.right.values]);
      expect(shown).not.toMatch(/\d{15}|\d{11}/);
      expect(p.right.values.id_no).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(p.right.values.birth_date).toMatch(/^\d{4}-\*\*-\*\*$/);
      expect(p.fields.map((f: any) => f.field)).toEqual(['id_no', 'name', 'birth_date', 'sex', 'phone', 'address']);
    }
    const same = async (l: any) => Object.fromEntries((await as('data.admin', 'GET', `/api/brain/match-jobs/${jobId}/pairs/${l.pairId}`)).json().fields.map((f: any) => [f.field, f.same]));
    expect(await same(withPhone)).toMatchObject({ id_no: true, phone: true });
    expect((await same(homophone)).name).toBe(false);

    for (const bad of ['1-2', 'abc', `${withPhone.pairId}-1`, '99999999999-1']) {
      expect((await as('data.admin', 'GET', `/api/brain/match-jobs/${jobId}/pairs/${bad}`)).statusCode).toBe(404);
    }
    expect((await as('data.admin', 'GET', `/api/brain/match-jobs/99999/pairs/${withPhone.pairId}`)).statusCode).toBe(404);
    expect((await as('dept.weijian', 'GET', `/api/brain/match-jobs/${jobId}/pairs/${withPhone.pairId}`)).statusCode).toBe(403);
  });

  it('a job whose instance died half-way is taken again and restarts cleanly, without a duplicate pair', async () => {
    const before = (await as('data.admin', 'GET', `/api/brain/match-jobs/${jobId}`)).json();
    // As a crash mid-compare leaves it: running, a stale heartbeat, part of the pairs compared.
    await sql`update brain_match_jobs set status = 'running', stage = 'compare', heartbeat_at = now() - interval '5 minutes' where id = ${jobId}`.execute(t.dbh.db);
    await sql`update brain_match_pairs set g = null, decision = null where job_id = ${jobId} and left_id % 2 = 0`.execute(t.dbh.db);
    await drainMatchJobs({ db: t.dbh.db });
    const after = (await as('data.admin', 'GET', `/api/brain/match-jobs/${jobId}`)).json();
    expect(after).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(after.counts).toEqual(before.counts);
    const dup = await sql<{ n: number }>`select count(*)::int as n from (select left_id, right_id from brain_match_pairs where job_id = ${jobId} group by 1, 2 having count(*) > 1) d`.execute(t.dbh.db);
    expect(Number(dup.rows[0].n)).toBe(0);
    const undecided = await sql<{ n: number }>`select count(*)::int as n from brain_match_pairs where job_id = ${jobId} and (g is null or decision is null)`.execute(t.dbh.db);
    expect(Number(undecided.rows[0].n)).toBe(0);
  });
});

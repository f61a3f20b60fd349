import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEd25519 } from '../../server/src/core/secret-box.js';
import { createPublicKey } from 'node:crypto';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';
import { multipart } from '../helpers/multipart.js';

/**
 * The Red Brain hub's own loop: registering a department, a system and a dataset; a file import
 * (CSV and .xlsx) with a column mapping, preview, progress, rejects and an idempotent repeat; the
 * catalogue; reading rows under the share type and approvals (403 and logged without one, until it
 * expires with one); the exchange log's chain and signatures, and a tampered record caught.
 */
describe('red brain: registry, file drop, approvals, exchange log', () => {
  let t: TestApp;
  const as = requester(() => t);
  const upload = async (user: string, url: string, name: string, data: Buffer, fields: Record<string, string> = {}) => {
    const m = multipart(fields, [{ field: 'file', name, type: name.endsWith('.csv') ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data }]);
    return as(user, 'POST', url, m.payload, m.headers);
  };
  const waitRun = async (runId: number) => {
    for (let i = 0; i < 300; i++) {
      const r = (await as('data.admin', 'GET', `/api/brain/runs/${runId}`)).json();
      if (r.status === 'succeeded' || r.status === 'failed') return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`run ${runId} did not finish`);
  };
  let datasetId = 0;

  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it('the demo registry holds 30+ departments and 60+ systems; the catalogue pages and filters', async () => {
    const deps = (await as('data.admin', 'GET', '/api/brain/departments?pageSize=100')).json();
    expect(deps.total).toBeGreaterThanOrEqual(30);
    const systems = (await as('data.admin', 'GET', '/api/brain/systems?pageSize=1')).json();
    expect(systems.total).toBeGreaterThanOrEqual(60);
    const cat = (await as('dept.minzheng', 'GET', '/api/brain/datasets?shareType=conditional&pageSize=100')).json();
    expect(cat.total).toBeGreaterThan(5);
    expect(cat.items.every((d: any) => d.shareType === 'conditional')).toBe(true);
    const elders = cat.items.find((d: any) => d.name === '高龄独居老人名单');
    expect(elders).toMatchObject({ rowCount: 300, freshness: 'fresh', personal: true, department: { name: '市民政局' } });
    // A resident or a community worker has no business in the hub.
    expect((await as('resident.demo', 'GET', '/api/brain/datasets')).statusCode).toBe(403);
    expect((await as('community.luming', 'GET', '/api/brain/datasets')).statusCode).toBe(403);
  });

  it('the district cockpit shows the hub: sources connected, rows moved today, freshness; a street cockpit does not', async () => {
    const o = (await as('admin', 'GET', '/api/cockpit/overview')).json();
    expect(o.brain.departments).toBeGreaterThanOrEqual(30);
    expect(o.brain.systems).toBeGreaterThanOrEqual(60);
    expect(o.brain.sourcesConnected).toBeGreaterThanOrEqual(2);
    expect(o.brain.fresh + o.brain.stale).toBe(o.brain.sourcesConnected);
    expect((await as('street.huanghai', 'GET', '/api/cockpit/overview')).json().brain).toBeUndefined();
  });

  it('registers a department, a system and a dataset, with the declaration rules enforced', async () => {
    const dep = await as('data.admin', 'POST', '/api/brain/departments', { name: '市测试局', code: 'cesj', level: 'city' });
    expect(dep.statusCode).toBe(201);
    expect((await as('data.admin', 'POST', '/api/brain/departments', { name: '市测试局', code: 'cesj2' })).statusCode).toBe(409);
    expect((await as('dept.minzheng', 'POST', '/api/brain/departments', { name: '市另一局', code: 'lingy' })).statusCode).toBe(403);
    const sys = await as('data.admin', 'POST', '/api/brain/systems', { name: '测试人口系统', departmentId: dep.json().id });
    expect(sys.statusCode).toBe(201);
    const fields = [
      { name: 'idNumber', label: '身份证号', type: 'text', personal: 'personal', key: true }, { name: 'name', label: '姓名', type: 'text', personal: 'personal' },
      { name: 'phone', label: '手机号', type: 'text', personal: 'personal' }, { name: 'birthDate', label: '出生日期', type: 'date', personal: 'personal' }, { name: 'score', label: '分值', type: 'int' },
    ];
    const noKey = await as('data.admin', 'POST', '/api/brain/datasets', { name: '无主键', systemId: sys.json().id, shareType: 'open', fields: fields.map(({ key: _k, ...f }) => f), legalBasis: 'legal_duty', purpose: '测试用途' });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.fields.fields).toBeTruthy();
    const noBasis = await as('data.admin', 'POST', '/api/brain/datasets', { name: '无依据', systemId: sys.json().id, shareType: 'open', fields });
    expect(noBasis.statusCode).toBe(400);
    expect(Object.keys(noBasis.json().error.fields)).toContain('legalBasis');
    const mz = (await as('data.admin', 'GET', '/api/brain/departments?q=民政')).json().items[0];
    const created = await as('data.admin', 'POST', '/api/brain/datasets', {
      name: '测试人口名单', systemId: sys.json().id, shareType: 'conditional', fields, legalBasis: 'legal_duty', purpose: '基层治理', consumerDepartmentIds: [mz.id],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ keyFields: ['idNumber'], shareType: 'conditional', rowCount: 0, freshness: 'never', consumers: [{ name: '市民政局' }] });
    datasetId = created.json().id;
  });

  it('imports a CSV with a column mapping: preview, progress to the end, rejects with reasons, a repeat adds no rows', async () => {
    const csv = Buffer.from([
      '证件号码,姓名,电话,生日,得分',
      '320902199001011234,张三,13800001111,1990-01-01,5',
      '320902199202022345,李四,13800002222,1992/2/2,7',
      '320902199303033456,王五,,19930303,x',   // a bad int: rejected
      ',赵六,13800004444,1994-04-04,1',        // no key: rejected
      '320902199505055678,钱七,13800005555,1995年5月5日,9',
    ].join('\n'));
    const mapping = JSON.stringify({ 证件号码: 'idNumber', 姓名: 'name', 电话: 'phone', 生日: 'birthDate', 得分: 'score' });
    const preview = await upload('data.admin', `/api/brain/datasets/${datasetId}/uploads/preview`, 'people.csv', csv, { mapping });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().rows).toHaveLength(5);
    expect(preview.json().rows.filter((r: any) => !r.ok)).toHaveLength(2);
    const up = await upload('data.admin', `/api/brain/datasets/${datasetId}/uploads`, 'people.csv', csv, { mapping });
    expect(up.statusCode, up.body).toBe(202);
    const run = await waitRun(up.json().runId);
    expect(run).toMatchObject({ status: 'succeeded', progress: 1, rowsIn: 5, inserted: 3, updated: 0, rejected: 2, kind: 'file' });
    expect(run.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    const rejects = await as('data.admin', 'GET', `/api/brain/runs/${run.id}/rejects.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(rejects.rawPayload as any);
    const reasons = [2, 3].map((r) => String(wb.worksheets[0].getRow(r).getCell(2).value));
    expect(reasons[0]).toContain('不是有效的整数');
    expect(reasons[1]).toContain('主键');
    // The mapping was saved: the same file again without one upserts, adding nothing.
    const again = await waitRun((await upload('data.admin', `/api/brain/datasets/${datasetId}/uploads`, 'people.csv', csv)).json().runId);
    expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 3, rejected: 2 });
    const count = await t.dbh.db.selectFrom('brain_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset_id', '=', datasetId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('imports an .xlsx: a changed row is updated, a new one inserted', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['证件号码', '姓名', '电话', '生日', '得分']);
    ws.addRow(['320902199001011234', '张三', '13800001111', new Date(Date.UTC(1990, 0, 1)), 6]);
    ws.addRow(['320902199606066789', '孙八', '13800006666', '1996-06-06', 3]);
    const up = await upload('data.admin', `/api/brain/datasets/${datasetId}/uploads`, 'people.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(up.statusCode, up.body).toBe(202);
    expect(await waitRun(up.json().runId)).toMatchObject({ status: 'succeeded', rowsIn: 2, inserted: 1, updated: 1, rejected: 0 });
    const ds = (await as('data.admin', 'GET', `/api/brain/datasets/${datasetId}`)).json();
    expect(ds).toMatchObject({ rowCount: 4, freshness: 'fresh' });
    expect(ds.runs[0]).toMatchObject({ status: 'succeeded', fileName: expect.any(String) });
  });

  it('refuses files that are neither CSV nor .xlsx, and a mapping without the key', async () => {
    const bin = await upload('data.admin', `/api/brain/datasets/${datasetId}/uploads`, 'x.csv', Buffer.from([0, 1, 2, 3, 0, 0, 7]));
    expect(bin.statusCode).toBe(400);
    const noKey = await upload('data.admin', `/api/brain/datasets/${datasetId}/uploads`, 'x.csv', Buffer.from('姓名\n张三\n'), { mapping: JSON.stringify({ 姓名: 'name' }) });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.fields.mapping, noKey.body).toBeTruthy();
  });

  it('shows stewards a masked sample', async () => {
    const s = (await as('data.admin', 'GET', `/api/brain/datasets/${datasetId}/sample`)).json();
    expect(s.masked, JSON.stringify(s)).toBe(true);
    const zs = s.items.find((i: any) => i.key === '320902199001011234');
    expect(zs.values).toMatchObject({ idNumber: '320902********1234', name: '张*', phone: '138****1111', birthDate: '1990-**-**', score: 6 });
    expect((await as('data.admin', 'GET', `/api/brain/datasets/${datasetId}/rows?unmasked=true&purpose=${encodeURIComponent('入户核查身份')}`)).statusCode).toBe(403);
  });

  it('conditional data: 403 and logged without an approval; readable (approved fields only) with one; closed again after it expires', async () => {
    const denied = await as('dept.minzheng', 'GET', `/api/brain/datasets/${datasetId}/rows`);
    expect(denied.statusCode, denied.body).toBe(403);
    expect(denied.json().error.message).toContain('使用批准');
    const log = await t.dbh.db.selectFrom('brain_exchange_log').selectAll().where('dataset_id', '=', datasetId).where('kind', '=', 'read').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(log.outcome).toBe('denied');
    // 市卫健委 is not a listed consumer: it may not even ask.
    const notConsumer = await as('dept.weijian', 'POST', '/api/brain/approvals', { datasetId, purpose: '慢病随访服务', legalBasis: 'public_health', fields: ['name'], expiresAt: new Date(Date.now() + 86400_000).toISOString() });
    expect(notConsumer.statusCode).toBe(403);
    const req = await as('dept.minzheng', 'POST', '/api/brain/approvals', {
      datasetId, purpose: '低保复核入户核对', legalBasis: 'legal_duty', fields: ['idNumber', 'name', 'score'], expiresAt: new Date(Date.now() + 30 * 86400_000).toISOString(),
    });
    expect(req.statusCode).toBe(201);
    expect(req.json()).toMatchObject({ status: 'pending', live: false, consumer: { name: '市民政局' }, provider: { name: '市测试局' } });
    // The consumer cannot approve its own request; only the provider's user can.
    expect((await as('dept.minzheng', 'POST', `/api/brain/approvals/${req.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    const provider = (await as('data.admin', 'GET', '/api/brain/departments?q=cesj')).json().items[0];
    await t.dbh.db.insertInto('brain_department_accounts').values({ account_id: (await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'dept.gongan').executeTakeFirstOrThrow()).id, department_id: provider.id })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ department_id: provider.id })).execute();
    const inbox = (await as('dept.gongan', 'GET', '/api/brain/approvals?box=inbox&status=pending')).json();
    expect(inbox.items.map((a: any) => a.id)).toContain(req.json().id);
    const ok = await as('dept.gongan', 'POST', `/api/brain/approvals/${req.json().id}/decision`, { decision: 'approve', note: '同意，限期使用' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', live: true });
    expect((await as('dept.gongan', 'POST', `/api/brain/approvals/${req.json().id}/decision`, { decision: 'reject', note: '再次' })).statusCode).toBe(409);

    const rows = await as('dept.minzheng', 'GET', `/api/brain/datasets/${datasetId}/rows?pageSize=10`);
    expect(rows.statusCode).toBe(200);
    const body = rows.json();
    expect(body).toMatchObject({ access: 'approved', masked: true, total: 4 });
    expect(body.fields.map((f: any) => f.name)).toEqual(['idNumber', 'name', 'score']);
    expect(Object.keys(body.items[0].values)).toEqual(['idNumber', 'name', 'score']);
    const read = await t.dbh.db.selectFrom('brain_exchange_log').selectAll().where('dataset_id', '=', datasetId).where('kind', '=', 'read').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(read).toMatchObject({ outcome: 'ok', row_count: 4, content_sha256: body.contentSha256, purpose: '低保复核入户核对' });
    // Unmasked with a purpose: the full values, and a personal-data access record.
    const clear = (await as('dept.minzheng', 'GET', `/api/brain/datasets/${datasetId}/rows?unmasked=true&purpose=${encodeURIComponent('入户核对身份')}`)).json();
    expect(clear.items.map((i: any) => i.values.idNumber)).toContain('320902199001011234');
    const pi = await t.dbh.db.selectFrom('pi_access_log').selectAll().where('target_type', '=', 'brain_dataset').where('target_id', '=', String(datasetId)).execute();
    expect(pi).toHaveLength(1);
    expect(pi[0].fields).toEqual(['idNumber', 'name']);

    // The period ends: access ends at once, and the sweep marks it expired with a log record.
    await t.dbh.db.updateTable('brain_approvals').set({ starts_at: new Date(Date.now() - 86400_000), expires_at: new Date(Date.now() - 1000) }).where('id', '=', req.json().id).execute();
    expect((await as('dept.minzheng', 'GET', `/api/brain/datasets/${datasetId}/rows`)).statusCode).toBe(403);
    const { expireApprovals } = await import('../../server/src/modules/brain/approvals.js');
    expect(await expireApprovals(t.dbh.db, t.app.secrets)).toBeGreaterThanOrEqual(1);
    expect((await as('dept.minzheng', 'GET', `/api/brain/approvals/${req.json().id}`)).json().status).toBe('expired');
  });

  it('不予共享 never leaves its department', async () => {
    const none = (await as('data.admin', 'GET', '/api/brain/datasets?shareType=none&pageSize=100')).json().items.find((d: any) => d.name === '特困供养人员');
    expect((await as('dept.weijian', 'GET', `/api/brain/datasets/${none.id}/rows`)).statusCode).toBe(403);
    expect((await as('dept.minzheng', 'GET', `/api/brain/datasets/${none.id}/rows`)).statusCode).toBe(200);
    const ask = await as('dept.weijian', 'POST', '/api/brain/approvals', { datasetId: none.id, purpose: '随访服务', legalBasis: 'public_health', fields: ['name'], expiresAt: new Date(Date.now() + 86400_000).toISOString() });
    expect(ask.statusCode).toBe(400);
  });

  it('PIPL retention: probe sightings older than 14 days are deleted by the sweep, and the deletion is logged', async () => {
    const db = t.dbh.db;
    const probe = await db.selectFrom('brain_datasets').select(['id', 'retention_days']).where('name', '=', '无线探针发现记录').executeTakeFirstOrThrow();
    expect(probe.retention_days).toBe(14);
    const before = await db.selectFrom('brain_rows').select('key').where('dataset_id', '=', probe.id).orderBy('key').execute();
    const old = before.slice(0, 120).map((r) => r.key);
    await db.updateTable('brain_rows').set({ observed_at: new Date(Date.now() - 15 * 86400_000) }).where('dataset_id', '=', probe.id).where('key', 'in', old).execute();
    const { sweepRetention } = await import('../../server/src/modules/brain/retention.js');
    expect(await sweepRetention({ db, bus: null, files: t.app.files, secrets: t.app.secrets })).toBe(120);
    const after = await db.selectFrom('brain_rows').select('key').where('dataset_id', '=', probe.id).execute();
    expect(after).toHaveLength(before.length - 120);
    expect(after.some((r) => old.includes(r.key))).toBe(false);
    const log = await db.selectFrom('brain_exchange_log').selectAll().where('kind', '=', 'retention').where('dataset_id', '=', probe.id).executeTakeFirstOrThrow();
    expect(log).toMatchObject({ outcome: 'deleted', row_count: 120 });
    expect((await db.selectFrom('brain_datasets').select('row_count').where('id', '=', probe.id).executeTakeFirstOrThrow()).row_count).toBe(before.length - 120);
    // Run again: nothing more is due.
    expect(await sweepRetention({ db, bus: null, files: t.app.files, secrets: t.app.secrets })).toBe(0);
  });

  it('the exchange log verifies, names an edited record, and its signatures check with the published key', async () => {
    const v = (await as('data.admin', 'GET', '/api/brain/exchange-log/verify')).json();
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThanOrEqual(6);
    const pem = await as(null, 'GET', '/api/brain/exchange-log/public-key');
    expect(pem.statusCode).toBe(200);
    const key = createPublicKey(pem.body);
    const list = (await as('data.admin', 'GET', `/api/brain/exchange-log?datasetId=${datasetId}&pageSize=100`)).json();
    expect(list.items.length).toBeGreaterThanOrEqual(5);
    for (const e of list.items) expect(verifyEd25519(key, e.hash, e.signature)).toBe(true);
    expect(list.items.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['run', 'read', 'approval']));
    // Someone edits a row count in the database: verify names that record.
    const victim = list.items[list.items.length - 2];
    await sql`update brain_exchange_log set row_count = row_count + 1 where id = ${victim.id}`.execute(t.dbh.db);
    const bad = (await as('data.admin', 'GET', '/api/brain/exchange-log/verify')).json();
    expect(bad).toMatchObject({ ok: false, brokenAt: victim.id });
    expect((await as('dept.minzheng', 'GET', '/api/brain/exchange-log/verify')).statusCode).toBe(403);
  });
});

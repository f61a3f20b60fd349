import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The SQL pull connector against the machine's MariaDB (127.0.0.1:3306, root without a password):
 * a 100,000-row table syncs; after 1,000 rows change only those move; a run with nothing new moves
 * nothing; a full reconciliation detects the rows deleted at the source. The source's timestamps
 * tie in blocks of 10,000 rows, twice the connector's page, so a keyset on the timestamp alone
 * would lose rows at the page edges. The connector logs in as its own user with a password, which
 * must never come back from the API nor sit in the database in clear.
 */
describe('red brain: SQL pull from MariaDB', () => {
  let t: TestApp;
  let my: Connection;
  const suffix = randomBytes(4).toString('hex');
  const dbName = `redcom_sql_${suffix}`;
  const user = `redcom_sql_${suffix}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  let datasetId = 0;
  let connectorId = 0;

  const as = async (method: string, url: string, payload?: unknown) =>
    t.app.inject({ method: method as any, url, headers: bearer(await t.token('data.admin')), ...(payload !== undefined ? { payload: payload as any } : {}) });
  const runConnector = async (mode?: 'full') => {
    const started = Date.now();
    const res = await as('POST', `/api/brain/connectors/${connectorId}/run`, mode ? { mode } : {});
    expect(res.statusCode, res.body).toBe(202);
    for (;;) {
      const r = (await as('GET', `/api/brain/runs/${res.json().runId}`)).json();
      if (r.status === 'succeeded' || r.status === 'failed' || r.error) return { ...r, ms: Date.now() - started };
      if (Date.now() - started > 110_000) throw new Error(`run ${r.id} did not finish: ${JSON.stringify(r)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  };
  const heldRows = async () => Number((await t.dbh.db.selectFrom('brain_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset_id', '=', datasetId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    my = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await my.query(`create database ${dbName}`);
    await my.query(`use ${dbName}`);
    await my.query(`create table people (id int primary key, name varchar(40) not null, score decimal(12,2), born date, updated_at datetime not null, key by_update (updated_at, id))`);
    await my.query(`insert into people select seq, concat('居民', seq), seq * 1.5, '1950-01-01' + interval (seq mod 20000) day, '2024-05-01 08:00:00' + interval (seq div 10000) hour from seq_1_to_100000`);
    await my.query(`create user '${user}'@'%' identified by '${password}'`);
    await my.query(`grant select on ${dbName}.* to '${user}'@'%'`);
    t = await createTestApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await my?.query(`drop user if exists '${user}'@'%'`);
    await my?.query(`drop database if exists ${dbName}`);
    await my?.end();
  });

  it('registers the dataset and a connector whose password never comes back', async () => {
    const systemId = (await as('GET', '/api/brain/systems?pageSize=1')).json().items[0].id;
    const ds = await as('POST', '/api/brain/datasets', {
      name: 'SQL 拉取测试名单', systemId, shareType: 'open',
      fields: [
        { name: 'id', type: 'int', personal: 'none', key: true }, { name: 'name', type: 'text', personal: 'none' }, { name: 'score', type: 'number', personal: 'none' },
        { name: 'born', type: 'date', personal: 'none' }, { name: 'updated_at', type: 'timestamp', personal: 'none' },
      ],
    });
    expect(ds.statusCode, ds.body).toBe(201);
    datasetId = ds.json().id;
    const bad = await as('POST', '/api/brain/connectors', { kind: 'sql', datasetId, config: { url: `mysql://${user}@127.0.0.1:3306/${dbName}`, table: 'people; drop table x' } });
    expect(bad.statusCode).toBe(400);
    const created = await as('POST', '/api/brain/connectors', {
      kind: 'sql', datasetId, config: { url: `mysql://${user}:${encodeURIComponent(password)}@127.0.0.1:3306/${dbName}`, table: 'people', watermark: 'updated_at' },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectorId = created.json().id;
    const got = await as('GET', `/api/brain/connectors/${connectorId}`);
    expect(got.json()).toMatchObject({ kind: 'sql', hasSecret: true, config: { url: `mysql://${user}@127.0.0.1:3306/${dbName}`, table: 'people', watermark: 'updated_at' } });
    expect(got.body).not.toContain(password);
    expect(created.body).not.toContain(password);
    const list = await as('GET', `/api/brain/connectors?datasetId=${datasetId}`);
    expect(list.body).not.toContain(password);
    const stored = await t.dbh.db.selectFrom('brain_connectors').select(['config', 'secret']).where('id', '=', connectorId).executeTakeFirstOrThrow();
    expect(stored.secret).toBeTruthy();
    expect(stored.secret).not.toContain(password);
    expect(JSON.stringify(stored.config)).not.toContain(password);
  });

  it('syncs 100,000 rows, with the dates read as China time', async () => {
    const run = await runConnector();
    console.log(`[brain-sql] ${t.kind}: first sync of 100,000 rows in ${run.ms} ms`);
    expect(run).toMatchObject({ status: 'succeeded', kind: 'sql', rowsIn: 100_000, inserted: 100_000, updated: 0, rejected: 0, progress: 1 });
    expect(await heldRows()).toBe(100_000);
    const one = await t.dbh.db.selectFrom('brain_rows').select('data').where('dataset_id', '=', datasetId).where('key', '=', '12345').executeTakeFirstOrThrow();
    // seq 12345: born 1950-01-01 + 12345 days, updated 08:00 + 1 hour (China time) = 01:00Z.
    expect(typeof one.data === 'string' ? JSON.parse(one.data) : one.data).toEqual({ id: 12345, name: '居民12345', score: 18517.5, born: '1983-10-20', updated_at: '2024-05-01T01:00:00.000Z' });
    const c = (await as('GET', `/api/brain/connectors/${connectorId}`)).json();
    expect(c.watermark).toEqual({ columns: ['updated_at', 'id'], values: ['2024-05-01 18:00:00', 100_000] });
    expect((await as('GET', `/api/brain/datasets/${datasetId}`)).json()).toMatchObject({ rowCount: 100_000, freshness: 'fresh' });
  }, 120_000);

  it('after 1,000 rows change, the next run moves only those; then nothing', async () => {
    await my.query(`update people set updated_at = now() + interval 1 second, score = score + 1 where id % 100 = 0`);
    const second = await runConnector();
    expect(second).toMatchObject({ status: 'succeeded', rowsIn: 1000, inserted: 0, updated: 1000, unchanged: 0 });
    const changed = await t.dbh.db.selectFrom('brain_rows').select('data').where('dataset_id', '=', datasetId).where('key', '=', '500').executeTakeFirstOrThrow();
    expect((typeof changed.data === 'string' ? JSON.parse(changed.data) : changed.data).score).toBe(751);
    const third = await runConnector();
    expect(third).toMatchObject({ status: 'succeeded', rowsIn: 0, inserted: 0, updated: 0 });
    expect(await heldRows()).toBe(100_000);
  }, 60_000);

  it('a full run detects the rows deleted at the source', async () => {
    await my.query(`delete from people where id % 200 = 1`);
    const full = await runConnector('full');
    console.log(`[brain-sql] ${t.kind}: full reconciliation of 99,500 rows in ${full.ms} ms`);
    expect(full).toMatchObject({ status: 'succeeded', mode: 'full', rowsIn: 99_500, inserted: 0, updated: 0, unchanged: 99_500, deleted: 500 });
    expect(await heldRows()).toBe(99_500);
    expect(await t.dbh.db.selectFrom('brain_rows').select('key').where('dataset_id', '=', datasetId).where('key', '=', '201').executeTakeFirst()).toBeUndefined();
    // The run is on the exchange log with its counts.
    const log = await t.dbh.db.selectFrom('brain_exchange_log').select(['outcome', 'detail']).where('run_id', '=', full.id).executeTakeFirstOrThrow();
    expect(log.outcome).toBe('ok');
    expect(typeof log.detail === 'string' ? JSON.parse(log.detail) : log.detail).toMatchObject({ mode: 'full', deleted: 500 });
    // The watermark survives the full run: an incremental run right after moves nothing.
    expect(await runConnector()).toMatchObject({ status: 'succeeded', rowsIn: 0 });
  }, 120_000);
});

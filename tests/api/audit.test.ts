import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../server/src/core/audit.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';

describe('audit trail', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => { t = await createTestApp(); admin = await t.token('admin'); });
  afterAll(() => t.close());

  it('every write leaves a record with actor, role, action, target, change, IP and request id', async () => {
    const room = await regionByCode(t.dbh.db, 'XSW-02-1-0101');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/regions/${room.id}`, headers: bearer(admin), payload: { area: 88.05 } });
    expect(res.statusCode).toBe(200);
    const list = (await t.app.inject({ url: '/api/audit?action=region.update', headers: bearer(admin) })).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ actorName: 'admin', actorRole: 'district_admin', action: 'region.update', targetType: 'region', targetId: String(room.id), ip: '127.0.0.1', requestId: res.headers['x-request-id'] });
    expect(list.items[0].summary.area.to).toBe(88.05);
  });

  it('a failed write leaves nothing half-written and no audit record', async () => {
    const before = Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.dbh.db)).rows[0].n);
    const res = await t.app.inject({ method: 'POST', url: '/api/regions', headers: bearer(admin), payload: { parentId: (await regionByCode(t.dbh.db, 'XSW')).id, name: '99幢', code: 'XSW' } });
    expect(res.statusCode).toBe(409);
    const after = Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.dbh.db)).rows[0].n);
    expect(after).toBe(before);
  });

  it('the chain verifies; the table refuses updates; a hand edit is caught at its row', async () => {
    expect((await t.app.inject({ url: '/api/audit/verify', headers: bearer(admin) })).json()).toMatchObject({ ok: true });
    const rows = await t.dbh.db.selectFrom('audit_log').select('id').orderBy('id').execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    await expect(sql`update audit_log set action = 'x' where id = ${rows[1].id}`.execute(t.dbh.db)).rejects.toThrow(/append-only/);
    // Someone with database access disables the guard and edits a row by hand.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.dbh.db);
    await sql`update audit_log set summary = '{"forged":true}' where id = ${rows[1].id}`.execute(t.dbh.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.dbh.db);
    const r = await verifyAudit(t.dbh.db);
    expect(r).toMatchObject({ ok: false, brokenAt: rows[1].id });
    expect((await t.app.inject({ url: '/api/audit/verify', headers: bearer(admin) })).json().brokenAt).toBe(rows[1].id);
  });

  it('concurrent writes keep one linear chain', async () => {
    const fresh = await createTestApp();
    try {
      const token = await fresh.token('admin');
      const room = await regionByCode(fresh.dbh.db, 'XSW-03-1-0101');
      const res = await Promise.all(Array.from({ length: 12 }, (_, i) =>
        fresh.app.inject({ method: 'PATCH', url: `/api/regions/${room.id}`, headers: bearer(token), payload: { area: 80 + i } })));
      expect(res.every((r) => r.statusCode === 200)).toBe(true);
      expect(await verifyAudit(fresh.dbh.db)).toMatchObject({ ok: true });
    } finally {
      await fresh.close();
    }
  });
});

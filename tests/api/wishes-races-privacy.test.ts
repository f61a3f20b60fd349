import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepClaims } from '../../server/src/modules/wishes/claims.js';
import type { WishLiveEvent } from '../../server/src/modules/wishes/timeline.js';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { publishedWish } from '../helpers/wishes.js';

describe('micro-wishes: races, privacy, live feed, the claim clock', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('concurrent claimers: exactly one wins, every other gets 409 "已被认领", one live claim row', async () => {
    // Ten claimer accounts (party members) plus the two demo ones, each firing several requests at once.
    const admin = await t.token('admin');
    const lm = await t.dbh.db.selectFrom('regions').select('id').where('code', '=', 'HH-LM').executeTakeFirstOrThrow();
    const tokens = [await t.token('unit.demo'), await t.token('member.demo')];
    for (let i = 0; i < 10; i++) {
      const u = `claimer.${i}`;
      const res = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(admin), payload: { username: u, password: DEMO_PASSWORD, displayName: `党员${i}`, roles: ['party_member'], scopeRegionId: lm.id } });
      expect(res.statusCode).toBe(201);
      tokens.push(await t.token(u));
    }
    for (let round = 0; round < 3; round++) {
      const id = await publishedWish(t);
      const results = await Promise.all(Array.from({ length: 48 }, (_, i) =>
        t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(tokens[i % tokens.length]) })));
      const ok = results.filter((r) => r.statusCode === 200);
      const lost = results.filter((r) => r.statusCode === 409);
      expect(ok).toHaveLength(1);
      expect(lost).toHaveLength(47);
      expect(lost.every((r) => r.json().error.message === '已被认领')).toBe(true);
      const claims = await t.dbh.db.selectFrom('wish_claims').select('id').where('wish_id', '=', id).execute();
      expect(claims).toHaveLength(1);
    }
  });

  it('the public wall and its pages carry no name, phone, ID number or address of any beneficiary', async () => {
    const beneficiaries = await t.dbh.db.selectFrom('wishes as w').innerJoin('persons as p', 'p.id', 'w.beneficiary_person_id')
      .select(['p.name', 'p.phone', 'p.id_number', 'p.region_path']).execute();
    expect(beneficiaries.length).toBeGreaterThan(20);
    const wall = await t.app.inject({ url: '/api/public/wishes?pageSize=100' });
    const pages = await Promise.all(wall.json().items.map((w: any) => t.app.inject({ url: `/api/public/wishes/${w.id}` })));
    const rooms = await t.dbh.db.selectFrom('regions').select(['path', 'name']).where('level', '=', 'room').execute();
    const roomName = new Map(rooms.map((r) => [r.path, r.name]));
    const texts = [wall.body, ...pages.map((p) => p.body)];
    expect(wall.json().items.length).toBeGreaterThan(15);
    for (const b of beneficiaries) {
      for (const text of texts) {
        expect(text).not.toContain(b.name);
        if (b.phone) expect(text).not.toContain(b.phone);
        if (b.id_number) expect(text).not.toContain(b.id_number);
        expect(text).not.toContain(`${roomName.get(b.region_path)}"`); // the room, e.g. "302室"
      }
    }
    expect(wall.json().items.every((w: any) => /^.某$/.test(w.beneficiary))).toBe(true);
    // Pending and rejected wishes are not public at all.
    const pending = await t.dbh.db.selectFrom('wishes').select('id').where('status', 'in', ['pending_review', 'rejected']).execute();
    for (const p of pending) expect((await t.app.inject({ url: `/api/public/wishes/${p.id}` })).statusCode).toBe(404);
  });

  it('fair ordering: open wishes first, less-seen before much-seen', async () => {
    const wall = (await t.app.inject({ url: '/api/public/wishes?pageSize=100' })).json().items;
    const firstClosed = wall.findIndex((w: any) => w.status !== 'published');
    expect(wall.slice(firstClosed).every((w: any) => w.status !== 'published')).toBe(true);
    const open = await t.dbh.db.selectFrom('wishes').select('id').where('status', '=', 'published').orderBy('id').execute();
    await t.dbh.db.updateTable('wishes').set({ view_count: 100000 }).where('id', '=', open[0].id).execute();
    const after = (await t.app.inject({ url: '/api/public/wishes?pageSize=100&status=published' })).json().items;
    expect(after.at(-1).id).toBe(open[0].id);
  });

  it('live events reach an SSE client within a second, masked', async () => {
    const id = await publishedWish(t);
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const res = await fetch(`${base}/api/wishes/events?wishId=${id}`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let buf = '';
    const got = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return null;
        buf += new TextDecoder().decode(value);
        const m = /event: wish\ndata: (.+)\n\n/.exec(buf);
        if (m) return JSON.parse(m[1]) as WishLiveEvent;
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(await t.token('unit.demo')) });
    const ev = await Promise.race([got, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    expect(ev).not.toBeNull();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(ev).toMatchObject({ type: 'claimed', wishId: id, status: 'claimed', communityName: '鹿鸣社区', claimerName: '盐南数智科技有限公司' });
    expect(ev!.beneficiary).toMatch(/^.某$/);
    const person = await t.dbh.db.selectFrom('wishes as w').innerJoin('persons as p', 'p.id', 'w.beneficiary_person_id').select(['p.name', 'p.phone']).where('w.id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(ev)).not.toContain(person.name);
    expect(JSON.stringify(ev)).not.toContain(person.phone!);
    ctrl.abort();
  });

  it('the claim clock: a reminder 3 days before the deadline, then release back to published with the reason', async () => {
    const id = await publishedWish(t);
    const member = await t.token('member.demo');
    const claim = (await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(member) })).json();
    const due = new Date(claim.dueAt);
    const deps = { db: t.dbh.db, bus: t.app.events, files: t.app.files };
    const mine = () => t.dbh.db.selectFrom('wish_claims').select(['status', 'reminded_at', 'end_reason']).where('wish_id', '=', id).executeTakeFirstOrThrow();
    await sweepClaims(deps, new Date(due.getTime() - 4 * 86400_000));
    expect(await mine()).toMatchObject({ status: 'live', reminded_at: null });
    await sweepClaims(deps, new Date(due.getTime() - 2 * 86400_000));
    const reminded = await mine();
    expect(reminded.status).toBe('live');
    expect(reminded.reminded_at).not.toBeNull();
    expect((await sweepClaims(deps, new Date(due.getTime() - 2 * 86400_000))).reminded).toBe(0); // once only
    await sweepClaims(deps, new Date(due.getTime() + 1000));
    expect((await mine()).status).toBe('expired');
    const w = (await t.app.inject({ url: `/api/public/wishes/${id}` })).json();
    expect(w.status).toBe('published');
    expect(w.timeline.at(-1)).toMatchObject({ kind: 'released', reason: expect.stringContaining('自动释放') });
    const kinds = (await t.app.inject({ url: '/api/me/notifications?pageSize=100', headers: bearer(member) })).json().items.filter((n: any) => n.wishId === id).map((n: any) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['claim_reminder', 'claim_expired']));
    const row = await t.dbh.db.selectFrom('wish_claims').select(['status', 'end_reason']).where('wish_id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
  });
});

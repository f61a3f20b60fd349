import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { deliverOutbox } from '../../server/src/core/notify.js';
import { openDb, type DbHandle } from '../../server/src/core/db.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { publishedWish } from '../helpers/wishes.js';

/** Reads SSE `wish` events from a URL until `want` of them arrived or the time is up. */
async function collect(url: string, want: number, ms: number) {
  const ctrl = new AbortController();
  const res = await fetch(url, { signal: ctrl.signal });
  const reader = res.body!.getReader();
  const events: any[] = [];
  let buf = '';
  const timer = setTimeout(() => ctrl.abort(), ms);
  const done = (async () => {
    try {
      while (events.length < want) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += new TextDecoder().decode(value);
        let m: RegExpExecArray | null;
        while ((m = /event: wish\ndata: (.+)\n\n/.exec(buf))) { events.push(JSON.parse(m[1])); buf = buf.slice(m.index + m[0].length); }
      }
    } catch { /* aborted */ }
    clearTimeout(timer);
    ctrl.abort();
    return events;
  })();
  await new Promise((r) => setTimeout(r, 150)); // let the subscription start
  return done;
}

describe('live events across instances, and the outbox', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it.runIf(process.env.TEST_DB === 'postgres')('a client of instance B sees a claim made through instance A (same PostgreSQL)', async () => {
    // A second app instance on the same database, with its own pool and LISTEN connection.
    const dbh2: DbHandle = await openDb({ databaseUrl: t.dbh.url, onPoolError: () => {} });
    const b = await buildApp({ config: { ...loadConfig({}), webDist: '/nonexistent' }, dbh: dbh2 });
    try {
      const baseB = await b.listen({ port: 0, host: '127.0.0.1' });
      const id = await publishedWish(t);
      const pending = collect(`${baseB}/api/wishes/events?wishId=${id}`, 1, 3000);
      await new Promise((r) => setTimeout(r, 300));
      const claim = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(await t.token('unit.demo')) });
      expect(claim.statusCode).toBe(200);
      const events = await pending;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'claimed', wishId: id });
    } finally {
      await b.close();
      await dbh2.close();
    }
  });

  it('a rolled-back write announces nothing', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const id = await publishedWish(t);
    const pending = collect(`${base}/api/wishes/events?wishId=${id}`, 1, 1200);
    await new Promise((r) => setTimeout(r, 300));
    // An event published inside a transaction that then fails is never delivered.
    await expect(t.dbh.db.transaction().execute(async (tx) => {
      await t.app.events.publish(tx, 'wish_events', { type: 'claimed', wishId: id });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect(await pending).toEqual([]);
  });

  it('the outbox delivers SMS and WeChat messages once, through the channel senders', async () => {
    const id = await publishedWish(t); // notifies resident.demo, who has a phone
    const sent: { channel: string; to: string; title: string }[] = [];
    const senders = {
      sms: async (to: string, p: { title: string }) => void sent.push({ channel: 'sms', to, title: p.title }),
      wechat_template: async (to: string, p: { title: string }) => void sent.push({ channel: 'wechat_template', to, title: p.title }),
    };
    const n = await deliverOutbox(t.dbh.db, senders, 500);
    expect(n).toBeGreaterThan(0);
    expect(sent.some((s) => s.channel === 'sms' && s.title === '心愿已发布')).toBe(true);
    expect(await deliverOutbox(t.dbh.db, senders, 500)).toBe(0);
    const left = await t.dbh.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
    expect(left).toHaveLength(0);
    expect(id).toBeGreaterThan(0);
  });
});

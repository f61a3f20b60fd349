import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

/** 社区公告: publishing within scope, the residents' feed by home, expiry and withdrawal, reads (once per account, also when concurrent), read rates, bad input. */
describe('notices', () => {
  let t: TestApp;
  const as = requester(() => t);
  const region = async (code: string) => t.dbh.db.selectFrom('regions').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
  const publish = async (user: string, regionId: number, over: Record<string, unknown> = {}) => {
    const res = await as(user, 'POST', '/api/notices', { regionId, title: '测试公告', body: '请各位居民留意。', expiresAt: new Date(Date.now() + 7 * 86400_000).toISOString(), ...over });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const feedIds = async (user: string) => ((await as(user, 'GET', '/api/notices/mine?pageSize=100')).json().items as { id: number }[]).map((n) => n.id);
  const unread = async (user: string) => (await as(user, 'GET', '/api/notices/unread-count')).json().unread as number;
  const reads = (id: number) => t.dbh.db.selectFrom('notice_reads').selectAll().where('notice_id', '=', id).execute();

  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('the demo seed gives every community current notices, and resident.demo an unread feed', async () => {
    const { n } = await t.dbh.db.selectFrom('regions as c').select(sql<number>`count(*)::int`.as('n')).where('c.level', '=', 'community')
      .where(sql<boolean>`(select count(*) from notices n where n.region_id = c.id and n.withdrawn_at is null and (n.expires_at is null or n.expires_at > now())) >= 3`).executeTakeFirstOrThrow();
    const communities = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'community').execute();
    expect(n).toBe(communities.length);
    const feed = (await as('resident.demo', 'GET', '/api/notices/mine')).json();
    expect(feed.total).toBeGreaterThan(4);
    expect(feed.items[0].pinned).toBe(true);
    expect(await unread('resident.demo')).toBe(feed.total);
  });

  it('a worker publishes within scope only; the resident under the region sees it, a resident elsewhere does not', async () => {
    const xsw = await region('XSW');
    const n = await publish('community.luming', xsw.id, { title: '橡树湾停水通知', pinned: true });
    expect(n).toMatchObject({ region: { id: xsw.id, level: 'compound' }, pinned: true, status: 'active', readers: 0 });
    // 聚龙湖社区 may not publish to 橡树湾 (鹿鸣社区); a resident may not publish at all.
    const out = await as('community.julonghu', 'POST', '/api/notices', { regionId: xsw.id, title: '越界公告', body: '越界' });
    expect(out.statusCode).toBe(403);
    expect((await as('resident.demo', 'POST', '/api/notices', { regionId: xsw.id, title: '居民公告', body: '不行' })).statusCode).toBe(403);
    expect(await t.dbh.db.selectFrom('notices').select('id').where('title', 'in', ['越界公告', '居民公告']).execute()).toEqual([]);
    // resident.demo lives in 橡树湾; member.demo in 鹿鸣苑 (same community, another compound).
    expect((await feedIds('resident.demo'))[0]).toBe(n.id);
    expect(await feedIds('member.demo')).not.toContain(n.id);
    expect((await as('member.demo', 'GET', `/api/notices/${n.id}`)).statusCode).toBe(404);
    expect((await as('community.julonghu', 'GET', `/api/notices/${n.id}`)).statusCode).toBe(403);
    const detail = (await as('resident.demo', 'GET', `/api/notices/${n.id}`)).json();
    expect(detail).toMatchObject({ id: n.id, title: '橡树湾停水通知', canManage: false, stats: null, publisher: null, readAt: null });
    // A community-wide notice reaches both.
    const lm = await publish('community.luming', (await region('HH-LM')).id, { title: '鹿鸣社区通知' });
    expect(await feedIds('resident.demo')).toContain(lm.id);
    expect(await feedIds('member.demo')).toContain(lm.id);
    // The worker's list holds it; 聚龙湖's does not.
    expect(((await as('community.luming', 'GET', '/api/notices?q=橡树湾停水')).json().items as { id: number }[]).map((x) => x.id)).toContain(n.id);
    expect(((await as('community.julonghu', 'GET', '/api/notices?pageSize=100')).json().items as { id: number }[]).map((x) => x.id)).not.toContain(n.id);
  });

  it('expired and withdrawn notices leave the feed; only the publishing side edits and withdraws', async () => {
    const xsw = await region('XSW');
    const expired = await publish('community.luming', xsw.id, { title: '即将过期' });
    await t.dbh.db.updateTable('notices').set({ expires_at: new Date(Date.now() - 60_000) }).where('id', '=', expired.id).execute();
    expect(await feedIds('resident.demo')).not.toContain(expired.id);
    expect((await as('resident.demo', 'GET', `/api/notices/${expired.id}`)).statusCode).toBe(404);
    expect((await as('resident.demo', 'POST', `/api/notices/${expired.id}/read`)).statusCode).toBe(404);
    const listed = (await as('community.luming', 'GET', '/api/notices?status=expired&pageSize=100')).json().items as { id: number; status: string }[];
    expect(listed.find((x) => x.id === expired.id)?.status).toBe('expired');

    const n = await publish('community.luming', xsw.id, { title: '将被撤回' });
    expect((await as('community.julonghu', 'DELETE', `/api/notices/${n.id}`)).statusCode).toBe(403);
    expect((await as('resident.demo', 'PATCH', `/api/notices/${n.id}`, { title: '改' })).statusCode).toBe(403);
    const edited = await as('community.luming', 'PATCH', `/api/notices/${n.id}`, { title: '已修改的标题', pinned: true });
    expect(edited.json()).toMatchObject({ title: '已修改的标题', pinned: true });
    const before = await unread('resident.demo');
    const w = await as('community.luming', 'DELETE', `/api/notices/${n.id}`);
    expect(w.json().status).toBe('withdrawn');
    expect((await as('community.luming', 'DELETE', `/api/notices/${n.id}`)).statusCode).toBe(200);
    expect(await feedIds('resident.demo')).not.toContain(n.id);
    expect(await unread('resident.demo')).toBe(before - 1);
    expect((await as('community.luming', 'PATCH', `/api/notices/${n.id}`, { title: '再改' })).statusCode).toBe(409);
  });

  it('a read is one row however often and however concurrently it is marked; the unread count goes down by one', async () => {
    const n = await publish('street.huanghai', (await region('HH')).id, { title: '街道通知（阅读测试）' });
    const before = await unread('resident.demo');
    const first = await as('resident.demo', 'POST', `/api/notices/${n.id}/read`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().unread).toBe(before - 1);
    const again = await as('resident.demo', 'POST', `/api/notices/${n.id}/read`);
    expect(again.json().readAt).toBe(first.json().readAt);
    const burst = await Promise.all(Array.from({ length: 8 }, () => as('member.demo', 'POST', `/api/notices/${n.id}/read`)));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    expect((await reads(n.id)).map((r) => r.account_id).length).toBe(2);
    expect(await unread('resident.demo')).toBe(before - 1);
    expect((await as('resident.demo', 'GET', '/api/notices/mine?pageSize=100')).json().items.find((x: any) => x.id === n.id).read).toBe(true);
    // The publishing side opening it does not count as a read.
    await as('street.huanghai', 'POST', `/api/notices/${n.id}/read`);
    expect(await reads(n.id)).toHaveLength(2);
  });

  it('the read rate is readers over the accounts living under the region, as direct SQL counts them', async () => {
    const hh = await region('HH');
    const n = (await as('street.huanghai', 'GET', '/api/notices?q=阅读测试')).json().items[0];
    const [{ audience }] = (await sql<{ audience: number }>`select count(*)::int as audience from accounts a join persons p on p.id = a.person_id
      where a.active and p.region_path like ${`${hh.path}%`}`.execute(t.dbh.db)).rows;
    const [{ readers }] = (await sql<{ readers: number }>`select count(*)::int as readers from notice_reads r join accounts a on a.id = r.account_id
      join persons p on p.id = a.person_id where r.notice_id = ${n.id} and a.active and p.region_path like ${`${hh.path}%`}`.execute(t.dbh.db)).rows;
    expect(readers).toBe(2);
    expect(n).toMatchObject({ readers, audience, readRate: Math.round((readers * 1000) / audience) / 10 });
    const detail = (await as('street.huanghai', 'GET', `/api/notices/${n.id}`)).json();
    expect(detail.stats).toEqual({ readers, audience, readRate: n.readRate });
  });

  it('attachments: photos and PDFs, read by the audience and the publishing side only', async () => {
    const n = await publish('community.luming', (await region('XSW')).id, { title: '带附件的公告' });
    const form = multipart({}, [
      { field: 'files', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() },
      { field: 'files', name: 'b.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%test\n') },
    ]);
    const up = await as('community.luming', 'POST', `/api/notices/${n.id}/attachments`, form.payload, form.headers);
    expect(up.statusCode, up.body).toBe(200);
    const [img, pdf] = up.json().attachments;
    expect(img.mime).toBe('image/jpeg');
    expect(pdf).toMatchObject({ mime: 'application/pdf', thumbUrl: null });
    expect((await as('resident.demo', 'GET', img.url)).statusCode).toBe(200);
    expect((await as('resident.demo', 'GET', pdf.url)).headers['content-type']).toContain('application/pdf');
    expect((await as('member.demo', 'GET', img.url)).statusCode).toBe(404);
    const bad = multipart({}, [{ field: 'files', name: 'x.txt', type: 'text/plain', data: Buffer.from('hello') }]);
    const refused = await as('community.luming', 'POST', `/api/notices/${n.id}/attachments`, bad.payload, bad.headers);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.files).toMatch(/PDF/);
    expect((await as('community.luming', 'DELETE', `/api/notices/${n.id}/attachments/${pdf.id}`)).statusCode).toBe(200);
    expect((await as('resident.demo', 'GET', `/api/notices/${n.id}`)).json().attachments.map((a: any) => a.id)).toEqual([img.id]);
  });

  it('bad input is a 400 naming the field in Chinese; text is screened for phones and ID numbers', async () => {
    const xsw = await region('XSW');
    const field = async (payload: unknown, name: string, method = 'POST', url = '/api/notices') => {
      const res = await as('community.luming', method, url, payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields[name], res.body).toMatch(/[\u4e00-\u9fff]/);
    };
    await field({ regionId: xsw.id, title: '', body: '正文' }, 'title');
    await field({ regionId: xsw.id, title: '标题', body: 'x'.repeat(5001) }, 'body');
    await field({ regionId: xsw.id, title: '标题', body: '正文', expiresAt: '2020-01-01T00:00:00+08:00' }, 'expiresAt');
    await field({ regionId: xsw.id, title: '标题', body: '正文', expiresAt: 'tomorrow' }, 'expiresAt');
    await field({ title: '标题', body: '正文' }, 'regionId');
    const room = await t.dbh.db.selectFrom('regions').select('id').where('level', '=', 'room').where('path', 'like', `${xsw.path}%`).executeTakeFirstOrThrow();
    await field({ regionId: room.id, title: '标题', body: '正文' }, 'regionId');
    const n = await publish('community.luming', xsw.id, { body: '联系人手机 13812345678，身份证 320902199001011234。' });
    expect((await as('community.luming', 'PATCH', `/api/notices/${n.id}`, {})).statusCode).toBe(400);
    const stored = await t.dbh.db.selectFrom('notices').select('body').where('id', '=', n.id).executeTakeFirstOrThrow();
    expect(stored.body).not.toContain('13812345678');
    expect(stored.body).not.toContain('320902199001011234');
    expect((await as('community.luming', 'GET', '/api/notices?status=gone')).json().error.fields.status).toBeTruthy();
  });
});

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';
import { newWish, publishedWish } from '../helpers/wishes.js';
import { FLUSH_MS, flushViews } from '../../server/src/modules/wishes/views.js';

describe('micro-wishes: the whole lifecycle', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('a resident submits; bad input names the field; the value cap holds', async () => {
    const resident = await t.token('resident.demo');
    const ok = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(resident), payload: newWish() });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'pending_review', code: expect.stringMatching(/^XY\d{6}$/) });
    const over = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(resident), payload: newWish({ estimatedValue: 300.01 }) });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.fields.estimatedValue).toContain('300');
    const bad = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(resident), payload: { title: 'x', category: 'cash', targetGroup: 'elder', estimatedValue: -1 } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['category', 'estimatedValue', 'story', 'title']);
    // A resident cannot enter a wish for someone else (that is a worker's home-visit channel).
    const forOther = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(resident), payload: newWish({ beneficiaryPersonId: 5, visit: { date: '2026-11-20', visitor: '张' } }) });
    expect(forOther.statusCode).toBe(403);
  });

  it('review: only a worker whose scope holds the wish; reject needs a reason; states are enforced', async () => {
    const id = (await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(await t.token('resident.demo')), payload: newWish() })).json().id;
    const other = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/review`, headers: bearer(await t.token('community.julonghu')), payload: { decision: 'approve' } });
    expect(other.statusCode).toBe(403);
    const noReason = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/review`, headers: bearer(await t.token('community.luming')), payload: { decision: 'reject' } });
    expect(noReason.statusCode).toBe(400);
    const approve = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/review`, headers: bearer(await t.token('community.luming')), payload: { decision: 'approve' } });
    expect(approve.json().status).toBe('published');
    const again = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/review`, headers: bearer(await t.token('community.luming')), payload: { decision: 'approve' } });
    expect(again.statusCode).toBe(409);
    const note = await t.dbh.db.selectFrom('notifications').select('title').where('wish_id', '=', id).execute();
    expect(note.map((n) => n.title)).toContain('心愿已发布');
  });

  it('claim → fulfil with photos (EXIF location removed, thumbnail made) → confirm; the timeline records each step', async () => {
    const id = await publishedWish(t);
    const unit = await t.token('unit.demo');
    const claim = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(unit) });
    expect(claim.statusCode).toBe(200);
    // The claimer asks for whom to deliver to, explicitly, once the claim has stood 30 minutes; another claimer cannot.
    const asClaimer = (await t.app.inject({ url: `/api/wishes/${id}`, headers: bearer(unit) })).json();
    expect(asClaimer.beneficiaryContact).toBeUndefined();
    expect(asClaimer.abilities).toMatchObject({ contact: true, fulfil: true, withdrawClaim: true, claim: false, review: false });
    const contact = (who: string) => t.app.inject({ method: 'POST', url: `/api/wishes/${id}/contact`, headers: bearer(who) });
    const early = await contact(unit);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('30 分钟');
    await t.dbh.db.updateTable('wish_claims').set({ claimed_at: new Date(Date.now() - 31 * 60_000) }).where('wish_id', '=', id).execute();
    expect((await contact(unit)).json().contact.phone).toMatch(/^1\d{10}$/);
    expect((await contact(await t.token('member.demo'))).statusCode).toBe(403);
    const asOther = (await t.app.inject({ url: `/api/wishes/${id}`, headers: bearer(await t.token('member.demo')) })).json();
    expect(asOther.beneficiaryContact).toBeUndefined();
    const logged = await t.dbh.db.selectFrom('pi_access_log').select('purpose').where('purpose', 'like', '认领送达%').execute();
    expect(logged.length).toBeGreaterThan(0);

    const notImage = multipart({ note: '已送达' }, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: Buffer.from('%PDF-1.4 not an image at all') }]);
    const refused = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/fulfil`, headers: { ...bearer(unit), ...notImage.headers }, payload: notImage.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.photos).toContain('图片');
    const none = multipart({ note: '已送达' }, []);
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/fulfil`, headers: { ...bearer(unit), ...none.headers }, payload: none.payload })).statusCode).toBe(400);
    const notMine = multipart({ note: '已送达' }, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/fulfil`, headers: { ...bearer(await t.token('member.demo')), ...notMine.headers }, payload: notMine.payload })).statusCode).toBe(403);
    expect((await t.dbh.db.selectFrom('wishes').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('claimed');

    const photo = await jpegWithGps();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const form = multipart({ note: '已送到老人家中' }, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: photo }, { field: 'photos', name: 'b.jpg', type: 'image/jpeg', data: photo }]);
    const fulfil = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/fulfil`, headers: { ...bearer(unit), ...form.headers }, payload: form.payload });
    expect(fulfil.statusCode, fulfil.body).toBe(200);
    const pub = (await t.app.inject({ url: `/api/public/wishes/${id}` })).json();
    expect(pub.photos).toHaveLength(2);
    const file = await t.app.inject({ url: pub.photos[0].url });
    expect(file.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(file.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(800);
    const thumb = await t.app.inject({ url: pub.photos[0].thumbUrl });
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(480);

    const wrongRating = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/confirm`, headers: bearer(await t.token('resident.demo')), payload: { rating: 6, comment: '谢谢' } });
    expect(wrongRating.statusCode).toBe(400);
    const stranger = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/confirm`, headers: bearer(await t.token('member.demo')), payload: { rating: 5, comment: '谢谢' } });
    expect(stranger.statusCode).toBe(403);
    const confirm = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/confirm`, headers: bearer(await t.token('resident.demo')), payload: { rating: 5, comment: '谢谢你们！' } });
    expect(confirm.json().status).toBe('confirmed');
    const final = (await t.app.inject({ url: `/api/public/wishes/${id}` })).json();
    expect(final.timeline.map((e: any) => e.kind)).toEqual(['submitted', 'published', 'claimed', 'fulfilled', 'confirmed']);
    expect(final).toMatchObject({ status: 'confirmed', rating: 5, thanks: '谢谢你们！', claimerName: '盐南数智科技有限公司' });
    const claimerNotes = await t.dbh.db.selectFrom('notifications as n').innerJoin('accounts as a', 'a.id', 'n.account_id').select('n.kind').where('a.username', '=', 'unit.demo').where('n.wish_id', '=', id).execute();
    expect(claimerNotes.map((n) => n.kind)).toContain('wish_confirmed');
  });

  it('only unclaimed wishes can be edited; a revoked claim needs a reason and tells the claimer', async () => {
    const id = await publishedWish(t);
    const worker = await t.token('community.luming');
    expect((await t.app.inject({ method: 'PATCH', url: `/api/wishes/${id}`, headers: bearer(worker), payload: { title: '想要一台新收音机' } })).statusCode).toBe(200);
    const member = await t.token('member.demo');
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(member) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/wishes/${id}`, headers: bearer(worker), payload: { title: '改不了' } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/revoke-claim`, headers: bearer(worker), payload: {} })).statusCode).toBe(400);
    const revoke = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/revoke-claim`, headers: bearer(worker), payload: { reason: '认领人长期联系不上' } });
    expect(revoke.json().status).toBe('published');
    const notes = (await t.app.inject({ url: '/api/me/notifications', headers: bearer(member) })).json();
    expect(notes.items[0]).toMatchObject({ kind: 'claim_revoked', wishId: id });
    expect(notes.items[0].body).toContain('认领人长期联系不上');
    expect(notes.unread).toBeGreaterThan(0);
    // Back on the wall: someone else may claim it now.
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/claim`, headers: bearer(await t.token('unit.demo')) })).statusCode).toBe(200);
  });

  it('rankings and statistics count fulfilled wishes, not claims; the list exports to .xlsx', async () => {
    const worker = await t.token('community.luming');
    const seasons = (await t.app.inject({ url: '/api/seasons', headers: bearer(worker) })).json().items;
    const current = seasons.find((s: any) => s.current);
    const stats = (await t.app.inject({ url: `/api/seasons/${current.id}/stats`, headers: bearer(worker) })).json();
    const lm = stats.byCommunity.find((c: any) => c.communityName === '鹿鸣社区');
    const dbCounts = await t.dbh.db.selectFrom('wishes').select(['status']).where('season_id', '=', current.id).where('community_id', '=', lm.communityId).execute();
    expect(lm.collected).toBe(dbCounts.length);
    expect(lm.fulfilled).toBe(dbCounts.filter((w) => ['fulfilled', 'confirmed'].includes(w.status)).length);
    expect(stats.byCommunity.every((c: any) => c.communityName === '鹿鸣社区')).toBe(true); // scope
    const fulfilledByClaimer = await t.dbh.db.selectFrom('wish_claims as k').innerJoin('wishes as w', 'w.id', 'k.wish_id').select(['k.claimer_name']).where('k.status', '=', 'fulfilled').where('w.season_id', '=', current.id).where('w.region_path', 'like', '%').execute();
    expect(stats.topClaimers.reduce((s: number, c: any) => s + c.fulfilled, 0)).toBeLessThanOrEqual(fulfilledByClaimer.length);
    const xlsx = await t.app.inject({ url: `/api/wishes/export.xlsx?seasonId=${current.id}&purpose=${encodeURIComponent('季度总结')}`, headers: bearer(worker) });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('a newly published wish is on the wall at once, although the wall order is cached', async () => {
    const before = (await t.app.inject({ url: '/api/public/wishes?pageSize=100' })).json();
    const id = await publishedWish(t);
    await expect.poll(async () => (await t.app.inject({ url: '/api/public/wishes?pageSize=100' })).json().total, { timeout: 2000 }).toBe(before.total + 1);
    const all = (await t.app.inject({ url: '/api/public/wishes?pageSize=100' })).json().items.map((w: any) => w.id);
    expect(all).toContain(id);
  });

  it('views count once per visitor per day', async () => {
    const id = await publishedWish(t);
    await flushViews(t.dbh.db); // earlier tests' views
    const first = await t.app.inject({ url: `/api/public/wishes/${id}` });
    const cookie = first.cookies.find((c) => c.name === 'rc_vid')!;
    await t.app.inject({ url: `/api/public/wishes/${id}`, headers: { cookie: `rc_vid=${cookie.value}` } });
    await t.app.inject({ url: `/api/public/wishes/${id}`, headers: { cookie: `rc_vid=${cookie.value}` } });
    await t.app.inject({ url: `/api/public/wishes/${id}`, headers: { cookie: 'rc_vid=someone-else' } });
    expect(await flushViews(t.dbh.db)).toMatchObject({ wishViews: 2 }); // written in one statement, not per request
    const w = await t.dbh.db.selectFrom('wishes').select('view_count').where('id', '=', id).executeTakeFirstOrThrow();
    expect(w.view_count).toBe(2);
  });

  it('views are written by themselves within a few seconds, without a write per request', async () => {
    const id = await publishedWish(t);
    await flushViews(t.dbh.db);
    const before = (await t.dbh.db.selectFrom('wishes').select('view_count').where('id', '=', id).executeTakeFirstOrThrow()).view_count;
    for (let i = 0; i < 5; i++) await t.app.inject({ url: `/api/public/wishes/${id}`, headers: { cookie: `rc_vid=reader-${i}` } });
    const now = (await t.dbh.db.selectFrom('wishes').select('view_count').where('id', '=', id).executeTakeFirstOrThrow()).view_count;
    expect(now).toBe(before); // not yet: counted in memory
    await new Promise((r) => setTimeout(r, FLUSH_MS + 1000));
    const later = (await t.dbh.db.selectFrom('wishes').select('view_count').where('id', '=', id).executeTakeFirstOrThrow()).view_count;
    expect(later).toBe(before + 1); // the five cookies above are forged (unsigned), so they count as one visitor
  });
});

describe('private files', () => {
  it('a pending wish\'s photo is visible to its submitter and the community worker, not to the public or other residents', async () => {
    const t = await createTestApp();
    try {
      const resident = await t.token('resident.demo');
      const id = (await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(resident), payload: newWish() })).json().id;
      const form = multipart({}, [{ field: 'photos', name: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
      const up = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/photos`, headers: { ...bearer(resident), ...form.headers }, payload: form.payload });
      expect(up.statusCode, up.body).toBe(200);
      const fileId = up.json().photos[0].id;
      expect((await t.app.inject({ url: `/api/public/files/${fileId}` })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/api/files/${fileId}`, headers: bearer(resident) })).statusCode).toBe(200);
      expect((await t.app.inject({ url: `/api/files/${fileId}?thumb=1`, headers: bearer(await t.token('community.luming')) })).headers['content-type']).toBe('image/webp');
      expect((await t.app.inject({ url: `/api/files/${fileId}`, headers: bearer(await t.token('community.julonghu')) })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/api/files/${fileId}`, headers: bearer(await t.token('member.demo')) })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});

import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, SYSTEM_ACTOR, type Actor } from '../../core/audit.js';
import type { Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { saveImage } from '../../core/files.js';
import { notify } from '../../core/notify.js';
import { isInScope } from '../../core/scope.js';
import { publicClaimerName, wishCode } from './present.js';
import { isVerifiedUnitOrg } from '../alliance/service.js';
import type { WishDeps } from './service.js';
import { recordWishEvent } from './timeline.js';

const alreadyClaimed = () => new AppError(409, 'already_claimed');

/**
 * Claims a published wish. Two guards, both in the database: a conditional update
 * (published → claimed) that only one transaction can win, and a partial unique
 * index allowing one live claim per wish. The loser gets 409 "已被认领".
 */
export async function claimWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number) {
  if (!can(auth.permissions, 'wish:claim')) throw new AppError(403, 'forbidden');
  // An alliance unit claims only once a worker has verified it.
  if (auth.roles.includes('alliance_unit') && !(await isVerifiedUnitOrg(d.db, auth.organisationId))) throw new AppError(403, 'unit_not_verified');
  try {
    return await d.db.transaction().execute(async (tx) => {
      const w = await tx.selectFrom('wishes as w').innerJoin('seasons as s', 's.id', 'w.season_id')
        .select(['w.id', 'w.status', 'w.title', 'w.submitted_by', 's.claim_days']).where('w.id', '=', id).executeTakeFirst();
      if (!w) throw notFound();
      const now = new Date();
      const res = await tx.updateTable('wishes').set({ status: 'claimed', claimed_at: now, updated_at: now })
        .where('id', '=', id).where('status', '=', 'published').executeTakeFirst();
      if (!res.numUpdatedRows) throw w.status === 'published' || w.status === 'claimed' || w.status === 'fulfilled' || w.status === 'confirmed'
        ? alreadyClaimed() : new AppError(409, 'wish_state', 'wish_state', { status: w.status });
      const who = await claimerIdentity(tx, auth);
      const dueAt = new Date(now.getTime() + w.claim_days * 86400_000);
      await tx.insertInto('wish_claims').values({ wish_id: id, claimer_id: auth.accountId, claimer_org_id: who.orgId, claimer_name: who.name, due_at: dueAt }).execute();
      await recordWishEvent(tx, d.bus, id, 'claimed', auth.accountId, { claimerName: publicClaimerName(who.name, who.orgId != null) });
      if (w.submitted_by) await notify(tx, { accountId: w.submitted_by, wishId: id, kind: 'wish_claimed', title: '心愿已被认领', body: `您的心愿「${w.title}」已被${publicClaimerName(who.name, who.orgId != null)}认领。` });
      await appendAudit(tx, actor, { action: 'wish.claim', targetType: 'wish', targetId: id, summary: { dueAt: dueAt.toISOString() } });
      return { id, code: wishCode(id), status: 'claimed' as const, dueAt: dueAt.toISOString() };
    });
  } catch (err: any) {
    if (err?.code === '23505') throw alreadyClaimed(); // the unique index caught a race the update did not
    throw err;
  }
}

async function claimerIdentity(tx: Executor, auth: AuthContext) {
  if (auth.organisationId) {
    const org = await tx.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', '=', auth.organisationId).executeTakeFirst();
    // A party member's branch is not the claimer; an alliance unit's organisation is.
    if (org && auth.roles.includes('alliance_unit')) return { name: org.name, orgId: org.id };
  }
  return { name: auth.displayName, orgId: null };
}

async function liveClaim(tx: Executor, wishId: number) {
  return tx.selectFrom('wish_claims').selectAll().where('wish_id', '=', wishId).where('status', '=', 'live').executeTakeFirst();
}

/** Ends a live claim and puts the wish back on the wall (revoked by a worker, withdrawn by the claimer, or expired). */
async function releaseClaim(tx: Executor, d: WishDeps, wishId: number, how: 'revoked' | 'withdrawn' | 'expired', reason: string, actorId: number | null) {
  const claim = await liveClaim(tx, wishId);
  if (!claim) return null;
  const ended = await tx.updateTable('wish_claims').set({ status: how, ended_at: new Date(), end_reason: reason }).where('id', '=', claim.id).where('status', '=', 'live').executeTakeFirst();
  if (!ended.numUpdatedRows) return null;
  await tx.updateTable('wishes').set({ status: 'published', claimed_at: null, updated_at: new Date() }).where('id', '=', wishId).where('status', '=', 'claimed').execute();
  await recordWishEvent(tx, d.bus, wishId, how === 'revoked' ? 'revoked' : 'released', actorId, { reason });
  return claim;
}

export async function revokeClaim(d: WishDeps, auth: AuthContext, actor: Actor, id: number, reason: string) {
  return d.db.transaction().execute(async (tx) => {
    const w = await tx.selectFrom('wishes').select(['id', 'title', 'region_path', 'status']).where('id', '=', id).executeTakeFirst();
    if (!w) throw notFound();
    if (!can(auth.permissions, 'wish:review')) throw new AppError(403, 'forbidden');
    if (!isInScope(auth, w.region_path)) throw outOfScope();
    const claim = await releaseClaim(tx, d, id, 'revoked', reason, auth.accountId);
    if (!claim) throw new AppError(409, 'wish_state', 'wish_state', { status: w.status });
    await notify(tx, { accountId: claim.claimer_id, wishId: id, kind: 'claim_revoked', title: '认领已被撤销', body: `您认领的心愿「${w.title}」已被社区撤销认领，原因：${reason}` });
    await appendAudit(tx, actor, { action: 'wish.revoke_claim', targetType: 'wish', targetId: id, summary: { reason, claimerId: claim.claimer_id } });
    return { id, status: 'published' as const };
  });
}

/** The claimer gives the wish back. */
export async function withdrawClaim(d: WishDeps, auth: AuthContext, actor: Actor, id: number, reason: string) {
  return d.db.transaction().execute(async (tx) => {
    const claim = await liveClaim(tx, id);
    if (!claim || claim.claimer_id !== auth.accountId) throw new AppError(403, 'forbidden');
    await releaseClaim(tx, d, id, 'withdrawn', reason, auth.accountId);
    await appendAudit(tx, actor, { action: 'wish.withdraw_claim', targetType: 'wish', targetId: id, summary: { reason } });
    return { id, status: 'published' as const };
  });
}

/** The live claimer reports fulfilment with 1–9 photos (checked, cleaned, thumbnailed) and a note. */
export async function fulfilWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number, note: string, images: Buffer[]) {
  if (images.length < 1) throw fieldError('photos', 'required');
  if (images.length > 9) throw fieldError('photos', 'too_many_photos', { max: 9 });
  return d.db.transaction().execute(async (tx) => {
    const w = await tx.selectFrom('wishes').select(['id', 'title', 'status', 'submitted_by']).where('id', '=', id).executeTakeFirst();
    if (!w) throw notFound();
    const claim = await liveClaim(tx, id);
    if (!claim || claim.claimer_id !== auth.accountId) throw new AppError(403, 'forbidden', 'not_your_claim');
    const now = new Date();
    const res = await tx.updateTable('wishes').set({ status: 'fulfilled', fulfilled_at: now, updated_at: now }).where('id', '=', id).where('status', '=', 'claimed').executeTakeFirst();
    if (!res.numUpdatedRows) throw new AppError(409, 'wish_state', 'wish_state', { status: w.status });
    for (const [i, img] of images.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('wish_photos').values({ wish_id: id, file_id: f.id, kind: 'evidence', sort: i }).execute();
    }
    await tx.updateTable('wish_claims').set({ status: 'fulfilled', fulfilled_at: now, fulfil_note: note }).where('id', '=', claim.id).execute();
    await recordWishEvent(tx, d.bus, id, 'fulfilled', auth.accountId, { note, photos: images.length, claimerName: publicClaimerName(claim.claimer_name, claim.claimer_org_id != null) });
    if (w.submitted_by) await notify(tx, { accountId: w.submitted_by, wishId: id, kind: 'wish_fulfilled', title: '心愿已圆梦', body: `您的心愿「${w.title}」已完成，请确认并评价。` });
    await appendAudit(tx, actor, { action: 'wish.fulfil', targetType: 'wish', targetId: id, summary: { photos: images.length } });
    return { id, status: 'fulfilled' as const };
  });
}

/** The beneficiary (or the submitter, or a worker for them) confirms with a 1–5 rating and a thank-you line. */
export async function confirmWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number, rating: number, comment: string) {
  return d.db.transaction().execute(async (tx) => {
    const w = await tx.selectFrom('wishes').select(['id', 'status', 'title', 'submitted_by', 'beneficiary_person_id', 'region_path']).where('id', '=', id).executeTakeFirst();
    if (!w) throw notFound();
    const isOwn = w.submitted_by === auth.accountId || (auth.personId != null && auth.personId === w.beneficiary_person_id);
    const isWorker = can(auth.permissions, 'wish:review') && isInScope(auth, w.region_path);
    if (!isOwn && !isWorker) throw new AppError(403, 'forbidden');
    const now = new Date();
    const res = await tx.updateTable('wishes').set({ status: 'confirmed', confirmed_at: now, rating, thanks: comment, updated_at: now })
      .where('id', '=', id).where('status', '=', 'fulfilled').executeTakeFirst();
    if (!res.numUpdatedRows) throw new AppError(409, 'wish_state', 'wish_state', { status: w.status });
    await recordWishEvent(tx, d.bus, id, 'confirmed', auth.accountId, { rating, thanks: comment, byWorker: !isOwn });
    const claim = await tx.selectFrom('wish_claims').select('claimer_id').where('wish_id', '=', id).where('status', '=', 'fulfilled').executeTakeFirst();
    if (claim) await notify(tx, { accountId: claim.claimer_id, wishId: id, kind: 'wish_confirmed', title: '圆梦已确认', body: `心愿「${w.title}」的受助人已确认，评分 ${rating} 星：${comment}` });
    await appendAudit(tx, actor, { action: 'wish.confirm', targetType: 'wish', targetId: id, summary: { rating, byWorker: !isOwn } });
    return { id, status: 'confirmed' as const };
  });
}

export const REMIND_DAYS_BEFORE = 3;

/**
 * The claim clock: reminds claimers 3 days before the deadline and releases
 * expired claims back to published with the reason recorded. Idempotent and
 * safe to run on every instance (conditional updates; SKIP LOCKED).
 */
export async function sweepClaims(d: WishDeps, now = new Date()) {
  let reminded = 0, released = 0;
  const remindBefore = new Date(now.getTime() + REMIND_DAYS_BEFORE * 86400_000);
  const dueSoon = await d.db.selectFrom('wish_claims').select(['id']).where('status', '=', 'live').where('reminded_at', 'is', null)
    .where('due_at', '<=', remindBefore).where('due_at', '>', now).limit(500).execute();
  for (const c of dueSoon) {
    await d.db.transaction().execute(async (tx) => {
      const row = await tx.updateTable('wish_claims').set({ reminded_at: now }).where('id', '=', c.id).where('reminded_at', 'is', null).where('status', '=', 'live')
        .returning(['wish_id', 'claimer_id', 'due_at']).executeTakeFirst();
      if (!row) return;
      const w = await tx.selectFrom('wishes').select('title').where('id', '=', row.wish_id).executeTakeFirstOrThrow();
      await notify(tx, { accountId: row.claimer_id, wishId: row.wish_id, kind: 'claim_reminder', title: '认领即将到期', body: `您认领的心愿「${w.title}」将于 ${new Date(row.due_at).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })} 到期，请尽快圆梦。` });
      await recordWishEvent(tx, null, row.wish_id, 'reminded', null, {});
      reminded++;
    });
  }
  const expired = await d.db.selectFrom('wish_claims').select(['id', 'wish_id']).where('status', '=', 'live').where('due_at', '<=', now).limit(500).execute();
  for (const c of expired) {
    await d.db.transaction().execute(async (tx) => {
      const claim = await releaseClaim(tx, d, c.wish_id, 'expired', '认领超过期限未圆梦，已自动释放', null);
      if (!claim) return;
      const w = await tx.selectFrom('wishes').select('title').where('id', '=', c.wish_id).executeTakeFirstOrThrow();
      await notify(tx, { accountId: claim.claimer_id, wishId: c.wish_id, kind: 'claim_expired', title: '认领已到期释放', body: `您认领的心愿「${w.title}」超过期限未圆梦，已重新开放认领。` });
      await appendAudit(tx, SYSTEM_ACTOR, { action: 'wish.claim_expired', targetType: 'wish', targetId: c.wish_id, summary: { claimId: claim.id } });
      released++;
    });
  }
  return { reminded, released };
}

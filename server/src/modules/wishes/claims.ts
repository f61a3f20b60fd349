import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, SYSTEM_ACTOR, type Actor } from '../../core/audit.js';
import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { prepareImages, saveImage } from '../../core/files.js';
import { notify } from '../../core/notify.js';
import { publicClaimerName, wishCode } from './present.js';
import type { WishDeps } from './service.js';
import { recordWishEvent } from './timeline.js';
import { isPublicStatus, requireWishAbility, wishRelation } from './policy.js';

const alreadyClaimed = () => new AppError(409, 'already_claimed');

/** Claims a claimer may make in a day, and claims they may give back: claim-read-withdraw does not scale. */
export const CLAIM_LIMITS = { unitPerDay: 30, personPerDay: 5, withdrawalsPerDay: 3, flagWithdrawalsPerWeek: 3 };

/**
 * Told of a fulfilment inside its transaction, registered by another module (the party module
 * credits points to a claimer who is a party member), so that this module needs no knowledge of it.
 */
export type FulfilmentListener = (tx: Executor, f: { wishId: number; title: string; claimerAccountId: number }) => Promise<void>;
const fulfilmentListeners: FulfilmentListener[] = [];
export function onWishFulfilled(listener: FulfilmentListener) {
  if (!fulfilmentListeners.includes(listener)) fulfilmentListeners.push(listener);
}

/** Who holds a claim: an account, and for an alliance unit its organisation (public name = the unit). */
export interface Claimant { accountId: number; name: string; orgId: number | null; unitId?: number }

/**
 * A rule a claimant must pass, registered by another module (the alliance: only verified
 * units claim), so that this module needs no knowledge of it. Returns an error code to refuse.
 */
export type ClaimGate = (tx: Executor, claimant: Claimant) => Promise<string | null>;
const claimGates: ClaimGate[] = [];
export function addClaimGate(gate: ClaimGate) {
  if (!claimGates.includes(gate)) claimGates.push(gate);
}
async function passClaimGates(tx: Executor, claimant: Claimant) {
  for (const gate of claimGates) {
    const refusal = await gate(tx, claimant);
    if (refusal) throw new AppError(403, refusal);
  }
}

/**
 * The one way a wish becomes claimed — by the claimer (claimWish) or by a worker
 * accepting a season-end assignment for a unit. Two guards, both in the database: a
 * conditional update (published → claimed) that only one transaction can win, and a
 * partial unique index allowing one live claim per wish. A unit claims only once verified.
 */
export async function claimInTx(tx: Executor, d: WishDeps, actor: Actor, id: number, claimant: Claimant, via?: 'season_assignment') {
  await passClaimGates(tx, claimant);
  const w = await tx.selectFrom('wishes as w').innerJoin('seasons as s', 's.id', 'w.season_id')
    .select(['w.id', 'w.status', 'w.title', 'w.submitted_by', 's.claim_days']).where('w.id', '=', id).executeTakeFirst();
  if (!w) throw notFound();
  const now = new Date();
  const res = await tx.updateTable('wishes').set({ status: 'claimed', claimed_at: now, updated_at: now })
    .where('id', '=', id).where('status', '=', 'published').executeTakeFirst();
  if (!res.numUpdatedRows) throw w.status === 'published' || w.status === 'claimed' || w.status === 'fulfilled' || w.status === 'confirmed'
    ? alreadyClaimed() : new AppError(409, 'wish_state', 'wish_state', { status: w.status });
  const dueAt = new Date(now.getTime() + w.claim_days * 86400_000);
  const publicName = publicClaimerName(claimant.name, claimant.orgId != null || claimant.unitId != null);
  await tx.insertInto('wish_claims').values({ wish_id: id, claimer_id: claimant.accountId, claimer_org_id: claimant.orgId, claimer_name: claimant.name, due_at: dueAt }).execute();
  await recordWishEvent(tx, d.bus, id, 'claimed', actor.id, { claimerName: publicName, ...(via && { via }) });
  if (w.submitted_by) await notify(tx, { accountId: w.submitted_by, wishId: id, kind: 'wish_claimed', title: '心愿已被认领', body: `您的心愿「${w.title}」已被${publicName}认领。` });
  if (via && claimant.accountId !== actor.id) await notify(tx, { accountId: claimant.accountId, wishId: id, kind: 'wish_assigned', title: '社区为您分配了心愿', body: `社区已将心愿「${w.title}」分配给${claimant.name}，请在 ${dueAt.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })} 前圆梦。` });
  await appendAudit(tx, actor, { action: 'wish.claim', targetType: 'wish', targetId: id, summary: { dueAt: dueAt.toISOString(), claimerId: claimant.accountId, ...(via && { via }) } });
  return { id, code: wishCode(id), status: 'claimed' as const, dueAt: dueAt.toISOString() };
}

/** The claimer claims a published wish in their scope, within the daily limit. The loser of a race gets 409 "已被认领". */
export async function claimWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number) {
  if (!can(auth.permissions, 'wish:claim')) throw new AppError(403, 'forbidden');
  try {
    return await d.db.transaction().execute(async (tx) => {
      const claimant = await claimerIdentity(tx, auth);
      await passClaimGates(tx, claimant);
      const w = await tx.selectFrom('wishes').select(['region_path', 'status', 'submitted_by', 'beneficiary_person_id']).where('id', '=', id).executeTakeFirst();
      if (!w) throw notFound();
      if (!wishRelation(auth, w).inScope) throw isPublicStatus(w.status) ? outOfScope() : notFound();
      // The account row lock makes the daily count exact under parallel claims by one claimer.
      await tx.selectFrom('accounts').select('id').where('id', '=', auth.accountId).forUpdate().execute();
      const limit = claimant.orgId != null ? CLAIM_LIMITS.unitPerDay : CLAIM_LIMITS.personPerDay;
      if ((await recentClaims(tx, auth.accountId, 'claimed_at')) >= limit) throw new AppError(429, 'claim_limit', 'claim_limit', { limit });
      return claimInTx(tx, d, actor, id, claimant);
    });
  } catch (err: any) {
    if (err?.code === '23505') throw alreadyClaimed(); // the unique index caught a race the update did not
    throw err;
  }
}

/** The claimer's claims made (or given back) in the last `days` days. */
async function recentClaims(tx: Executor, claimerId: number, by: 'claimed_at' | 'withdrawn', days = 1) {
  let q = tx.selectFrom('wish_claims').select(sql<number>`count(*)`.as('n')).where('claimer_id', '=', claimerId);
  q = by === 'claimed_at' ? q.where('claimed_at', '>', sql<Date>`now() - make_interval(days => ${days})`)
    : q.where('status', '=', 'withdrawn').where('ended_at', '>', sql<Date>`now() - make_interval(days => ${days})`);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

async function claimerIdentity(tx: Executor, auth: AuthContext): Promise<Claimant> {
  if (auth.roles.includes('alliance_unit')) {
    // An alliance unit's organisation is the claimer; a party member's branch is not.
    const org = auth.organisationId ? await tx.selectFrom('organisations').select(['id', 'name']).where('id', '=', auth.organisationId).executeTakeFirst() : undefined;
    if (!org) throw new AppError(403, 'unit_not_verified');
    return { accountId: auth.accountId, name: org.name, orgId: org.id };
  }
  return { accountId: auth.accountId, name: auth.displayName, orgId: null };
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
    const w = await tx.selectFrom('wishes').select(['id', 'title', 'region_path', 'status', 'submitted_by', 'beneficiary_person_id']).where('id', '=', id).executeTakeFirst();
    if (!w) throw notFound();
    requireWishAbility(auth, w, 'revokeClaim');
    const claim = await releaseClaim(tx, d, id, 'revoked', reason, auth.accountId);
    if (!claim) throw new AppError(409, 'wish_state', 'wish_state', { status: w.status });
    await notify(tx, { accountId: claim.claimer_id, wishId: id, kind: 'claim_revoked', title: '认领已被撤销', body: `您认领的心愿「${w.title}」已被社区撤销认领，原因：${reason}` });
    await appendAudit(tx, actor, { action: 'wish.revoke_claim', targetType: 'wish', targetId: id, summary: { reason, claimerId: claim.claimer_id } });
    return { id, status: 'published' as const };
  });
}

/**
 * The claimer gives the wish back, within the daily limit. Giving back a wish after
 * reading the beneficiary's contact, or often in a week, is flagged to the community.
 */
export async function withdrawClaim(d: WishDeps, auth: AuthContext, actor: Actor, id: number, reason: string) {
  return d.db.transaction().execute(async (tx) => {
    const w = await tx.selectFrom('wishes').select(['id', 'title', 'region_path', 'status', 'submitted_by', 'beneficiary_person_id', 'community_id']).where('id', '=', id).executeTakeFirst();
    if (!w) throw notFound();
    const claim = await liveClaim(tx, id);
    requireWishAbility(auth, w, 'withdrawClaim', claim && { claimerId: claim.claimer_id, status: claim.status });
    await tx.selectFrom('accounts').select('id').where('id', '=', auth.accountId).forUpdate().execute();
    if ((await recentClaims(tx, auth.accountId, 'withdrawn')) >= CLAIM_LIMITS.withdrawalsPerDay) throw new AppError(429, 'withdraw_limit', 'withdraw_limit', { limit: CLAIM_LIMITS.withdrawalsPerDay });
    await releaseClaim(tx, d, id, 'withdrawn', reason, auth.accountId);
    await appendAudit(tx, actor, { action: 'wish.withdraw_claim', targetType: 'wish', targetId: id, summary: { reason } });
    const weekly = await recentClaims(tx, auth.accountId, 'withdrawn', 7);
    if (claim!.contact_revealed_at || weekly >= CLAIM_LIMITS.flagWithdrawalsPerWeek) {
      const why = claim!.contact_revealed_at ? '查看受益人联系方式后放弃认领' : `7 天内放弃认领 ${weekly} 次`;
      await flagToCommunity(tx, w.community_id, id, `认领异常提醒：${claim!.claimer_name}`, `${claim!.claimer_name} ${why}（心愿「${w.title}」）。请留意是否存在批量获取受益人信息的情况。`);
      await appendAudit(tx, actor, { action: 'wish.claim_flagged', targetType: 'wish', targetId: id, summary: { claimerId: auth.accountId, why } });
    }
    return { id, status: 'published' as const };
  });
}

/** A message to the workers of the wish's community (accounts that review wishes there). */
async function flagToCommunity(tx: Executor, communityId: number, wishId: number, title: string, body: string) {
  const workers = await tx.selectFrom('accounts as a').innerJoin('account_roles as ar', 'ar.account_id', 'a.id').innerJoin('roles as ro', 'ro.code', 'ar.role_code')
    .select('a.id').distinct().where('a.scope_region_id', '=', communityId).where('a.active', '=', true)
    .where((eb) => eb.or([eb(sql.lit('wish:review'), '=', sql<string>`any(ro.permissions)`), eb(sql.lit('*'), '=', sql<string>`any(ro.permissions)`)])).execute();
  for (const a of workers) await notify(tx, { accountId: a.id, wishId, kind: 'claim_flagged', title, body });
}

/** The live claimer reports fulfilment with 1–9 photos (checked, cleaned, thumbnailed) and a note. */
export async function fulfilWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number, note: string, images: Buffer[]) {
  if (images.length < 1) throw fieldError('photos', 'required');
  if (images.length > 9) throw fieldError('photos', 'too_many_photos', { max: 9 });
  // The same first checks as in the transaction, so that only the live claimer's photos reach the encoder.
  if (!(await d.db.selectFrom('wishes').select('id').where('id', '=', id).executeTakeFirst())) throw notFound();
  if ((await liveClaim(d.db, id))?.claimer_id !== auth.accountId) throw new AppError(403, 'forbidden', 'not_your_claim');
  const prepared = await prepareImages(images); // outside the transaction: CPU work holds no connection
  return d.db.transaction().execute(async (tx) => {
    const w = await tx.selectFrom('wishes').select(['id', 'title', 'status', 'submitted_by', 'region_path', 'beneficiary_person_id']).where('id', '=', id).executeTakeFirst();
    if (!w) throw notFound();
    const claim = await liveClaim(tx, id);
    if (!claim || claim.claimer_id !== auth.accountId) throw new AppError(403, 'forbidden', 'not_your_claim');
    requireWishAbility(auth, w, 'fulfil', { claimerId: claim.claimer_id, status: claim.status });
    const now = new Date();
    const res = await tx.updateTable('wishes').set({ status: 'fulfilled', fulfilled_at: now, updated_at: now }).where('id', '=', id).where('status', '=', 'claimed').executeTakeFirst();
    if (!res.numUpdatedRows) throw new AppError(409, 'wish_state', 'wish_state', { status: w.status });
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('wish_photos').values({ wish_id: id, file_id: f.id, kind: 'evidence', sort: i }).execute();
    }
    await tx.updateTable('wish_claims').set({ status: 'fulfilled', fulfilled_at: now, fulfil_note: note }).where('id', '=', claim.id).execute();
    for (const listener of fulfilmentListeners) await listener(tx, { wishId: id, title: w.title, claimerAccountId: claim.claimer_id });
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
    requireWishAbility(auth, w, 'confirm');
    const isOwn = wishRelation(auth, w).own;
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

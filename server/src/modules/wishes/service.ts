import { sql, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can, type Permission } from '../../core/auth/roles.js';
import { appendAudit, type Actor, logPersonalDataAccess } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import type { EventBus } from '../../core/events.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import type { FileStore } from '../../core/files.js';
import { prepareImages, saveImage } from '../../core/files.js';
import { maskIdNumber, maskPhone } from '../../core/identity.js';
import { notify } from '../../core/notify.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope, isInScope } from '../../core/scope.js';
import type { WishCategory, WishStatus, WishTargetGroup } from '../../core/schema.js';
import { addressesOf } from '../regions/service.js';
import { communityNames, hasPartyBadge, liveClaimers, photosOf, presentPublicWish, wishCode, type WishRow } from './present.js';
import { recordWishEvent, timelineOf } from './timeline.js';
import { screenPublicText } from '../../core/public-text.js';
import { CONTACT_AFTER_MINUTES, requireWishAbility, wishAbilities, wishRelation } from './policy.js';
import { VALUE_OPTIONAL_CATEGORIES, type WishDetailResult } from './schemas.js';

export interface WishDeps { db: Db; bus: EventBus | null; files: FileStore }

export interface NewWishInput {
  title: string; story: string; category: WishCategory; targetGroup: WishTargetGroup; estimatedValue?: number;
  seasonId?: number; beneficiaryPersonId?: number; visit?: { date: string; visitor: string };
}

/** The season a wish goes into: the one named, or the current one (today within its dates). */
export async function seasonFor(db: Executor, seasonId?: number) {
  const today = new Date().toISOString().slice(0, 10);
  const q = db.selectFrom('seasons').selectAll();
  const s = seasonId
    ? await q.where('id', '=', seasonId).executeTakeFirst()
    : await q.where('starts_on', '<=', today).where('ends_on', '>=', today).orderBy('starts_on', 'desc').limit(1).executeTakeFirst();
  if (!s) throw fieldError('seasonId', seasonId ? 'no_such_season' : 'no_current_season');
  return s;
}

/** The community region above a region path. */
async function communityOf(db: Executor, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number);
  return db.selectFrom('regions').selectAll().where('id', 'in', ids).where('level', '=', 'community').executeTakeFirst();
}

/** Checks a wish against its season: the community is covered and the value is within the cap. */
export async function checkAgainstSeason(db: Executor, season: { id: number; value_cap_fen: number }, communityId: number, valueFen: number, field = 'estimatedValue') {
  const covered = await db.selectFrom('season_communities').select('community_id').where('season_id', '=', season.id).where('community_id', '=', communityId).executeTakeFirst();
  if (!covered) throw fieldError('seasonId', 'season_not_covering');
  if (valueFen > season.value_cap_fen) throw fieldError(field, 'over_value_cap', { cap: season.value_cap_fen / 100 });
}

export const toFen = (yuan: number) => Math.round(yuan * 100);

/** The value of a new wish in fen: a goods wish states it; a service or companionship wish may leave it out (no cost). */
export function valueFenOf(category: WishCategory, estimatedValue: number | undefined, field = 'estimatedValue') {
  if (estimatedValue != null) return toFen(estimatedValue);
  if (VALUE_OPTIONAL_CATEGORIES.includes(category)) return 0;
  throw fieldError(field, 'value_required_for_goods');
}

/**
 * A wish from the resident H5 (for themselves) or entered by a worker for a
 * resident in scope (home visit). Every channel ends as a wish pending review.
 */
export async function createWish(d: WishDeps, auth: AuthContext, actor: Actor, input: NewWishInput, channel: 'h5' | 'visit' | 'wechat' = input.beneficiaryPersonId ? 'visit' : 'h5') {
  return d.db.transaction().execute(async (tx) => {
    let personId: number;
    if (channel === 'visit') {
      if (!can(auth.permissions, 'wish:enter')) throw new AppError(403, 'forbidden');
      if (!input.beneficiaryPersonId) throw fieldError('beneficiaryPersonId', 'required');
      if (!input.visit) throw fieldError('visit', 'required');
      personId = input.beneficiaryPersonId;
    } else {
      if (!auth.personId) throw fieldError('beneficiaryPersonId', 'no_person_linked');
      personId = auth.personId;
    }
    const person = await tx.selectFrom('persons').select(['id', 'name', 'region_path']).where('id', '=', personId).executeTakeFirst();
    if (!person) throw fieldError('beneficiaryPersonId', 'no_such_person');
    if (channel === 'visit' && !isInScope(auth, person.region_path)) throw outOfScope();
    const community = await communityOf(tx, person.region_path);
    if (!community) throw fieldError('beneficiaryPersonId', 'no_community');
    const season = await seasonFor(tx, input.seasonId);
    const valueFen = valueFenOf(input.category, input.estimatedValue);
    await checkAgainstSeason(tx, season, community.id, valueFen);
    const row = await tx.insertInto('wishes').values({
      season_id: season.id, community_id: community.id, region_path: person.region_path, beneficiary_person_id: person.id,
      beneficiary_surname: person.name[0], title: input.title, story: input.story, category: input.category, target_group: input.targetGroup,
      estimated_value_fen: valueFen, channel, visit_date: input.visit?.date ?? null, visitor: input.visit?.visitor ?? null, submitted_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await recordWishEvent(tx, d.bus, row.id, 'submitted', auth.accountId, { channel });
    await appendAudit(tx, actor, { action: 'wish.create', targetType: 'wish', targetId: row.id, summary: { channel, seasonId: season.id, communityId: community.id, title: input.title } });
    return { id: row.id, code: wishCode(row.id), status: 'pending_review' as WishStatus };
  });
}

async function loadWish(db: Executor, id: number): Promise<WishRow> {
  const w = await db.selectFrom('wishes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!w) throw notFound();
  return w as WishRow;
}

/** A worker acting on a wish must hold the permission and have its community in scope. */
function requireWorker(auth: AuthContext, w: WishRow, permission: Permission) {
  if (!can(auth.permissions, permission)) throw new AppError(403, 'forbidden');
  if (!isInScope(auth, w.region_path)) throw outOfScope();
}

function stateConflict(w: { status: WishStatus }) {
  return new AppError(409, 'wish_state', 'wish_state', { status: w.status });
}

export async function reviewWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number, decision: 'approve' | 'reject', reason?: string) {
  return d.db.transaction().execute(async (tx) => {
    const w = await loadWish(tx, id);
    requireWorker(auth, w, 'wish:review');
    if (decision === 'reject' && !reason?.trim()) throw fieldError('reason', 'required');
    const now = new Date();
    const res = await tx.updateTable('wishes').set(decision === 'approve'
      ? { review_status: 'approved', status: 'published', published_at: now, reviewed_by: auth.accountId, review_reason: reason ?? null, updated_at: now }
      : { review_status: 'rejected', status: 'rejected', reviewed_by: auth.accountId, review_reason: reason!.trim(), updated_at: now })
      .where('id', '=', id).where('status', '=', 'pending_review').executeTakeFirst();
    if (!res.numUpdatedRows) throw stateConflict(w);
    await recordWishEvent(tx, d.bus, id, decision === 'approve' ? 'published' : 'rejected', auth.accountId, decision === 'reject' ? { reason: reason!.trim() } : {});
    if (w.submitted_by) {
      await notify(tx, {
        accountId: w.submitted_by, wishId: id, kind: decision === 'approve' ? 'wish_published' : 'wish_rejected',
        title: decision === 'approve' ? '心愿已发布' : '心愿未通过审核',
        body: decision === 'approve' ? `您的心愿「${w.title}」已通过审核并发布到心愿墙。` : `您的心愿「${w.title}」未通过审核：${reason}`,
      });
    }
    await appendAudit(tx, actor, { action: `wish.${decision}`, targetType: 'wish', targetId: id, summary: { reason: reason ?? null } });
    return { id, status: decision === 'approve' ? 'published' as const : 'rejected' as const };
  });
}

export interface WishPatch { title?: string; story?: string; category?: WishCategory; targetGroup?: WishTargetGroup; estimatedValue?: number }

/** Only unclaimed wishes can be edited: by a worker in scope, or by the submitter while pending. */
export async function editWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number, patch: WishPatch) {
  return d.db.transaction().execute(async (tx) => {
    const w = await loadWish(tx, id);
    requireWishAbility(auth, w, 'edit');
    if (patch.estimatedValue !== undefined) {
      const season = await tx.selectFrom('seasons').selectAll().where('id', '=', w.season_id).executeTakeFirstOrThrow();
      await checkAgainstSeason(tx, season, w.community_id, toFen(patch.estimatedValue));
    }
    const res = await tx.updateTable('wishes').set({
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.story !== undefined && { story: patch.story }),
      ...(patch.category !== undefined && { category: patch.category }),
      ...(patch.targetGroup !== undefined && { target_group: patch.targetGroup }),
      ...(patch.estimatedValue !== undefined && { estimated_value_fen: toFen(patch.estimatedValue) }),
      updated_at: new Date(),
    }).where('id', '=', id).where('status', 'in', ['pending_review', 'published']).executeTakeFirst();
    if (!res.numUpdatedRows) throw stateConflict(w);
    await recordWishEvent(tx, null, id, 'edited', auth.accountId, {});
    await appendAudit(tx, actor, { action: 'wish.edit', targetType: 'wish', targetId: id, summary: { ...patch } });
    return getWish(tx, auth, actor, id);
  });
}

/** A published (unclaimed) wish is taken off the wall by a worker or its submitter. */
export async function withdrawWish(d: WishDeps, auth: AuthContext, actor: Actor, id: number, reason: string) {
  return d.db.transaction().execute(async (tx) => {
    const w = await loadWish(tx, id);
    requireWishAbility(auth, w, 'withdraw');
    const res = await tx.updateTable('wishes').set({ status: 'withdrawn', withdrawn_at: new Date(), updated_at: new Date() })
      .where('id', '=', id).where('status', 'in', ['published', 'pending_review']).executeTakeFirst();
    if (!res.numUpdatedRows) throw stateConflict(w);
    await recordWishEvent(tx, d.bus, id, 'withdrawn', auth.accountId, { reason });
    await appendAudit(tx, actor, { action: 'wish.withdraw', targetType: 'wish', targetId: id, summary: { reason } });
    return { id, status: 'withdrawn' as WishStatus };
  });
}

const CONTACT_DAYS_AFTER_CONFIRM = 30;

/** Timeline details the public may see, free text screened; reasons of rejections and withdrawals stay internal. */
const PUBLIC_EVENT_FIELDS = ['claimerName', 'note', 'photos', 'rating', 'thanks', 'reason'];
function publicTimelineEntry(e: Record<string, unknown> & { kind: string }) {
  const out: Record<string, unknown> = { id: e.id, kind: e.kind, at: e.at };
  for (const k of PUBLIC_EVENT_FIELDS) {
    if (e[k] === undefined || (k === 'reason' && !['released', 'revoked'].includes(e.kind))) continue;
    out[k] = typeof e[k] === 'string' ? screenPublicText(e[k] as string) : e[k];
  }
  return out;
}

/**
 * One wish as the caller may see it (see policy.ts). Workers of its community also
 * get the beneficiary's contact (each read logged); the claimer asks for it
 * explicitly with revealContact. Everyone else gets the public view, and only of public states.
 */
export async function getWish(db: Executor, auth: AuthContext | null, actor: Actor, id: number) {
  const w = await loadWish(db, id);
  const [names, claimers, photos] = await Promise.all([communityNames(db, [w.community_id]), liveClaimers(db, [id]), photosOf(db, [id])]);
  const claim = claimers.get(id);
  const abilities = wishAbilities(auth, w, claim);
  if (!abilities.read) throw notFound();
  const base = presentPublicWish(w, { communityName: names.get(w.community_id) ?? '', claimerName: claim?.publicName, claimerPartyMember: claim?.partyMember, photos: photos.get(id) });
  const isWorker = wishRelation(auth, w, claim).worker('wish:read');
  const timeline = await timelineOf(db, id);
  const result: Record<string, unknown> = {
    ...base, timeline: abilities.readPrivate ? timeline : timeline.map(publicTimelineEntry), reviewStatus: w.review_status,
    reviewReason: abilities.readPrivate ? w.review_reason : undefined, abilities: auth ? abilities : undefined,
  };
  if (auth && claim?.claimerId === auth.accountId) {
    result.myClaim = { status: claim.status, dueAt: claim.dueAt, contactAvailableAt: new Date(new Date(claim.claimedAt).getTime() + CONTACT_AFTER_MINUTES * 60_000).toISOString() };
  }
  if (abilities.readPrivate) {
    result.channel = w.channel;
    result.visit = w.visit_date ? { date: w.visit_date, visitor: w.visitor } : null;
    result.claimer = claim ? { accountId: claim.claimerId, name: claim.name, partyMember: claim.partyMember, dueAt: claim.dueAt, status: claim.status } : null;
  }
  if (isWorker && auth) result.beneficiaryContact = await readContact(db, auth, actor, w, `心愿办理 ${wishCode(id)}`, true);
  // Built field by field for the caller; the route's response schema checks the whole.
  return result as WishDetailResult;
}

/** The beneficiary's name, phone and address, logged as an unmasked read. */
async function readContact(db: Executor, auth: AuthContext, actor: Actor, w: WishRow, purpose: string, withId: boolean) {
  if (!w.beneficiary_person_id) return null;
  const p = await db.selectFrom('persons').select(['id', 'name', 'phone', 'id_number', 'region_path']).where('id', '=', w.beneficiary_person_id).executeTakeFirst();
  if (!p) return null;
  const address = (await addressesOf(db, [p.region_path])).get(p.region_path) ?? '';
  await logPersonalDataAccess(db, {
    actor_id: auth.accountId, kind: 'unmask', target_type: 'person', target_id: String(p.id), fields: ['name', 'phone', 'address'],
    purpose, ip: actor.ip, request_id: actor.requestId,
  });
  return { personId: p.id, name: p.name, phone: p.phone, address, idNumber: withId ? maskIdNumber(p.id_number) : undefined };
}

/**
 * "Contact the beneficiary": the claimer reads the contact details by an explicit,
 * logged action, and only once the claim has stood for CONTACT_AFTER_MINUTES (and
 * until 30 days after confirmation) — so claim-read-withdraw cannot harvest contacts.
 */
export async function revealContact(db: Db, auth: AuthContext, actor: Actor, id: number) {
  return db.transaction().execute(async (tx) => {
    const w = await loadWish(tx, id);
    const claim = (await liveClaimers(tx, [id])).get(id);
    requireWishAbility(auth, w, 'contact', claim);
    if (wishRelation(auth, w, claim).worker('wish:read')) return readContact(tx, auth, actor, w, `心愿办理 ${wishCode(id)}`, true);
    const c = await tx.selectFrom('wish_claims').select(['id', 'claimed_at']).where('wish_id', '=', id).where('claimer_id', '=', auth.accountId)
      .where('status', 'in', ['live', 'fulfilled']).executeTakeFirst();
    if (!c) throw new AppError(403, 'forbidden');
    const waitMs = new Date(c.claimed_at).getTime() + CONTACT_AFTER_MINUTES * 60_000 - Date.now();
    if (waitMs > 0) throw new AppError(409, 'contact_not_yet', 'contact_not_yet', { minutes: Math.ceil(waitMs / 60_000) });
    if (w.confirmed_at && Date.now() - new Date(w.confirmed_at).getTime() > CONTACT_DAYS_AFTER_CONFIRM * 86400_000) throw new AppError(403, 'forbidden');
    await tx.updateTable('wish_claims').set({ contact_revealed_at: sql`coalesce(contact_revealed_at, now())` }).where('id', '=', c.id).execute();
    return readContact(tx, auth, actor, w, `认领送达 ${wishCode(id)}`, false);
  });
}

export interface WishFilter { seasonId?: number; status?: WishStatus; communityId?: number; category?: WishCategory; q?: string; dueWithinDays?: number }

/** The workers' list: wishes of communities in scope, with the beneficiary's name (phone masked); the page and its count are the only queries. */
export async function listWishes(db: Db, auth: AuthContext, f: WishFilter, page: PageQuery) {
  const res = await paginate(workerWishQuery(db, auth, f).orderBy('w.id', 'desc'), page, withWorkerRelations);
  return { ...res, items: res.items.map(presentForWorkers) };
}

export function workerWishQuery(db: Db, auth: AuthContext, f: WishFilter) {
  let q = db.selectFrom('wishes as w').leftJoin('persons as p', 'p.id', 'w.beneficiary_person_id')
    .selectAll('w').select(['p.name as beneficiary_name', 'p.phone as beneficiary_phone'])
    .where(inScope(auth, 'w.region_path'));
  if (f.seasonId) q = q.where('w.season_id', '=', f.seasonId);
  if (f.status) q = q.where('w.status', '=', f.status);
  if (f.communityId) q = q.where('w.community_id', '=', f.communityId);
  if (f.category) q = q.where('w.category', '=', f.category);
  if (f.dueWithinDays != null) {
    const before = new Date(Date.now() + f.dueWithinDays * 86_400_000);
    q = q.where((eb) => eb.exists(eb.selectFrom('wish_claims as dc').select('dc.id').whereRef('dc.wish_id', '=', 'w.id').where('dc.status', '=', 'live').where('dc.due_at', '<', before)));
  }
  if (f.q?.trim()) {
    const term = `%${f.q.trim().replace(/[%_\\]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('w.title', 'like', term), eb('p.name', 'like', term)]));
  }
  return q;
}

/** The community's name and the live or fulfilled claim (its claimer's name and badge), joined to the workers' rows. */
export function withWorkerRelations(q: ReturnType<typeof workerWishQuery>) {
  return q.leftJoin('regions as rc', 'rc.id', 'w.community_id')
    .leftJoinLateral((eb) => eb.selectFrom('wish_claims as wc').select(['wc.claimer_id', 'wc.claimer_name', 'wc.claimer_org_id'])
      .whereRef('wc.wish_id', '=', 'w.id').where('wc.status', 'in', ['live', 'fulfilled']).limit(1).as('c'), (join) => join.onTrue())
    // An alliance unit's claim is the unit's, not a member's, even when its account's person is one (as in liveClaimers).
    .select((eb) => ['rc.name as community_name', 'c.claimer_name', eb.and([eb('c.claimer_org_id', 'is', null), hasPartyBadge(eb.ref('c.claimer_id'))]).as('claimer_badge')]);
}

type WorkerRow = WishRow & { beneficiary_name: string | null; beneficiary_phone: string | null; community_name: string | null; claimer_name: string | null; claimer_badge: SqlBool | null };

export function presentForWorkers(r: WorkerRow) {
  return {
    ...presentPublicWish(r, { communityName: r.community_name ?? '', claimerName: r.claimer_name, claimerPartyMember: !!r.claimer_badge }),
    beneficiaryName: r.beneficiary_name, beneficiaryPhone: maskPhone(r.beneficiary_phone), channel: r.channel, reviewStatus: r.review_status,
    reviewReason: r.review_reason, createdAt: r.created_at,
  };
}

/** The caller's own wishes (submitted or benefiting) and the wishes they claimed. */
export async function myWishes(db: Db, auth: AuthContext) {
  const own = await db.selectFrom('wishes').selectAll()
    .where((eb) => eb.or([eb('submitted_by', '=', auth.accountId), ...(auth.personId ? [eb('beneficiary_person_id', '=', auth.personId)] : [])]))
    .where(inScope(auth, 'region_path'))
    .orderBy('id', 'desc').limit(100).execute() as WishRow[];
  const myClaims = await db.selectFrom('wish_claims').select(['wish_id', 'status', 'due_at']).where('claimer_id', '=', auth.accountId).orderBy('id', 'desc').limit(100).execute();
  const claimedIds = [...new Set(myClaims.map((r) => r.wish_id))];
  const claimed = claimedIds.length ? await db.selectFrom('wishes').selectAll().where('id', 'in', claimedIds).where(inScope(auth, 'region_path')).orderBy('id', 'desc').execute() as WishRow[] : [];
  const all = [...own, ...claimed];
  const [names, claimers, photos] = await Promise.all([communityNames(db, all.map((w) => w.community_id)), liveClaimers(db, all.map((w) => w.id)), photosOf(db, all.map((w) => w.id))]);
  const show = (w: WishRow) => presentPublicWish(w, { communityName: names.get(w.community_id) ?? '', claimerName: claimers.get(w.id)?.publicName, claimerPartyMember: claimers.get(w.id)?.partyMember, photos: photos.get(w.id) });
  return {
    submitted: own.map(show),
    claimed: claimed.map((w) => {
      const c = myClaims.find((m) => m.wish_id === w.id)!;
      return { ...show(w), myClaimLive: c.status === 'live', myClaimStatus: c.status, myClaimDueAt: c.due_at };
    }),
  };
}

/** Photos a resident attaches to their own wish (up to 3), checked and cleaned like every upload. */
export async function addWishPhotos(d: WishDeps, auth: AuthContext, actor: Actor, id: number, images: Buffer[]) {
  // Checked once before the encoder runs (no re-encoding for a stranger), again in the transaction.
  requireWishAbility(auth, await loadWish(d.db, id), 'addPhotos');
  if (!images.length) throw fieldError('photos', 'required');
  if (images.length > 3) throw fieldError('photos', 'too_many_photos', { max: 3 });
  const prepared = await prepareImages(images); // outside the transaction: CPU work holds no connection
  return d.db.transaction().execute(async (tx) => {
    const w = await loadWish(tx, id);
    requireWishAbility(auth, w, 'addPhotos');
    const existing = await tx.selectFrom('wish_photos').select('id').where('wish_id', '=', id).where('kind', '=', 'wish').execute();
    if (existing.length + prepared.length > 3) throw fieldError('photos', 'too_many_photos', { max: 3 });
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('wish_photos').values({ wish_id: id, file_id: f.id, kind: 'wish', sort: existing.length + i }).execute();
    }
    await appendAudit(tx, actor, { action: 'wish.photos', targetType: 'wish', targetId: id, summary: { added: images.length } });
    return (await photosOf(tx, [id])).get(id) ?? [];
  });
}

/** Files attached to wishes follow the wish (see policy.ts); registered as the wishes module's file reader. */
export async function readWishFile(db: Executor, auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const w = await db.selectFrom('wish_photos as p').innerJoin('wishes as w', 'w.id', 'p.wish_id')
    .select(['w.id', 'w.region_path', 'w.submitted_by', 'w.beneficiary_person_id', 'w.status']).where('p.file_id', '=', fileId).executeTakeFirst();
  if (!w) return undefined;
  return wishAbilities(auth, w, (await liveClaimers(db, [w.id])).get(w.id)).read;
}

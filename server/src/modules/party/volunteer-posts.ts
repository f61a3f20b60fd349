import { sql, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { isInScope, scopePrefix } from '../../core/scope.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { myMember } from './activities.js';
import { creditPoints } from './points.js';
import { partyOrgInScope } from './access.js';
import { todayInShanghai } from './members.js';

/**
 * 请缨 (双向互动): a party organisation posts a duty in the wish column; members volunteer for it, once per
 * member and post (a unique key, so a retry answers the same); the organisation's side accepts or declines
 * each offer once (a conditional update on status = 'pending'). Open posts are seen by every member in the
 * district; the organisation's side (party:read over its region) sees the offers.
 */

function selectPosts(db: Db) {
  return db.selectFrom('party_volunteer_posts as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id').innerJoin('regions as r', 'r.id', 'o.region_id')
    .select([
      'p.id', 'p.title', 'p.description', 'p.place', 'p.starts_on', 'p.ends_on', 'p.slots', 'p.status', 'p.organisation_id', 'o.name as org_name', 'r.path as regionPath',
      sql<number>`(select count(*)::int from party_volunteer_offers f where f.post_id = p.id and f.status = 'accepted')`.as('accepted'),
    ]);
}

export interface PostInput { organisationId: number; title: string; description?: string; place: string; startsOn: string; endsOn: string; slots: number }

export async function createPost(db: Db, auth: AuthContext, actor: Actor, input: PostInput) {
  if (input.endsOn < input.startsOn) throw fieldError('endsOn', 'ends_before_start');
  return db.transaction().execute(async (tx) => {
    const org = await partyOrgInScope(tx, auth, 'organisationId', input.organisationId);
    const row = await tx.insertInto('party_volunteer_posts').values({
      organisation_id: org.id, title: input.title, description: input.description ?? '', place: input.place, starts_on: input.startsOn, ends_on: input.endsOn,
      slots: input.slots, created_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'party_post.create', targetType: 'party_volunteer_post', targetId: row.id, summary: { organisationId: org.id, title: input.title, slots: input.slots } });
    return { id: row.id };
  });
}

/** Posts the caller sees: open ones for a member (with their own offer), and those of the organisations in scope for the organisation's side (with the offers). */
export async function listPosts(db: Db, auth: AuthContext, page: PageQuery) {
  const me = await myMember(db, auth);
  const prefix = can(auth.permissions, 'party:read') ? scopePrefix(auth) : null;
  const sides: ReturnType<typeof sql<SqlBool>>[] = [];
  if (prefix) sides.push(sql<SqlBool>`r.path like ${`${prefix}%`}`);
  if (me) sides.push(sql<SqlBool>`(p.status = 'open' and p.ends_on >= ${todayInShanghai()}::date)`);
  const q = selectPosts(db).where(sides.length ? sql<SqlBool>`(${sql.join(sides, sql` or `)})` : sql<SqlBool>`false`).orderBy('p.id', 'desc');
  const res = await paginate(q, page);
  const ids = res.items.map((p) => p.id);
  const offers = ids.length ? await db.selectFrom('party_volunteer_offers as f').innerJoin('party_members as m', 'm.id', 'f.member_id').innerJoin('organisations as mo', 'mo.id', 'm.organisation_id')
    .select(['f.id', 'f.post_id', 'f.member_id', 'm.name', 'mo.name as org_name', 'f.note', 'f.status', 'f.created_at', 'f.hours']).where('f.post_id', 'in', ids).orderBy('f.id').execute() : [];
  return {
    ...res,
    items: res.items.map((p) => {
      const mine = offers.filter((f) => f.post_id === p.id);
      const orgSide = !!prefix && isInScope(auth, p.regionPath);
      const present = (f: (typeof offers)[number]) => ({
        id: f.id, memberId: f.member_id, name: f.name, organisation: f.org_name, note: f.note, status: f.status, createdAt: f.created_at, hours: f.hours == null ? null : Number(f.hours),
      });
      return {
        id: p.id, organisation: { id: p.organisation_id, name: p.org_name }, title: p.title, description: p.description, place: p.place,
        startsOn: p.starts_on, endsOn: p.ends_on, slots: p.slots, accepted: Number(p.accepted), status: p.status,
        myOffer: me ? (mine.filter((f) => f.member_id === me.id).map(present)[0] ?? null) : null,
        offers: orgSide ? mine.map(present) : null,
      };
    }),
  };
}

/** A member volunteers (请缨) for an open post; volunteering again answers with the same offer. */
export async function volunteer(db: Db, auth: AuthContext, actor: Actor, postId: number, note: string | null) {
  return db.transaction().execute(async (tx) => {
    const me = await myMember(tx, auth);
    if (!me) throw new AppError(403, 'forbidden', 'not_a_member');
    const p = await tx.selectFrom('party_volunteer_posts').select(['id', 'status', 'ends_on']).where('id', '=', postId).executeTakeFirst();
    if (!p) throw notFound();
    if (p.status !== 'open' || p.ends_on < todayInShanghai()) throw new AppError(409, 'post_closed');
    const row = await tx.insertInto('party_volunteer_offers').values({ post_id: postId, member_id: me.id, note })
      .onConflict((oc) => oc.columns(['post_id', 'member_id']).doNothing()).returning('id').executeTakeFirst();
    if (row) await appendAudit(tx, actor, { action: 'party_post.volunteer', targetType: 'party_volunteer_post', targetId: postId, summary: { memberId: me.id } });
    const offer = await tx.selectFrom('party_volunteer_offers').select(['id', 'status', 'created_at']).where('post_id', '=', postId).where('member_id', '=', me.id).executeTakeFirstOrThrow();
    return { id: offer.id, postId, memberId: me.id, status: offer.status, createdAt: offer.created_at };
  });
}

/** The post's organisation side accepts or declines an offer, once; an accepted offer takes one of the post's places. */
export async function decideOffer(db: Db, auth: AuthContext, actor: Actor, offerId: number, decision: 'accepted' | 'declined') {
  return db.transaction().execute(async (tx) => {
    const f = await tx.selectFrom('party_volunteer_offers as f').innerJoin('party_volunteer_posts as p', 'p.id', 'f.post_id')
      .innerJoin('organisations as o', 'o.id', 'p.organisation_id').innerJoin('regions as r', 'r.id', 'o.region_id')
      .select(['f.id', 'f.post_id', 'f.member_id', 'p.slots', 'r.path']).where('f.id', '=', offerId).executeTakeFirst();
    if (!f) throw notFound();
    if (!can(auth.permissions, 'party:manage') || !isInScope(auth, f.path)) throw outOfScope();
    if (decision === 'accepted') {
      await tx.selectFrom('party_volunteer_posts').select('id').where('id', '=', f.post_id).forUpdate().execute(); // serialises acceptances against the places
      const { n } = await tx.selectFrom('party_volunteer_offers').select(sql<number>`count(*)::int`.as('n')).where('post_id', '=', f.post_id).where('status', '=', 'accepted').executeTakeFirstOrThrow();
      if (Number(n) >= f.slots) throw new AppError(409, 'post_full');
    }
    const done = await tx.updateTable('party_volunteer_offers').set({ status: decision, decided_by: auth.accountId, decided_at: new Date() })
      .where('id', '=', offerId).where('status', '=', 'pending').executeTakeFirst();
    if (!Number(done.numUpdatedRows)) throw new AppError(409, 'offer_decided');
    await appendAudit(tx, actor, { action: `party_post.${decision === 'accepted' ? 'accept' : 'decline'}`, targetType: 'party_volunteer_post', targetId: f.post_id, summary: { offerId, memberId: f.member_id } });
    return { id: offerId, status: decision };
  });
}

/**
 * After the duty, the post's organisation side records the hours an accepted volunteer served, once: the
 * volunteer_hours rule credits them (points per hour) in the same transaction. Recording the same hours
 * again answers the same; other hours are refused (the ledger entry stays as first written).
 */
export async function recordHours(db: Db, auth: AuthContext, actor: Actor, offerId: number, hours: number) {
  return db.transaction().execute(async (tx) => {
    const f = await tx.selectFrom('party_volunteer_offers as f').innerJoin('party_volunteer_posts as p', 'p.id', 'f.post_id')
      .innerJoin('organisations as o', 'o.id', 'p.organisation_id').innerJoin('regions as r', 'r.id', 'o.region_id')
      .select(['f.id', 'f.member_id', 'f.status', 'f.hours', 'p.id as post_id', 'p.title', 'p.starts_on', 'r.path']).where('f.id', '=', offerId).executeTakeFirst();
    if (!f) throw notFound();
    if (!can(auth.permissions, 'party:manage') || !isInScope(auth, f.path)) throw outOfScope();
    const points = async () => (await tx.selectFrom('party_points').select('points').where('source_kind', '=', 'volunteer').where('source_id', '=', offerId)
      .where('member_id', '=', f.member_id).executeTakeFirst())?.points ?? 0;
    if (f.hours != null) {
      if (Number(f.hours) !== hours) throw new AppError(409, 'hours_recorded', 'hours_recorded', { hours: Number(f.hours) });
      return { id: offerId, hours, points: await points() };
    }
    if (f.status !== 'accepted') throw new AppError(409, 'offer_not_accepted');
    if (f.starts_on > todayInShanghai()) throw new AppError(409, 'post_not_started');
    const done = await tx.updateTable('party_volunteer_offers').set({ hours, hours_recorded_by: auth.accountId, hours_recorded_at: new Date() })
      .where('id', '=', offerId).where('status', '=', 'accepted').where('hours', 'is', null).returning('id').executeTakeFirst();
    if (!done) { // a concurrent duplicate recorded first
      const now = (await tx.selectFrom('party_volunteer_offers').select('hours').where('id', '=', offerId).executeTakeFirstOrThrow()).hours;
      if (now != null && Number(now) === hours) return { id: offerId, hours, points: await points() };
      throw new AppError(409, 'hours_recorded', 'hours_recorded', { hours: Number(now) });
    }
    await creditPoints(tx, { memberId: f.member_id, rule: 'volunteer_hours', sourceKind: 'volunteer', sourceId: offerId, hours, note: `请缨岗位「${f.title}」志愿服务 ${hours} 小时` });
    await appendAudit(tx, actor, { action: 'party_post.hours', targetType: 'party_volunteer_post', targetId: f.post_id, summary: { offerId, memberId: f.member_id, hours } });
    return { id: offerId, hours, points: await points() };
  });
}

import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { checkMember, memberInScope, membersFrom, partyOrgInScope } from './access.js';
import { POINT_SOURCE_NAMES, type PointRule, type PointSource } from './tables.js';

/**
 * Points (积分): a ledger with one row per (source kind, source id, member), written with
 * `on conflict do nothing`, so an event credits once however often it is reported (a retried
 * request, a second instance). The amounts come from the district's rules at the time of the event.
 */

export interface Credit { memberId: number; rule: PointRule; sourceKind: PointSource; sourceId: number; note: string; hours?: number }

/** Credits one event; null when the rule is off, or when this event was credited already. */
export async function creditPoints(tx: Executor, c: Credit) {
  const rule = await tx.selectFrom('party_point_rules').select(['points', 'per', 'active']).where('code', '=', c.rule).executeTakeFirst();
  if (!rule?.active) return null;
  const points = rule.per === 'hour' ? Math.round(rule.points * (c.hours ?? 0)) : rule.points;
  return await tx.insertInto('party_points').values({ member_id: c.memberId, rule_code: c.rule, source_kind: c.sourceKind, source_id: c.sourceId, points, note: c.note })
    .onConflict((oc) => oc.columns(['source_kind', 'source_id', 'member_id']).doNothing()).returning(['id', 'points']).executeTakeFirst() ?? null;
}

/** The party member an account belongs to (through its person), if any. */
export async function memberOfAccount(db: Executor, accountId: number) {
  return db.selectFrom('accounts as a').innerJoin('party_members as m', 'm.person_id', 'a.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.id', 'm.name', 'o.name as org_name']).where('a.id', '=', accountId).executeTakeFirst();
}

/**
 * A fulfilled wish (圆梦: the claimer reported it done with photos) credits its claimer when the
 * claimer is a party member; called by the wishes module inside the fulfilment's transaction.
 * A claim alone credits nothing.
 */
export async function creditFulfilledWish(tx: Executor, f: { wishId: number; title: string; claimerAccountId: number }) {
  const m = await memberOfAccount(tx, f.claimerAccountId);
  if (m) await creditPoints(tx, { memberId: m.id, rule: 'wish_fulfilled', sourceKind: 'wish', sourceId: f.wishId, note: `认领并圆梦微心愿「${f.title}」` });
}

/** Party-member badges (亮身份) of some accounts: the member's organisation, for the wishes module's claimer display. */
/** partyBadges as a condition on an account id column (the workers' wish list joins its claims in one query). */
export const isPartyMemberAccount = (accountId: Expression<number | null>) => sql<SqlBool>`exists (select 1 from accounts a join party_members m on m.person_id = a.person_id join organisations o on o.id = m.organisation_id where a.id = ${accountId})`;

export async function partyBadges(db: Executor, accountIds: number[]) {
  if (!accountIds.length) return new Map<number, { organisation: string }>();
  const rows = await db.selectFrom('accounts as a').innerJoin('party_members as m', 'm.person_id', 'a.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id').select(['a.id', 'o.name']).where('a.id', 'in', [...new Set(accountIds)]).execute();
  return new Map(rows.map((r) => [r.id, { organisation: r.name }]));
}

/** A member's ledger, newest first, each entry with its rule, source and points, and the total: for the organisation's side in scope, or the member themself. */
export async function memberPoints(db: Db, auth: AuthContext, memberId: number) {
  const m = await membersFrom(db).select(['m.id', 'm.name', 'm.person_id', 'o.id as org_id', 'o.name as org_name', 'ro.path as orgPath', 'rc.path as reportPath'])
    .where('m.id', '=', memberId).executeTakeFirst();
  if (!m) throw notFound();
  if (!(auth.personId != null && m.person_id === auth.personId)) {
    if (!can(auth.permissions, 'party:read')) throw new AppError(403, 'forbidden');
    checkMember(auth, m, 'read');
  }
  const rows = await db.selectFrom('party_points as p').innerJoin('party_point_rules as r', 'r.code', 'p.rule_code')
    .select(['p.id', 'p.rule_code', 'r.name as rule_name', 'p.source_kind', 'p.source_id', 'p.points', 'p.note', 'p.created_at'])
    .where('p.member_id', '=', memberId).orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(500).execute();
  const total = Number((await db.selectFrom('party_points').select(sql<number>`coalesce(sum(points), 0)::int`.as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n);
  return {
    member: { id: m.id, name: m.name, organisation: { id: m.org_id, name: m.org_name } }, total,
    items: rows.map((p) => ({
      id: p.id, rule: { code: p.rule_code, name: p.rule_name }, source: { kind: p.source_kind, kindName: POINT_SOURCE_NAMES[p.source_kind], id: p.source_id },
      points: p.points, explanation: p.note, createdAt: p.created_at,
    })),
  };
}

/** The caller's own member record and points total (the H5's 我的组织 / 我的积分). */
export async function myParty(db: Db, auth: AuthContext) {
  const m = auth.personId == null ? undefined : await db.selectFrom('party_members as m').innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .leftJoin('regions as rc', 'rc.id', 'm.report_community_id')
    .select(['m.id', 'm.name', 'm.status', 'm.joined_on', 'm.posts', 'o.id as org_id', 'o.name as org_name', 'o.path as org_path', 'rc.id as rc_id', 'rc.name as rc_name'])
    .where('m.person_id', '=', auth.personId).executeTakeFirst();
  if (!m) throw new AppError(404, 'not_found', 'not_a_member');
  const [total, members, secretaries] = await Promise.all([
    db.selectFrom('party_points').select(sql<number>`coalesce(sum(points), 0)::int`.as('n')).where('member_id', '=', m.id).executeTakeFirstOrThrow(),
    db.selectFrom('party_members').select(sql<number>`count(*)::int`.as('n')).where('organisation_id', '=', m.org_id).executeTakeFirstOrThrow(),
    db.selectFrom('party_members').select(['name', 'posts']).where('organisation_id', '=', m.org_id).where(sql<SqlBool>`cardinality(posts) > 0`).orderBy('id').limit(10).execute(),
  ]);
  return {
    member: { id: m.id, name: m.name, status: m.status, joinedOn: m.joined_on, posts: m.posts },
    organisation: { id: m.org_id, name: m.org_name, members: Number(members.n), leaders: secretaries.map((s) => ({ name: s.name, posts: s.posts })) },
    reportCommunity: m.rc_id != null ? { id: m.rc_id, name: m.rc_name! } : null,
    points: Number(total.n),
  };
}

export type RankBy = 'member' | 'organisation' | 'community';
export interface RankFilter { by: RankBy; organisationId?: number }
export const RANK_LIMIT = 200;
export interface RankItem { rank: number; id: number; name: string; organisation: string | null; members: number; points: number }

/**
 * Rankings over the members in the caller's scope (by organisation or 双报到, as the register):
 * by member, by organisation, or by community (the community the member reports to, else their organisation's).
 */
export async function pointRankings(db: Db, auth: AuthContext, f: RankFilter): Promise<{ by: RankBy; items: RankItem[] }> {
  let q = membersFrom(db).where(memberInScope(auth))
    .leftJoin((eb) => eb.selectFrom('party_points').select(['member_id', sql<number>`sum(points)::int`.as('total')]).groupBy('member_id').as('pt'), (j) => j.onRef('pt.member_id', '=', 'm.id'));
  if (f.organisationId) q = q.where('o.path', 'like', `${(await partyOrgInScope(db, auth, 'organisationId', f.organisationId)).path}%`);
  const points = sql<number>`coalesce(sum(pt.total), 0)::int`;
  if (f.by === 'member') {
    const rows = await q.select(['m.id', 'm.name', 'o.name as org_name', sql<number>`coalesce(pt.total, 0)::int`.as('points')])
      .orderBy(sql`coalesce(pt.total, 0)`, 'desc').orderBy('m.id').limit(RANK_LIMIT).execute();
    return { by: f.by, items: rows.map((r, i) => ({ rank: i + 1, id: r.id, name: r.name, organisation: r.org_name, members: 1, points: Number(r.points) })) };
  }
  if (f.by === 'organisation') {
    const rows = await q.select(['o.id', 'o.name', sql<number>`count(*)::int`.as('members'), points.as('points')]).groupBy(['o.id', 'o.name'])
      .orderBy(points, 'desc').orderBy('o.id').limit(RANK_LIMIT).execute();
    return { by: f.by, items: rows.map((r, i) => ({ rank: i + 1, id: r.id, name: r.name, organisation: null, members: Number(r.members), points: Number(r.points) })) };
  }
  // by community: the reported community, else the community over the organisation's region
  const rows = await q.leftJoin('regions as oc', (j) => j.on('oc.level', '=', 'community').on(sql<SqlBool>`ro.path like oc.path || '%'`))
    .select([sql<number>`coalesce(rc.id, oc.id)`.as('cid'), sql<string>`coalesce(rc.name, oc.name)`.as('cname'), sql<number>`count(*)::int`.as('members'), points.as('points')])
    .where(sql<SqlBool>`coalesce(rc.id, oc.id) is not null`).groupBy([sql`coalesce(rc.id, oc.id)`, sql`coalesce(rc.name, oc.name)`])
    .orderBy(points, 'desc').orderBy(sql`coalesce(rc.id, oc.id)`).limit(RANK_LIMIT).execute();
  return { by: f.by, items: rows.map((r, i) => ({ rank: i + 1, id: Number(r.cid), name: r.cname, organisation: null, members: Number(r.members), points: Number(r.points) })) };
}

export async function listRules(db: Executor) {
  const rows = await db.selectFrom('party_point_rules').selectAll().orderBy(sql`array_position(array['wish_fulfilled','station_service','verification_task','activity_attendance','volunteer_hours'], code)`).execute();
  return { items: rows.map((r) => ({ code: r.code, name: r.name, points: r.points, per: r.per, active: r.active, updatedAt: r.updated_at })) };
}

export interface RuleChange { code: PointRule; points?: number; active?: boolean }

/** The district edits the rules (party:rules, held by the district admin); later events credit by the new amounts, past entries stay. */
export async function updateRules(db: Db, actor: Actor, changes: RuleChange[]) {
  const codes = changes.map((c) => c.code);
  if (new Set(codes).size !== codes.length) throw fieldError('rules', 'duplicate_rule');
  return db.transaction().execute(async (tx) => {
    for (const c of changes) {
      const set: { points?: number; active?: boolean; updated_by: number | null; updated_at: Date } = { updated_by: actor.id, updated_at: new Date() };
      if (c.points != null) set.points = c.points;
      if (c.active != null) set.active = c.active;
      await tx.updateTable('party_point_rules').set(set).where('code', '=', c.code).execute();
    }
    await appendAudit(tx, actor, { action: 'party_points.rules', targetType: 'party_point_rule', summary: { changes } });
    return listRules(tx);
  });
}

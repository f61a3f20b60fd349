import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope, isInScope } from '../../core/scope.js';
import type { NeedCategory } from '../../core/schema.js';
import { greedyAssign, optimalAssign, type AssignmentProblem } from './assignment.js';
import { RELATED, scorePair, type UnitStats } from './score.js';
import { claimInTx } from '../wishes/claims.js';
import type { WishDeps } from '../wishes/service.js';

/**
 * Every published wish is a need: rows are added for newly published wishes and
 * the status follows the wish (claimed → matched, ended → closed). Idempotent;
 * run before the lists and suggestions are read.
 */
export async function syncWishNeeds(db: Executor) {
  await sql`insert into needs (kind, wish_id, title, description, category, community_id, region_path, lat, lng, urgency, deadline, value_fen, status)
    select 'wish', w.id, w.title, w.story, w.category, w.community_id, w.region_path, p.lat, p.lng,
           case when w.target_group in ('elder','disabled','hardship') then 3 when w.target_group = 'child' then 2 else 1 end,
           s.ends_on, w.estimated_value_fen, 'open'
    from wishes w join seasons s on s.id = w.season_id left join region_points p on p.region_id = w.community_id
    where w.status = 'published' and not exists (select 1 from needs n where n.wish_id = w.id)`.execute(db);
  await sql`update needs n set status = case w.status when 'published' then 'open' when 'claimed' then 'matched' else 'closed' end, updated_at = now()
    from wishes w where n.wish_id = w.id and n.status <> (case w.status when 'published' then 'open' when 'claimed' then 'matched' else 'closed' end)`.execute(db);
}

/** Per unit: verified?, claims fulfilled on time / ended, claims in the last 30 days (for reliability and fairness). */
export async function unitStats(db: Executor): Promise<Map<number, UnitStats>> {
  const rows = await sql<{ id: number; status: string; on_time: number | null; ended: number | null; recent: number | null }>`
    select u.id, u.status, k.on_time, k.ended, k.recent
    from alliance_units u left join (
      select claimer_org_id,
             count(*) filter (where status = 'fulfilled' and fulfilled_at <= due_at) as on_time,
             count(*) filter (where status <> 'live') as ended,
             count(*) filter (where claimed_at > now() - interval '30 days') as recent
      from wish_claims where claimer_org_id is not null group by claimer_org_id) k on k.claimer_org_id = u.organisation_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.id, { verified: r.status === 'verified', fulfilledOnTime: Number(r.on_time ?? 0), claimsEnded: Number(r.ended ?? 0), recentClaims: Number(r.recent ?? 0) }]));
}

const activeResources = (db: Executor) => db.selectFrom('resources as r').leftJoin('alliance_units as u', 'u.id', 'r.unit_id')
  .select(['r.id', 'r.unit_id', 'r.title', 'r.category', 'r.service_path', 'r.lat', 'r.lng', 'r.value_cap_fen', 'r.capacity', 'r.used', 'r.available_from', 'r.available_until', 'r.status', 'u.name as unit_name'])
  .where('r.status', '=', 'active').where(sql<boolean>`r.used < r.capacity`);

export async function listNeeds(db: Db, auth: AuthContext, f: { status?: string; category?: NeedCategory; kind?: string }, page: PageQuery) {
  await syncWishNeeds(db);
  let q = db.selectFrom('needs as n').leftJoin('regions as c', 'c.id', 'n.community_id')
    .select(['n.id', 'n.kind', 'n.wish_id', 'n.title', 'n.description', 'n.category', 'n.urgency', 'n.quantity', 'n.deadline', 'n.value_fen', 'n.status', 'n.region_path', 'c.name as community_name'])
    .orderBy('n.urgency', 'desc').orderBy('n.deadline').orderBy('n.id');
  // Workers see their own area's needs (none without a scope); units and volunteers see the open list.
  if (can(auth.permissions, 'alliance:manage') || can(auth.permissions, 'wish:read')) q = q.where(inScope(auth, 'n.region_path'));
  q = q.where('n.status', '=', (f.status ?? 'open') as any);
  if (f.category) q = q.where('n.category', '=', f.category);
  if (f.kind) q = q.where('n.kind', '=', f.kind as any);
  const res = await paginate(q, page);
  return { ...res, items: res.items.map((n) => ({ id: n.id, kind: n.kind, wishId: n.wish_id, title: n.title, description: n.kind === 'wish' ? undefined : n.description, category: n.category, urgency: n.urgency, quantity: n.quantity, deadline: n.deadline, value: n.value_fen / 100, status: n.status, communityName: n.community_name })) };
}

export async function createNeed(db: Db, auth: AuthContext, actor: Actor, input: { title: string; description?: string | null; category: NeedCategory; communityId: number; urgency?: number; quantity?: number; deadline?: string | null; value?: number }) {
  return db.transaction().execute(async (tx) => {
    const c = await tx.selectFrom('regions as r').leftJoin('region_points as p', 'p.region_id', 'r.id').select(['r.id', 'r.path', 'r.level', 'p.lat', 'p.lng']).where('r.id', '=', input.communityId).executeTakeFirst();
    if (!c || c.level !== 'community') throw fieldError('communityId', 'not_communities');
    if (!isInScope(auth, c.path)) throw outOfScope();
    const n = await tx.insertInto('needs').values({
      kind: 'collective', title: input.title, description: input.description ?? null, category: input.category, community_id: c.id, region_path: c.path,
      lat: c.lat, lng: c.lng, urgency: input.urgency ?? 2, quantity: input.quantity ?? 1, deadline: input.deadline ?? null, value_fen: Math.round((input.value ?? 0) * 100), created_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'need.create', targetType: 'need', targetId: n.id, summary: { ...input } });
    return { id: n.id, status: 'open' };
  });
}

/** The unit an account acts for: its organisation's alliance unit. */
async function unitOfAccount(db: Executor, auth: AuthContext) {
  if (!auth.organisationId) return null;
  return (await db.selectFrom('alliance_units').select(['id', 'status', 'service_path', 'lat', 'lng']).where('organisation_id', '=', auth.organisationId).executeTakeFirst()) ?? null;
}

export interface ResourceInput { kind: 'goods' | 'service' | 'volunteer_hours' | 'venue' | 'funds' | 'skills'; category: NeedCategory; title: string; description?: string | null; capacity: number; valueCap?: number | null; availableFrom?: string | null; availableUntil?: string | null; conditions?: string | null }

/** A unit (or a party member) offers a resource; the service area and position default to the unit's. */
export async function offerResource(db: Db, auth: AuthContext, actor: Actor, input: ResourceInput) {
  return db.transaction().execute(async (tx) => {
    const unit = await unitOfAccount(tx, auth);
    if (!unit && !auth.roles.includes('party_member')) throw new AppError(403, 'forbidden');
    if (input.availableFrom && input.availableUntil && input.availableUntil < input.availableFrom) throw fieldError('availableUntil', 'ends_before_start');
    const r = await tx.insertInto('resources').values({
      unit_id: unit?.id ?? null, offered_by: auth.accountId, kind: input.kind, category: input.category, title: input.title, description: input.description ?? null,
      capacity: input.capacity, value_cap_fen: input.valueCap == null ? null : Math.round(input.valueCap * 100), service_path: unit?.service_path ?? auth.scope?.path ?? null,
      lat: unit?.lat ?? null, lng: unit?.lng ?? null, available_from: input.availableFrom ?? null, available_until: input.availableUntil ?? null, conditions: input.conditions ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'resource.offer', targetType: 'resource', targetId: r.id, summary: { ...input } });
    return { id: r.id, status: 'active' };
  });
}

export async function listResources(db: Db, f: { category?: NeedCategory; unitId?: number; offeredBy?: number }, page: PageQuery) {
  let q = db.selectFrom('resources as r').leftJoin('alliance_units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'r.kind', 'r.category', 'r.title', 'r.description', 'r.capacity', 'r.used', 'r.value_cap_fen', 'r.available_from', 'r.available_until', 'r.conditions', 'r.status', 'u.name as unit_name', 'r.unit_id'])
    .where('r.status', '=', 'active').orderBy('r.id', 'desc');
  if (f.category) q = q.where('r.category', '=', f.category);
  if (f.unitId) q = q.where('r.unit_id', '=', f.unitId);
  if (f.offeredBy) q = q.where('r.offered_by', '=', f.offeredBy);
  const res = await paginate(q, page);
  return { ...res, items: res.items.map((r) => ({ id: r.id, kind: r.kind, category: r.category, title: r.title, description: r.description, capacity: r.capacity, used: r.used, remaining: r.capacity - r.used, valueCap: r.value_cap_fen == null ? null : r.value_cap_fen / 100, availableFrom: r.available_from, availableUntil: r.available_until, conditions: r.conditions, unitId: r.unit_id, unitName: r.unit_name })) };
}

/** Ranked suggestions for one need, each with its score and the reasons behind it. Always computed fresh (dynamic docking). */
export async function suggestionsFor(db: Db, auth: AuthContext, needId: number, limit = 10) {
  await syncWishNeeds(db);
  const need = await db.selectFrom('needs').selectAll().where('id', '=', needId).executeTakeFirst();
  if (!need) throw notFound();
  if (!isInScope(auth, need.region_path)) throw outOfScope();
  // The hard filters that SQL can apply cheaply (category family, service area, value cap) narrow the set first.
  const family = [need.category, ...(RELATED[need.category] ?? [])];
  const candidates = activeResources(db).where('r.category', 'in', family)
    .where((eb) => eb.or([eb('r.service_path', 'is', null), eb(sql.lit(need.region_path), 'like', sql<string>`r.service_path || '%'`)]))
    .where((eb) => eb.or([eb('r.value_cap_fen', 'is', null), eb('r.value_cap_fen', '>=', need.value_fen)]));
  const [resources, stats] = await Promise.all([candidates.execute(), unitStats(db)]);
  const ranked = [];
  for (const r of resources) {
    const s = scorePair(need, r, r.unit_id ? stats.get(r.unit_id) ?? { verified: false, fulfilledOnTime: 0, claimsEnded: 0, recentClaims: 0 } : { verified: true, fulfilledOnTime: 0, claimsEnded: 0, recentClaims: 0 });
    if (s) ranked.push({ resourceId: r.id, resourceTitle: r.title, unitId: r.unit_id, unitName: r.unit_name, remaining: r.capacity - r.used, score: s.score, reasons: s.reasons });
  }
  ranked.sort((a, b) => b.score - a.score || a.resourceId - b.resourceId);
  return { need: { id: need.id, title: need.title, category: need.category, status: need.status }, items: ranked.slice(0, limit) };
}

/** For a unit on the H5: open needs that fit what it offers, best first. */
export async function needsForMe(db: Db, auth: AuthContext, limit = 20) {
  const unit = await unitOfAccount(db, auth);
  if (!unit) return { items: [] };
  await syncWishNeeds(db);
  const [mine, needs, stats] = await Promise.all([
    activeResources(db).where('r.unit_id', '=', unit.id).execute(),
    db.selectFrom('needs as n').leftJoin('regions as c', 'c.id', 'n.community_id').selectAll('n').select('c.name as community_name').where('n.status', '=', 'open').execute(),
    unitStats(db),
  ]);
  const st = stats.get(unit.id)!;
  const out = [];
  for (const n of needs) {
    let best: { score: number; reasons: any[]; resourceId: number } | null = null;
    for (const r of mine) { const s = scorePair(n, r, st); if (s && (!best || s.score > best.score)) best = { ...s, resourceId: r.id }; }
    if (best) out.push({ needId: n.id, wishId: n.wish_id, title: n.title, category: n.category, communityName: n.community_name, urgency: n.urgency, ...best });
  }
  out.sort((a, b) => b.score - a.score);
  return { items: out.slice(0, limit) };
}

/**
 * The season-end proposal: every still-unclaimed wish of the season against every
 * verified unit with capacity left; cost = 100 − the best score among the unit's
 * resources; solved exactly (and greedily, for comparison). Nothing is claimed here.
 */
export async function proposeAssignment(db: Db, auth: AuthContext, actor: Actor, seasonId: number) {
  await syncWishNeeds(db);
  const season = await db.selectFrom('seasons').select('id').where('id', '=', seasonId).executeTakeFirst();
  if (!season) throw notFound();
  // A proposal is recorded under the scope it was computed for.
  if (!auth.scope) throw outOfScope();
  const scopePath = auth.scope.path;
  const needs = await db.selectFrom('needs as n').innerJoin('wishes as w', 'w.id', 'n.wish_id').selectAll('n')
    .where('w.season_id', '=', seasonId).where('w.status', '=', 'published').where(inScope(auth, 'n.region_path')).orderBy('n.id').execute();
  const [resources, stats] = await Promise.all([activeResources(db).where('r.unit_id', 'is not', null).execute(), unitStats(db)]);
  const unitIds = [...new Set(resources.map((r) => r.unit_id!))].filter((u) => stats.get(u)?.verified);
  const index = new Map(unitIds.map((u, i) => [u, i]));
  const capacity = unitIds.map((u) => resources.filter((r) => r.unit_id === u).reduce((s, r) => s + r.capacity - r.used, 0));
  const best: { resourceId: number; score: number }[][] = [];
  const edges: [number, number][][] = needs.map((n) => {
    const byUnit = new Map<number, { resourceId: number; score: number }>();
    for (const r of resources) {
      const i = index.get(r.unit_id!);
      if (i === undefined) continue;
      const s = scorePair(n, r, stats.get(r.unit_id!)!);
      if (s && (!byUnit.has(i) || s.score > byUnit.get(i)!.score)) byUnit.set(i, { resourceId: r.id, score: s.score });
    }
    best.push(Array.from({ length: unitIds.length }, (_, i) => byUnit.get(i)!));
    return [...byUnit.entries()].map(([i, b]) => [i, 100 - b.score] as [number, number]);
  });
  const problem: AssignmentProblem = { units: unitIds.length, capacity, edges };
  const greedy = greedyAssign(problem);
  const opt = optimalAssign(problem);
  return db.transaction().execute(async (tx) => {
    // A new proposal replaces only the open one computed for the same scope.
    await tx.updateTable('assignment_proposals').set({ status: 'discarded' }).where('season_id', '=', seasonId).where('status', '=', 'proposed').where('scope_path', '=', scopePath).execute();
    const p = await tx.insertInto('assignment_proposals').values({ season_id: seasonId, wishes: needs.length, placed: opt.assigned, cost: opt.cost, greedy_cost: greedy.cost, created_by: auth.accountId, scope_path: scopePath }).returning('id').executeTakeFirstOrThrow();
    const items = needs.map((n, w) => ({ n, u: opt.unitOf[w] })).filter((x) => x.u >= 0)
      .map(({ n, u }, k) => ({ proposal_id: p.id, wish_id: n.wish_id!, unit_id: unitIds[u], resource_id: best[needs.indexOf(n)][u].resourceId, score: best[needs.indexOf(n)][u].score, _k: k }));
    for (let i = 0; i < items.length; i += 500) await tx.insertInto('assignment_items').values(items.slice(i, i + 500).map(({ _k, ...x }) => x)).execute();
    await appendAudit(tx, actor, { action: 'assignment.propose', targetType: 'season', targetId: seasonId, summary: { proposalId: p.id, wishes: needs.length, placed: opt.assigned, cost: opt.cost, greedyCost: greedy.cost } });
    return getProposal(tx, auth, p.id);
  });
}

/** A proposal the caller may see: computed for a scope inside the caller's (404 otherwise: its wishes are not theirs to know). */
async function proposalInScope(db: Executor, auth: AuthContext, proposalId: number, seasonId?: number) {
  let q = db.selectFrom('assignment_proposals').selectAll().where('id', '=', proposalId);
  if (seasonId !== undefined) q = q.where('season_id', '=', seasonId);
  const p = await q.executeTakeFirst();
  if (!p || !p.scope_path || !isInScope(auth, p.scope_path)) throw notFound();
  return p;
}

export async function getProposal(db: Executor, auth: AuthContext, proposalId: number) {
  const p = await proposalInScope(db, auth, proposalId);
  const items = await db.selectFrom('assignment_items as i').innerJoin('wishes as w', 'w.id', 'i.wish_id').innerJoin('alliance_units as u', 'u.id', 'i.unit_id')
    .select(['i.wish_id', 'w.title', 'i.unit_id', 'u.name as unit_name', 'i.resource_id', 'i.score', 'i.accepted_at', 'i.outcome']).where('i.proposal_id', '=', proposalId).orderBy('i.wish_id').execute();
  return {
    id: p.id, seasonId: p.season_id, status: p.status, wishes: p.wishes, placed: p.placed, cost: p.cost, greedyCost: p.greedy_cost,
    items: items.map((i) => ({ wishId: i.wish_id, wishTitle: i.title, unitId: i.unit_id, unitName: i.unit_name, resourceId: i.resource_id, score: i.score, acceptedAt: i.accepted_at, outcome: i.outcome })),
  };
}

/** The caller's latest proposal for a season: the newest one computed for a scope inside theirs. */
export async function latestProposal(db: Db, auth: AuthContext, seasonId: number) {
  const p = await db.selectFrom('assignment_proposals').select('id').where('season_id', '=', seasonId).where(inScope(auth, 'scope_path', { nullable: true })).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!p) throw notFound();
  return getProposal(db, auth, p.id);
}

/**
 * A worker accepts the proposal in whole or in part, all or nothing: every accepted
 * item becomes a claim for its unit through the one claim path (claimInTx: verified
 * units only, notification, audit, live event), if the wish is still published, and
 * uses one unit of the resource's capacity. Any wish out of scope refuses the whole request.
 */
export async function acceptProposal(d: WishDeps, auth: AuthContext, actor: Actor, seasonId: number, proposalId: number, wishIds?: number[]) {
  return d.db.transaction().execute(async (tx) => {
    const p = await proposalInScope(tx, auth, proposalId, seasonId);
    if (p.status !== 'proposed') throw new AppError(409, 'conflict');
    let items = await tx.selectFrom('assignment_items as i').innerJoin('alliance_units as u', 'u.id', 'i.unit_id').innerJoin('wishes as w', 'w.id', 'i.wish_id')
      .select(['i.wish_id', 'i.unit_id', 'i.resource_id', 'u.name', 'u.organisation_id', 'w.region_path'])
      .where('i.proposal_id', '=', proposalId).where('i.accepted_at', 'is', null).where('i.outcome', 'is', null).orderBy('i.wish_id').execute();
    if (wishIds) {
      const unknown = wishIds.filter((id) => !items.some((i) => i.wish_id === id));
      if (unknown.length) throw fieldError('wishIds', 'not_in_proposal', { ids: unknown.join(', ') });
      items = items.filter((i) => wishIds.includes(i.wish_id));
    }
    if (items.some((i) => !isInScope(auth, i.region_path))) throw outOfScope();
    let claimed = 0, skipped = 0;
    for (const it of items) {
      const w = await tx.selectFrom('wishes').select('status').where('id', '=', it.wish_id).executeTakeFirstOrThrow();
      // The unit's own account holds the claim; a unit without an account is claimed in the worker's name for the unit.
      const unitAccount = it.organisation_id ? await tx.selectFrom('accounts').select('id').where('organisation_id', '=', it.organisation_id).where('active', '=', true).orderBy('id').limit(1).executeTakeFirst() : undefined;
      if (w.status !== 'published') {
        await tx.updateTable('assignment_items').set({ outcome: 'skipped: no longer open' }).where('proposal_id', '=', proposalId).where('wish_id', '=', it.wish_id).execute();
        skipped++;
        continue;
      }
      await claimInTx(tx, d, actor, it.wish_id, { accountId: unitAccount?.id ?? auth.accountId, name: it.name, orgId: it.organisation_id, unitId: it.unit_id }, 'season_assignment');
      if (it.resource_id) await tx.updateTable('resources').set({ used: sql`used + 1` }).where('id', '=', it.resource_id).execute();
      await tx.updateTable('assignment_items').set({ accepted_at: new Date(), outcome: 'claimed' }).where('proposal_id', '=', proposalId).where('wish_id', '=', it.wish_id).execute();
      claimed++;
    }
    const left = await tx.selectFrom('assignment_items').select('wish_id').where('proposal_id', '=', proposalId).where('accepted_at', 'is', null).where('outcome', 'is', null).execute();
    if (!left.length) await tx.updateTable('assignment_proposals').set({ status: 'accepted' }).where('id', '=', proposalId).execute();
    await appendAudit(tx, actor, { action: 'assignment.accept', targetType: 'season', targetId: seasonId, summary: { proposalId, claimed, skipped } });
    return { claimed, skipped, proposal: await getProposal(tx, auth, proposalId) };
  });
}

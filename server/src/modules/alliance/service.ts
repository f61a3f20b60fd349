import { sql } from 'kysely';
import type { ClaimGate } from '../wishes/claims.js';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { maskPhone } from '../../core/identity.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope, isInScope, regionFieldInScope } from '../../core/scope.js';

export const UNIT_KIND_NAMES = { community: '社区党组织', enterprise: '企业党组织', social_org: '社会组织党组织', institution: '机关事业单位党组织', industry: '行业党委' } as const;
export type UnitKind = keyof typeof UNIT_KIND_NAMES;

/** Public alliance roster: units with their committee, whether elected committee units, and their record. */
export async function listUnits(db: Db, f: { committeeRegionId?: number; isCommitteeUnit?: boolean; kind?: UnitKind; status?: string; q?: string }, page: PageQuery, viewer: AuthContext | null) {
  // Verified units are public; applications (pending, rejected) only to managers whose scope holds the unit's committee.
  const manager = !!viewer && can(viewer.permissions, 'alliance:manage');
  let q = db.selectFrom('alliance_units as u').innerJoin('regions as c', 'c.id', 'u.committee_region_id')
    .select(['u.id', 'u.name', 'u.kind', 'u.is_committee_unit', 'u.committee_term', 'u.status', 'u.tags', 'u.volunteer_hours', 'u.contact_name', 'u.contact_phone', 'u.lat', 'u.lng', 'c.name as committee_name', 'c.level as committee_level', 'c.path as committee_path'])
    .select([
      sql<number>`(select count(*) from wish_claims k where k.claimer_org_id = u.organisation_id and k.status = 'fulfilled')`.as('wishes_fulfilled'),
      sql<number>`(select count(*) from wish_claims k where k.claimer_org_id = u.organisation_id)`.as('wishes_claimed'),
      sql<number>`(select count(*) from coop_projects p where p.owner_unit_id = u.id or u.id = any(p.partner_unit_ids))`.as('projects'),
    ])
    .orderBy('u.is_committee_unit', 'desc').orderBy('u.id');
  if (!manager) q = q.where('u.status', '=', 'verified');
  else {
    q = q.where((eb) => eb.or([eb('u.status', '=', 'verified'), inScope(viewer, 'c.path')]));
    if (f.status) q = q.where('u.status', '=', f.status as any);
  }
  if (f.committeeRegionId) q = q.where('u.committee_region_id', '=', f.committeeRegionId);
  if (f.isCommitteeUnit !== undefined) q = q.where('u.is_committee_unit', '=', f.isCommitteeUnit);
  if (f.kind) q = q.where('u.kind', '=', f.kind);
  if (f.q?.trim()) q = q.where('u.name', 'like', `%${f.q.trim().replace(/[%_\\]/g, '\\$&')}%`);
  const res = await paginate(q, page);
  return {
    ...res,
    items: res.items.map((u) => ({
      id: u.id, name: u.name, kind: u.kind, kindName: UNIT_KIND_NAMES[u.kind], isCommitteeUnit: u.is_committee_unit, committeeTerm: u.committee_term,
      committee: `${u.committee_name}${u.committee_level === 'street' ? '大工委' : '大党委'}`, status: u.status, tags: u.tags,
      // The contact person is personal data: only for managers of the unit's committee area, never on the public roster.
      ...(manager && isInScope(viewer, u.committee_path) ? { contactName: u.contact_name, contactPhone: maskPhone(u.contact_phone) } : { contactName: null, contactPhone: null }),
      lat: u.lat, lng: u.lng,
      record: { wishesClaimed: Number(u.wishes_claimed), wishesFulfilled: Number(u.wishes_fulfilled), projects: Number(u.projects), volunteerHours: u.volunteer_hours },
    })),
  };
}

export interface UnitApplication { name: string; kind: UnitKind; committeeRegionId: number; contactName: string; contactPhone: string; tags?: string[]; serviceRegionId?: number; organisationId?: number | null }

/** A unit applies to join; it can claim only once a worker has verified it. */
export async function applyUnit(db: Db, auth: AuthContext, actor: Actor, input: UnitApplication) {
  return db.transaction().execute(async (tx) => {
    const committee = await tx.selectFrom('regions').select(['id', 'level']).where('id', '=', input.committeeRegionId).executeTakeFirst();
    if (!committee || !['street', 'community'].includes(committee.level)) throw fieldError('committeeRegionId', 'committee_region');
    const service = input.serviceRegionId ? await tx.selectFrom('regions').select(['id', 'path']).where('id', '=', input.serviceRegionId).executeTakeFirst() : undefined;
    if (input.serviceRegionId && !service) throw fieldError('serviceRegionId', 'no_such_region');
    const u = await tx.insertInto('alliance_units').values({
      name: input.name, kind: input.kind, committee_region_id: committee.id, contact_name: input.contactName, contact_phone: input.contactPhone,
      tags: input.tags ?? [], service_region_id: service?.id ?? null, service_path: service?.path ?? null, organisation_id: input.organisationId ?? auth.organisationId ?? null,
      applied_by: auth.accountId,
    }).onConflict((oc) => oc.column('organisation_id').where('organisation_id', 'is not', null).doNothing())
      .returning(['id', 'status']).executeTakeFirst();
    // One unit per organisation (partial unique index): a second application is a 409, decided by the database.
    if (!u) throw new AppError(409, 'already_applied', 'already_applied', {}, { organisation: { key: 'already_applied' } });
    await appendAudit(tx, actor, { action: 'alliance.apply', targetType: 'alliance_unit', targetId: u.id, summary: { name: input.name, kind: input.kind } });
    return { id: u.id, status: u.status };
  });
}

export async function reviewUnit(db: Db, auth: AuthContext, actor: Actor, id: number, decision: 'verify' | 'reject', reason?: string, committee?: { isCommitteeUnit: boolean; term?: string }) {
  return db.transaction().execute(async (tx) => {
    const u = await tx.selectFrom('alliance_units as u').innerJoin('regions as c', 'c.id', 'u.committee_region_id').select(['u.id', 'u.status', 'c.path']).where('u.id', '=', id).executeTakeFirst();
    if (!u) throw notFound();
    if (!can(auth.permissions, 'alliance:manage')) throw new AppError(403, 'forbidden');
    if (!isInScope(auth, u.path)) throw outOfScope();
    if (decision === 'reject' && !reason?.trim()) throw fieldError('reason', 'required');
    await tx.updateTable('alliance_units').set({
      status: decision === 'verify' ? 'verified' : 'rejected', review_reason: reason ?? null, updated_at: new Date(),
      ...(committee && { is_committee_unit: committee.isCommitteeUnit, committee_term: committee.term ?? null }),
    }).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: `alliance.${decision}`, targetType: 'alliance_unit', targetId: id, summary: { reason: reason ?? null, ...committee } });
    return { id, status: decision === 'verify' ? 'verified' : 'rejected' };
  });
}

/** A project's progress: the weighted share of completed milestones, 0–100. */
export async function projectProgress(db: Executor, ids: number[]) {
  if (!ids.length) return new Map<number, number>();
  const rows = await db.selectFrom('coop_milestones').select(['project_id', sql<number>`sum(weight)`.as('total'), sql<number>`sum(case when done_at is not null then weight else 0 end)`.as('done')])
    .where('project_id', 'in', ids).groupBy('project_id').execute();
  return new Map(rows.map((r) => [r.project_id, Number(r.total) ? Math.round((Number(r.done) / Number(r.total)) * 100) : 0]));
}

export async function listProjects(db: Db, f: { status?: string; unitId?: number }, page: PageQuery) {
  let q = db.selectFrom('coop_projects as p').innerJoin('alliance_units as u', 'u.id', 'p.owner_unit_id')
    .select(['p.id', 'p.title', 'p.description', 'p.status', 'p.budget_fen', 'p.partner_unit_ids', 'p.created_at', 'u.name as owner_name']).orderBy('p.id', 'desc');
  if (f.status) q = q.where('p.status', '=', f.status as any);
  if (f.unitId) q = q.where((eb) => eb.or([eb('p.owner_unit_id', '=', f.unitId!), eb(sql<number>`${f.unitId}`, '=', sql<number>`any(p.partner_unit_ids)`)]));
  const res = await paginate(q, page);
  const progress = await projectProgress(db, res.items.map((p) => p.id));
  return { ...res, items: res.items.map((p) => ({ id: p.id, title: p.title, description: p.description, status: p.status, budget: Number(p.budget_fen) / 100, ownerUnit: p.owner_name, partnerCount: p.partner_unit_ids.length, progress: progress.get(p.id) ?? 0, createdAt: p.created_at })) };
}

export async function getProject(db: Executor, id: number) {
  const p = await db.selectFrom('coop_projects as p').innerJoin('alliance_units as u', 'u.id', 'p.owner_unit_id').selectAll('p').select('u.name as owner_name').where('p.id', '=', id).executeTakeFirst();
  if (!p) throw notFound();
  const partners = p.partner_unit_ids.length ? await db.selectFrom('alliance_units').select(['id', 'name']).where('id', 'in', p.partner_unit_ids).execute() : [];
  const milestones = await db.selectFrom('coop_milestones').selectAll().where('project_id', '=', id).orderBy('sort').orderBy('id').execute();
  const progress = (await projectProgress(db, [id])).get(id) ?? 0;
  return {
    id: p.id, title: p.title, description: p.description, status: p.status, budget: Number(p.budget_fen) / 100, ownerUnit: p.owner_name, needId: p.need_id, resourceId: p.resource_id,
    partners: partners.map((x) => ({ id: x.id, name: x.name })), progress,
    milestones: milestones.map((m) => ({ id: m.id, title: m.title, weight: m.weight, dueOn: m.due_on, doneAt: m.done_at, note: m.note })),
  };
}

export interface ProjectInput { needId?: number | null; resourceId?: number | null; title: string; description?: string | null; ownerUnitId: number; partnerUnitIds?: number[]; regionId?: number | null; budget?: number; milestones: { title: string; weight?: number; dueOn?: string | null }[] }

export async function createProject(db: Db, auth: AuthContext, actor: Actor, input: ProjectInput) {
  return db.transaction().execute(async (tx) => {
    const units = await tx.selectFrom('alliance_units').select(['id', 'status']).where('id', 'in', [input.ownerUnitId, ...(input.partnerUnitIds ?? [])]).execute();
    const owner = units.find((u) => u.id === input.ownerUnitId);
    if (!owner || owner.status !== 'verified') throw fieldError('ownerUnitId', 'owner_unit_invalid');
    if (units.length !== new Set([input.ownerUnitId, ...(input.partnerUnitIds ?? [])]).size) throw fieldError('partnerUnitIds', 'no_such_unit');
    if (input.regionId) await regionFieldInScope(tx, auth, 'regionId', input.regionId);
    // A project belongs to a region: the one named, else the need's community, else the creator's scope.
    let regionId = input.regionId ?? auth.scope?.regionId ?? null;
    if (input.needId) {
      const need = await tx.selectFrom('needs').select(['id', 'region_path', 'kind', 'community_id']).where('id', '=', input.needId).executeTakeFirst();
      if (!need) throw fieldError('needId', 'no_such_need');
      if (!isInScope(auth, need.region_path)) throw outOfScope();
      if (!input.regionId && need.community_id) regionId = need.community_id;
      // A collective need met by a project is matched; a wish need follows its wish.
      if (need.kind === 'collective') await tx.updateTable('needs').set({ status: 'matched', updated_at: new Date() }).where('id', '=', need.id).execute();
    }
    if (input.resourceId && !(await tx.selectFrom('resources').select('id').where('id', '=', input.resourceId).executeTakeFirst())) throw fieldError('resourceId', 'no_such_resource');
    const p = await tx.insertInto('coop_projects').values({
      need_id: input.needId ?? null, resource_id: input.resourceId ?? null,
      title: input.title, description: input.description ?? null, owner_unit_id: input.ownerUnitId, partner_unit_ids: input.partnerUnitIds ?? [],
      region_id: regionId, budget_fen: Math.round((input.budget ?? 0) * 100), created_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await tx.insertInto('coop_milestones').values(input.milestones.map((m, i) => ({ project_id: p.id, title: m.title, weight: m.weight ?? 1, due_on: m.dueOn ?? null, sort: i }))).execute();
    await appendAudit(tx, actor, { action: 'project.create', targetType: 'coop_project', targetId: p.id, summary: { title: input.title, ownerUnitId: input.ownerUnitId } });
    return getProject(tx, p.id);
  });
}

/** The region a project belongs to: its own region, else its owner unit's committee (street or community). */
async function projectInScope(tx: Executor, auth: AuthContext, projectId: number) {
  const p = await tx.selectFrom('coop_projects as p').innerJoin('alliance_units as u', 'u.id', 'p.owner_unit_id').innerJoin('regions as c', 'c.id', 'u.committee_region_id')
    .leftJoin('regions as r', 'r.id', 'p.region_id').select(['p.id', sql<string>`coalesce(r.path, c.path)`.as('path')]).where('p.id', '=', projectId).executeTakeFirst();
  if (!p) throw notFound();
  if (!isInScope(auth, p.path)) throw outOfScope();
  return p;
}

export async function completeMilestone(db: Db, auth: AuthContext, actor: Actor, projectId: number, milestoneId: number, note?: string) {
  return db.transaction().execute(async (tx) => {
    await projectInScope(tx, auth, projectId);
    const res = await tx.updateTable('coop_milestones').set({ done_at: new Date(), note: note ?? null }).where('id', '=', milestoneId).where('project_id', '=', projectId).where('done_at', 'is', null).executeTakeFirst();
    if (!res.numUpdatedRows) {
      const m = await tx.selectFrom('coop_milestones').select('id').where('id', '=', milestoneId).where('project_id', '=', projectId).executeTakeFirst();
      throw m ? new AppError(409, 'conflict') : notFound();
    }
    const left = await tx.selectFrom('coop_milestones').select('id').where('project_id', '=', projectId).where('done_at', 'is', null).executeTakeFirst();
    if (!left) await tx.updateTable('coop_projects').set({ status: 'done', updated_at: new Date() }).where('id', '=', projectId).execute();
    await appendAudit(tx, actor, { action: 'project.milestone', targetType: 'coop_project', targetId: projectId, summary: { milestoneId, note: note ?? null } });
    return getProject(tx, projectId);
  });
}

/**
 * Per unit or per community: resources offered, needs met (fulfilled wishes and
 * matched collective needs), co-building projects, volunteer hours; and station use.
 */
/** Statistics of the units and communities in the caller's scope (fails closed: none without a scope). */
export async function allianceStats(db: Db, auth: AuthContext, by: 'unit' | 'community') {
  if (by === 'unit') {
    const rows = await sql<{ id: number; name: string; resources: number; needs_met: number; projects: number; volunteer_hours: number }>`
      select u.id, u.name,
        (select count(*) from resources r where r.unit_id = u.id) as resources,
        (select count(*) from wish_claims k where k.claimer_org_id = u.organisation_id and k.status = 'fulfilled')
          + (select count(*) from coop_projects p join needs n on n.id = p.need_id where p.owner_unit_id = u.id) as needs_met,
        (select count(*) from coop_projects p where p.owner_unit_id = u.id or u.id = any(p.partner_unit_ids)) as projects,
        u.volunteer_hours
      from alliance_units u join regions cr on cr.id = u.committee_region_id
      where u.status = 'verified' and ${inScope(auth, 'cr.path')} order by u.id`.execute(db);
    return rows.rows.map((r) => ({ id: r.id, name: r.name, resources: Number(r.resources), needsMet: Number(r.needs_met), projects: Number(r.projects), volunteerHours: Number(r.volunteer_hours) }));
  }
  const rows = await sql<{ id: number; name: string; resources: number; needs_met: number; projects: number; volunteer_hours: number; station_checkins: number }>`
    select c.id, c.name,
      (select count(*) from resources r join alliance_units u on u.id = r.unit_id where u.committee_region_id = c.id) as resources,
      (select count(*) from wishes w where w.community_id = c.id and w.status in ('fulfilled','confirmed'))
        + (select count(*) from needs n where n.community_id = c.id and n.kind = 'collective' and n.status = 'matched') as needs_met,
      (select count(*) from coop_projects p join alliance_units u on u.id = p.owner_unit_id where u.committee_region_id = c.id) as projects,
      (select coalesce(sum(u.volunteer_hours), 0) from alliance_units u where u.committee_region_id = c.id) as volunteer_hours,
      (select count(*) from station_checkins k join stations s on s.id = k.station_id where s.region_id = c.id) as station_checkins
    from regions c where c.level = 'community' and ${inScope(auth, 'c.path')} order by c.sort, c.id`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, name: r.name, resources: Number(r.resources), needsMet: Number(r.needs_met), projects: Number(r.projects), volunteerHours: Number(r.volunteer_hours), stationCheckins: Number(r.station_checkins) }));
}

/** Whether an organisation is a verified alliance unit (only verified units may claim wishes). */
export async function isVerifiedUnitOrg(db: Executor, organisationId: number | null) {
  if (!organisationId) return false;
  const u = await db.selectFrom('alliance_units').select('status').where('organisation_id', '=', organisationId).executeTakeFirst();
  return u?.status === 'verified';
}

export async function isVerifiedUnit(db: Executor, unitId: number) {
  const u = await db.selectFrom('alliance_units').select('status').where('id', '=', unitId).executeTakeFirst();
  return u?.status === 'verified';
}

/** Registered with the wishes module: only a verified alliance unit may hold a claim. */
export const verifiedUnitsOnly: ClaimGate = async (tx, claimant) => {
  if (claimant.unitId != null) return (await isVerifiedUnit(tx, claimant.unitId)) ? null : 'unit_not_verified';
  if (claimant.orgId != null) return (await isVerifiedUnitOrg(tx, claimant.orgId)) ? null : 'unit_not_verified';
  return null;
};

import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import { can } from '../../core/auth/roles.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope, isInScope, regionFieldInScope } from '../../core/scope.js';
import { DEFAULT_COEFFICIENTS, defaultSubsidyFen, splitFen } from './cost-shares.js';
import { toCenti } from './owners.js';

export const ELEVATOR_STAGES = [
  'willingness_survey', 'vote', 'owners_agreement', 'design_notice', 'objection_handling', 'planning_review', 'drawing_review',
  'construction_permit', 'installation_notice', 'construction', 'acceptance', 'use_registration', 'in_service',
] as const;
export type ElevatorStage = (typeof ELEVATOR_STAGES)[number];
export const ELEVATOR_STAGE_NAMES: Record<ElevatorStage, string> = {
  willingness_survey: '意愿征询', vote: '业主表决', owners_agreement: '签订业主协议', design_notice: '设计方案公示', objection_handling: '异议处理',
  planning_review: '规划审查', drawing_review: '施工图审查', construction_permit: '施工许可', installation_notice: '安装告知', construction: '施工',
  acceptance: '竣工验收', use_registration: '使用登记', in_service: '投入使用',
};
/** For the dashboard: which stages count as approved, under construction, completed. */
export const STAGE_GROUP: Record<ElevatorStage, 'preparing' | 'approved' | 'under_construction' | 'completed'> = {
  willingness_survey: 'preparing', vote: 'preparing', owners_agreement: 'approved', design_notice: 'approved', objection_handling: 'approved',
  planning_review: 'approved', drawing_review: 'approved', construction_permit: 'approved', installation_notice: 'under_construction',
  construction: 'under_construction', acceptance: 'under_construction', use_registration: 'under_construction', in_service: 'completed',
};

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export interface ProjectInput { unitId: number; totalCost: number; subsidy?: number; floorCoefficients?: Record<string, number>; consultationId?: number | null; voteId?: number | null }

export async function createProject(db: Db, auth: AuthContext, actor: Actor, input: ProjectInput) {
  return db.transaction().execute(async (tx) => {
    const unit = await regionFieldInScope(tx, auth, 'unitId', input.unitId);
    if (unit.level !== 'unit') throw fieldError('unitId', 'must_be_unit');
    if (await tx.selectFrom('elevator_projects').select('id').where('unit_id', '=', unit.id).executeTakeFirst()) throw fieldError('unitId', 'taken', undefined, 409);
    await checkLinks(tx, auth, unit.path, input);
    const floors = Number((await tx.selectFrom('regions').select(sql<number>`max(floor)`.as('f')).where('parent_id', '=', unit.id).executeTakeFirst())?.f ?? 0);
    const totalFen = Math.round(input.totalCost * 100);
    const subsidyFen = input.subsidy !== undefined ? Math.round(input.subsidy * 100) : defaultSubsidyFen(floors, totalFen);
    if (subsidyFen > totalFen) throw fieldError('subsidy', 'subsidy_over_cost');
    const p = await tx.insertInto('elevator_projects').values({
      unit_id: unit.id, unit_path: unit.path, consultation_id: input.consultationId ?? null, vote_id: input.voteId ?? null,
      total_cost_fen: totalFen, subsidy_fen: subsidyFen, floor_coefficients: JSON.stringify(input.floorCoefficients ?? DEFAULT_COEFFICIENTS), created_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await tx.insertInto('elevator_stage_records').values({ project_id: p.id, stage: 'willingness_survey', started_on: new Date().toISOString().slice(0, 10) }).execute();
    await appendAudit(tx, actor, { action: 'elevator.create', targetType: 'elevator_project', targetId: p.id, summary: { ...input } });
    return getProject(tx, auth, p.id);
  });
}

/** Owners' shares: (total − subsidy) split by floor coefficient × exclusive area, in fen, summing exactly. */
export async function costShares(db: Executor, p: { unit_id: number; total_cost_fen: number; subsidy_fen: number; floor_coefficients: unknown }) {
  const rooms = await db.selectFrom('regions as r').leftJoin('room_register as g', 'g.room_id', 'r.id')
    .select(['r.id', 'r.name', 'r.floor', 'r.area', 'g.unsold_developer_unit']).where('r.parent_id', '=', p.unit_id).where('r.level', '=', 'room').orderBy('r.floor').orderBy('r.id').execute();
  const coeff = json<Record<string, number>>(p.floor_coefficients);
  const weights = rooms.map((r) => Math.round((coeff[String(r.floor)] ?? 1) * 1000) * toCenti(r.area ?? 0));
  const payable = Number(p.total_cost_fen) - Number(p.subsidy_fen);
  const shares = splitFen(payable, weights);
  const owners = rooms.length ? await db.selectFrom('room_owners').select(['room_id', 'person_id']).where('room_id', 'in', rooms.map((r) => r.id)).execute() : [];
  return rooms.map((r, i) => ({
    roomId: r.id, roomName: r.name, floor: r.floor, area: r.area == null ? null : Number(r.area), coefficient: coeff[String(r.floor)] ?? 1,
    shareFen: shares[i], share: shares[i] / 100, ownerPersonIds: owners.filter((o) => o.room_id === r.id).map((o) => o.person_id), unsoldDeveloperUnit: !!r.unsold_developer_unit,
  }));
}

export async function getProject(db: Executor, auth: AuthContext, id: number) {
  const p = await db.selectFrom('elevator_projects as e').innerJoin('regions as u', 'u.id', 'e.unit_id').selectAll('e').select('u.name as unit_name').where('e.id', '=', id).executeTakeFirst();
  if (!p) throw notFound();
  const shares = await costShares(db, p);
  const ownsHere = auth.personId != null && shares.some((s) => s.ownerPersonIds.includes(auth.personId!));
  const worker = can(auth.permissions, 'consult:read') && isInScope(auth, p.unit_path);
  if (!worker && !ownsHere) throw outOfScope();
  const ids = p.unit_path.split('/').filter(Boolean).map(Number);
  const names = await db.selectFrom('regions').select(['name', 'level']).where('id', 'in', ids).execute();
  const label = names.filter((n) => ['community', 'compound', 'building', 'unit'].includes(n.level)).map((n) => n.name).join(' ');
  const records = await db.selectFrom('elevator_stage_records').selectAll().where('project_id', '=', id).execute();
  records.sort((a, b) => ELEVATOR_STAGES.indexOf(a.stage as ElevatorStage) - ELEVATOR_STAGES.indexOf(b.stage as ElevatorStage));
  return {
    id: p.id, unitId: p.unit_id, unitName: label, stage: p.stage, stageName: ELEVATOR_STAGE_NAMES[p.stage as ElevatorStage], stageGroup: STAGE_GROUP[p.stage as ElevatorStage],
    consultationId: p.consultation_id, voteId: p.vote_id, totalCost: Number(p.total_cost_fen) / 100, subsidy: Number(p.subsidy_fen) / 100,
    floorCoefficients: json<Record<string, number>>(p.floor_coefficients),
    stages: records.map((r) => ({ stage: r.stage, stageName: ELEVATOR_STAGE_NAMES[r.stage as ElevatorStage], startedOn: r.started_on, completedOn: r.completed_on, responsible: r.responsible, documents: json(r.documents), note: r.note })),
    // Workers see every room's share; an owner sees their own rooms only.
    shares: worker ? shares : shares.filter((s) => s.ownerPersonIds.includes(auth.personId!)),
  };
}

/** A closed, passed vote held among exactly this unit's owners; 409 naming what is missing otherwise. */
async function requirePassedUnitVote(tx: Executor, voteId: number | null, unitPath: string) {
  const v = voteId ? await tx.selectFrom('votes as v').innerJoin('consultations as c', 'c.id', 'v.consultation_id')
    .select(['v.status', 'v.result', 'c.scope_path']).where('v.id', '=', voteId).executeTakeFirst() : undefined;
  const passed = !!v && v.status === 'closed' && v.scope_path === unitPath && !!json<{ passed?: boolean } | null>(v.result)?.passed;
  if (!passed) throw new AppError(409, 'elevator_needs_vote', 'elevator_needs_vote', {}, { voteId: { key: 'elevator_needs_vote' } });
}

/** A consultation or vote linked to a project must be this unit's (or, for a consultation, cover it) and in the caller's scope. */
async function checkLinks(tx: Executor, auth: AuthContext, unitPath: string, input: { consultationId?: number | null; voteId?: number | null }) {
  if (input.consultationId) {
    const c = await tx.selectFrom('consultations').select('scope_path').where('id', '=', input.consultationId).executeTakeFirst();
    if (!c || !isInScope(auth, c.scope_path) || !unitPath.startsWith(c.scope_path)) throw fieldError('consultationId', 'not_this_unit');
  }
  if (input.voteId) {
    const v = await tx.selectFrom('votes as v').innerJoin('consultations as c', 'c.id', 'v.consultation_id').select('c.scope_path').where('v.id', '=', input.voteId).executeTakeFirst();
    if (!v || !isInScope(auth, v.scope_path) || v.scope_path !== unitPath) throw fieldError('voteId', 'not_this_unit');
  }
}

export interface StageInput { stage: ElevatorStage; voteId?: number; startedOn?: string; completedOn?: string | null; responsible?: string | null; documents?: { name: string; url?: string }[]; note?: string | null }

/** Moves a project to its next stage (completing the current one), or updates the record of the current stage. */
export async function recordStage(db: Db, auth: AuthContext, actor: Actor, id: number, input: StageInput) {
  return db.transaction().execute(async (tx) => {
    const p = await tx.selectFrom('elevator_projects').selectAll().where('id', '=', id).executeTakeFirst();
    if (!p) throw notFound();
    if (!can(auth.permissions, 'consult:manage') || !isInScope(auth, p.unit_path)) throw outOfScope();
    const from = ELEVATOR_STAGES.indexOf(p.stage as ElevatorStage), to = ELEVATOR_STAGES.indexOf(input.stage);
    if (to !== from && to !== from + 1) throw fieldError('stage', 'stage_order', { expected: ELEVATOR_STAGE_NAMES[ELEVATOR_STAGES[from + 1] ?? 'in_service'] });
    const today = new Date().toISOString().slice(0, 10);
    // Civil Code art. 278: nothing past "业主表决" without a passed vote of this unit's owners
    // (a paper vote is entered as paper ballots with scans in that vote, so its result counts too).
    if (input.voteId) {
      await checkLinks(tx, auth, p.unit_path, { voteId: input.voteId });
      await tx.updateTable('elevator_projects').set({ vote_id: input.voteId, updated_at: new Date() }).where('id', '=', id).execute();
    }
    if (p.stage === 'vote' && to === from + 1) await requirePassedUnitVote(tx, input.voteId ?? p.vote_id, p.unit_path);
    if (to === from + 1) {
      const res = await tx.updateTable('elevator_projects').set({ stage: input.stage, updated_at: new Date() }).where('id', '=', id).where('stage', '=', p.stage).executeTakeFirst();
      if (!res.numUpdatedRows) throw new AppError(409, 'conflict');
      await tx.updateTable('elevator_stage_records').set({ completed_on: input.startedOn ?? today }).where('project_id', '=', id).where('stage', '=', p.stage).where('completed_on', 'is', null).execute();
    }
    await tx.insertInto('elevator_stage_records').values({
      project_id: id, stage: input.stage, started_on: input.startedOn ?? today, completed_on: input.completedOn ?? (input.stage === 'in_service' ? input.startedOn ?? today : null),
      responsible: input.responsible ?? null, documents: JSON.stringify(input.documents ?? []), note: input.note ?? null,
    }).onConflict((oc) => oc.columns(['project_id', 'stage']).doUpdateSet({
      ...(input.startedOn && { started_on: input.startedOn }), ...(input.completedOn !== undefined && { completed_on: input.completedOn }),
      ...(input.responsible !== undefined && { responsible: input.responsible }), ...(input.documents && { documents: JSON.stringify(input.documents) }),
      ...(input.note !== undefined && { note: input.note }),
    })).execute();
    await appendAudit(tx, actor, { action: 'elevator.stage', targetType: 'elevator_project', targetId: id, summary: { from: p.stage, to: input.stage } });
    return getProject(tx, auth, id);
  });
}

export async function listProjects(db: Db, auth: AuthContext, f: { stage?: string; communityId?: number }, page: PageQuery) {
  let q = db.selectFrom('elevator_projects as e').innerJoin('regions as u', 'u.id', 'e.unit_id')
    .select(['e.id', 'e.unit_id', 'e.unit_path', 'e.stage', 'e.total_cost_fen', 'e.subsidy_fen', 'u.name as unit_name', 'e.updated_at'])
    .where(inScope(auth, 'e.unit_path')).orderBy('e.id');
  if (f.stage) q = q.where('e.stage', '=', f.stage);
  if (f.communityId) q = q.where(sql<boolean>`e.unit_path like (select path from regions where id = ${f.communityId}) || '%'`);
  const res = await paginate(q, page);
  const ids = [...new Set(res.items.flatMap((p) => p.unit_path.split('/').filter(Boolean).map(Number)))];
  const names = ids.length ? new Map((await db.selectFrom('regions').select(['id', 'name', 'level']).where('id', 'in', ids).execute()).map((r) => [r.id, r])) : new Map();
  return {
    ...res,
    items: res.items.map((p) => ({
      id: p.id, unitId: p.unit_id, unitName: p.unit_path.split('/').filter(Boolean).map((i) => names.get(Number(i))).filter((r) => r && ['compound', 'building', 'unit'].includes(r.level)).map((r) => r.name).join(' '),
      community: p.unit_path.split('/').filter(Boolean).map((i) => names.get(Number(i))).find((r) => r?.level === 'community')?.name ?? null,
      stage: p.stage, stageName: ELEVATOR_STAGE_NAMES[p.stage as ElevatorStage], stageGroup: STAGE_GROUP[p.stage as ElevatorStage],
      totalCost: Number(p.total_cost_fen) / 100, subsidy: Number(p.subsidy_fen) / 100, updatedAt: p.updated_at,
    })),
  };
}

/** District dashboard: projects by stage and by community; completed vs approved or under construction. */
export async function elevatorDashboard(db: Db, auth: AuthContext) {
  const rows = await db.selectFrom('elevator_projects').select(['stage', 'unit_path']).where(inScope(auth, 'unit_path')).execute();
  const communities = await db.selectFrom('regions').select(['id', 'name', 'path']).where('level', '=', 'community').where(inScope(auth, 'path')).orderBy('sort').orderBy('id').execute();
  const byGroup = { preparing: 0, approved: 0, under_construction: 0, completed: 0 };
  const byStage = new Map<string, number>();
  for (const r of rows) {
    byGroup[STAGE_GROUP[r.stage as ElevatorStage]]++;
    byStage.set(r.stage, (byStage.get(r.stage) ?? 0) + 1);
  }
  return {
    total: rows.length,
    completed: byGroup.completed,
    approvedOrUnderConstruction: byGroup.approved + byGroup.under_construction,
    byGroup,
    byStage: ELEVATOR_STAGES.map((s) => ({ stage: s, stageName: ELEVATOR_STAGE_NAMES[s], count: byStage.get(s) ?? 0 })),
    byCommunity: communities.map((c) => {
      const mine = rows.filter((r) => r.unit_path.startsWith(c.path));
      return { communityId: c.id, communityName: c.name, total: mine.length, completed: mine.filter((r) => r.stage === 'in_service').length,
        approvedOrUnderConstruction: mine.filter((r) => ['approved', 'under_construction'].includes(STAGE_GROUP[r.stage as ElevatorStage])).length };
    }).filter((c) => c.total > 0),
  };
}

/** The signed-in owner's shares in the projects of their units (for the H5). */
export async function myElevatorShares(db: Db, auth: AuthContext) {
  if (!auth.personId) return [];
  const rooms = await db.selectFrom('room_owners as o').innerJoin('regions as r', 'r.id', 'o.room_id').select(['r.parent_id']).where('o.person_id', '=', auth.personId).execute();
  const unitIds = [...new Set(rooms.map((r) => r.parent_id!).filter(Boolean))];
  if (!unitIds.length) return [];
  const projects = await db.selectFrom('elevator_projects').select('id').where('unit_id', 'in', unitIds).execute();
  return Promise.all(projects.map((p) => getProject(db, auth, p.id)));
}

import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { isConsultManager } from './policy.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import type { PageQuery } from '../../core/paging.js';
import { emptyPage, paginate } from '../../core/paging.js';
import { inScope, isInScope, regionFieldInScope, underPath } from '../../core/scope.js';
import type { ConsultStage } from '../../core/schema.js';

export const STAGES: ConsultStage[] = ['propose', 'deliberate', 'decide', 'implement', 'supervise', 'evaluate', 'closed'];
export const STAGE_NAMES: Record<ConsultStage, string> = { propose: '提', deliberate: '议', decide: '定', implement: '办', supervise: '督', evaluate: '评', closed: '已结束' };
export const PARTIES = ['residents_committee', 'owners_committee', 'property_company', 'grid_worker', 'experts'] as const;

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Whether the caller owns a room under a path (residents take part in consultations about their own block). */
export async function ownsRoomUnder(db: Executor, auth: AuthContext, path: string) {
  if (!auth.personId) return false;
  const r = await db.selectFrom('room_owners as o').innerJoin('regions as r', 'r.id', 'o.room_id').select('o.room_id')
    .where('o.person_id', '=', auth.personId).where(underPath('r.path', path)).limit(1).executeTakeFirst();
  return !!r;
}

/** Workers with consult:read in scope, or owners of a room inside the consultation's scope. */
export async function loadConsultationFor(db: Executor, auth: AuthContext, id: number) {
  const c = await db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound();
  const worker = can(auth.permissions, 'consult:read') && isInScope(auth, c.scope_path);
  if (!worker && !(await ownsRoomUnder(db, auth, c.scope_path))) throw outOfScope();
  return { c, worker: isConsultManager(auth, c.scope_path) };
}

export async function createConsultation(db: Db, auth: AuthContext, actor: Actor, input: { topic: string; description?: string | null; scopeRegionId: number; parties?: string[] }) {
  return db.transaction().execute(async (tx) => {
    const scope = await regionFieldInScope(tx, auth, 'scopeRegionId', input.scopeRegionId);
    if (!['unit', 'building', 'compound'].includes(scope.level)) throw fieldError('scopeRegionId', 'scope_level');
    const c = await tx.insertInto('consultations').values({
      topic: input.topic, description: input.description ?? null, scope_region_id: scope.id, scope_path: scope.path,
      parties: JSON.stringify(input.parties ?? ['residents_committee', 'owners_committee', 'property_company', 'grid_worker']), created_by: auth.accountId,
    }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'consultation.create', targetType: 'consultation', targetId: c.id, summary: { topic: input.topic, scopeRegionId: scope.id } });
    return presentConsultation(c, scope.name);
  });
}

export function presentConsultation(c: { id: number; topic: string; description: string | null; scope_region_id: number; stage: ConsultStage; parties: unknown; created_at: Date | string }, scopeName: string) {
  return { id: c.id, topic: c.topic, description: c.description, scopeRegionId: c.scope_region_id, scopeName, stage: c.stage, stageName: STAGE_NAMES[c.stage], parties: json<string[]>(c.parties), createdAt: c.created_at };
}

export async function listConsultations(db: Db, auth: AuthContext, page: PageQuery & { q?: string; stage?: string }) {
  let q = db.selectFrom('consultations as c').innerJoin('regions as r', 'r.id', 'c.scope_region_id').selectAll('c').select('r.name as scope_name').orderBy('c.id', 'desc');
  if (page.q) q = q.where('c.topic', 'like', `%${page.q.replace(/[%_\\]/g, '\\$&')}%`);
  if (page.stage) q = q.where('c.stage', '=', page.stage as ConsultStage);
  // A worker without a scope reads as a resident: only consultations about rooms they own.
  if (can(auth.permissions, 'consult:read') && auth.scope) q = q.where(inScope(auth, 'c.scope_path'));
  else if (auth.personId) {
    // Residents: consultations whose scope contains a room they own.
    q = q.where(sql<boolean>`exists (select 1 from room_owners o join regions rr on rr.id = o.room_id where o.person_id = ${auth.personId} and rr.path like c.scope_path || '%')`);
  } else return emptyPage(page);
  const res = await paginate(q, page);
  return { ...res, items: res.items.map((c) => presentConsultation(c, c.scope_name)) };
}

export async function getConsultation(db: Db, auth: AuthContext, id: number) {
  const { c } = await loadConsultationFor(db, auth, id);
  const scope = await db.selectFrom('regions').select('name').where('id', '=', c.scope_region_id).executeTakeFirstOrThrow();
  const posts = await db.selectFrom('consultation_posts').selectAll().where('consultation_id', '=', id).orderBy('id').execute();
  const votes = await db.selectFrom('votes').select(['id', 'title', 'rule', 'status', 'secret', 'opens_at', 'closes_at']).where('consultation_id', '=', id).orderBy('id').execute();
  return {
    ...presentConsultation(c, scope.name),
    posts: posts.map((p) => ({ id: p.id, parentId: p.parent_id, kind: p.kind, authorName: p.author_name, body: p.body, meta: json(p.meta), createdAt: p.created_at })),
    votes: votes.map((v) => ({ id: v.id, title: v.title, rule: v.rule, status: v.status, secret: v.secret, opensAt: v.opens_at, closesAt: v.closes_at })),
  };
}

const WORKER_KINDS = ['expert_qa', 'meeting', 'site_visit', 'decision', 'follow_up'];

/** Adds to the record: posts and replies by anyone taking part; meetings, site visits, decisions and follow-up by workers; evaluation by residents. */
export async function addPost(db: Db, auth: AuthContext, actor: Actor, id: number, input: { kind: string; body: string; parentId?: number | null; meta?: Record<string, unknown> }) {
  return db.transaction().execute(async (tx) => {
    const { c, worker } = await loadConsultationFor(tx, auth, id);
    if (WORKER_KINDS.includes(input.kind) && !worker) throw new AppError(403, 'forbidden');
    if (input.kind === 'evaluation' && c.stage !== 'evaluate') throw fieldError('kind', 'not_evaluation_stage');
    if (input.parentId) {
      const parent = await tx.selectFrom('consultation_posts').select('id').where('id', '=', input.parentId).where('consultation_id', '=', id).executeTakeFirst();
      if (!parent) throw fieldError('parentId', 'no_such_post');
    }
    const row = await tx.insertInto('consultation_posts').values({
      consultation_id: id, parent_id: input.parentId ?? null, kind: input.kind, author_id: auth.accountId, author_name: auth.displayName,
      body: input.body, meta: JSON.stringify(input.meta ?? {}),
    }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'consultation.post', targetType: 'consultation', targetId: id, summary: { kind: input.kind, postId: row.id } });
    return { id: row.id, kind: input.kind, body: input.body, createdAt: row.created_at };
  });
}

/** Moves the closed loop forward (提 → 议 → 定 → 办 → 督 → 评), one stage at a time. */
export async function setStage(db: Db, auth: AuthContext, actor: Actor, id: number, stage: ConsultStage) {
  return db.transaction().execute(async (tx) => {
    const { c, worker } = await loadConsultationFor(tx, auth, id);
    if (!worker) throw new AppError(403, 'forbidden');
    const from = STAGES.indexOf(c.stage), to = STAGES.indexOf(stage);
    if (to !== from + 1) throw fieldError('stage', 'stage_order', { expected: STAGE_NAMES[STAGES[from + 1] ?? 'closed'] });
    const res = await tx.updateTable('consultations').set({ stage, updated_at: new Date() }).where('id', '=', id).where('stage', '=', c.stage).executeTakeFirst();
    if (!res.numUpdatedRows) throw new AppError(409, 'conflict');
    await tx.insertInto('consultation_posts').values({ consultation_id: id, kind: 'stage', author_id: auth.accountId, author_name: auth.displayName, body: `${STAGE_NAMES[c.stage]} → ${STAGE_NAMES[stage]}`, meta: JSON.stringify({ from: c.stage, to: stage }) }).execute();
    await appendAudit(tx, actor, { action: 'consultation.stage', targetType: 'consultation', targetId: id, summary: { from: c.stage, to: stage } });
    return { id, stage, stageName: STAGE_NAMES[stage] };
  });
}

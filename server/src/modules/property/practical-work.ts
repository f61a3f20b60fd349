import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { prepareImages, saveImage, type FileStore } from '../../core/files.js';
import { regionFieldInScope } from '../../core/scope.js';
import { getMatter, loadMatter, todayInShanghai } from './practical-matters.js';
import { requireMatterAbility, type MatterAbilities } from './practical-policy.js';
import type { MatterCategory, MatterStatus, UnitKind, UnitRole } from './practical-tables.js';

/** Practical matters, the console's writes: create and edit, milestones with evidence, photos, spending, the status flow. Every write is audited. */

export interface PracticalDeps { db: Db; files: FileStore }

export interface UnitInput { kind: UnitKind; role?: UnitRole; name?: string; allianceUnitId?: number }
export interface MilestoneInput { title: string; weight?: number; dueOn?: string | null }
export interface MatterInput {
  title: string; category: MatterCategory; summary?: string | null; year: number; regionId: number; compoundIds: number[]; units: UnitInput[];
  budgetFen: number; startsOn?: string | null; dueOn: string; milestones?: MilestoneInput[];
}
export type MatterPatch = Partial<Omit<MatterInput, 'milestones'>>;

/** Photos of one kind per matter (before, after), and evidence photos per milestone. */
export const MAX_PHOTOS = 9;
export const MAX_MILESTONES = 50;

const OWNING_LEVELS = ['district', 'street', 'community'];
/** The street of a region path (/district/street/…), if the path reaches one. */
const streetOfPath = (path: string) => { const s = path.split('/').filter(Boolean)[1]; return s ? Number(s) : null; };

/**
 * The owning region (in the caller's scope; the district, a street or a community) and the served
 * compounds, each under the owning region — so every compound is in the caller's scope as well.
 */
async function coverage(tx: Executor, auth: AuthContext, regionId: number, compoundIds: number[]) {
  const region = await regionFieldInScope(tx, auth, 'regionId', regionId);
  if (!OWNING_LEVELS.includes(region.level)) throw fieldError('regionId', 'practical_region_level');
  const rows = await tx.selectFrom('regions').select(['id', 'path', 'level']).where('id', 'in', [...new Set(compoundIds)]).execute();
  const compounds = new Map<number, { id: number; path: string }>();
  for (const [i, id] of compoundIds.entries()) {
    const c = rows.find((r) => r.id === id);
    if (!c || c.level !== 'compound') throw fieldError(`compoundIds.${i}`, 'no_such_compound');
    if (!c.path.startsWith(region.path)) throw fieldError(`compoundIds.${i}`, 'compound_outside_region');
    compounds.set(c.id, c);
  }
  // A district-level matter belongs to a street on the dashboard when all its compounds lie in one.
  const streets = new Set([...compounds.values()].map((c) => streetOfPath(c.path)));
  const streetId = streetOfPath(region.path) ?? (streets.size === 1 ? [...streets][0] : null);
  return { region, compounds: [...compounds.values()], streetId };
}

/** Responsible units: an alliance unit by its id (verified ones, named as registered), every other kind by name; the first is the lead unless roles are given. */
async function resolveUnits(tx: Executor, units: UnitInput[]) {
  const ids = units.flatMap((u) => (u.allianceUnitId != null ? [u.allianceUnitId] : []));
  const known = ids.length ? await tx.selectFrom('alliance_units').select(['id', 'name', 'status']).where('id', 'in', ids).execute() : [];
  const anyRole = units.some((u) => u.role);
  return units.map((u, i) => {
    const role: UnitRole = u.role ?? (!anyRole && i === 0 ? 'lead' : 'partner');
    if (u.kind === 'alliance_unit') {
      if (u.allianceUnitId == null) throw fieldError(`units.${i}.allianceUnitId`, 'required');
      const a = known.find((k) => k.id === u.allianceUnitId);
      if (!a || a.status !== 'verified') throw fieldError(`units.${i}.allianceUnitId`, 'no_such_unit');
      return { kind: u.kind, role, name: a.name, alliance_unit_id: a.id };
    }
    if (u.allianceUnitId != null) throw fieldError(`units.${i}.allianceUnitId`, 'unknown_field');
    if (!u.name) throw fieldError(`units.${i}.name`, 'required');
    return { kind: u.kind, role, name: u.name, alliance_unit_id: null };
  });
}

const milestoneRows = (matterId: number, list: MilestoneInput[], from: number) =>
  list.map((m, i) => ({ matter_id: matterId, title: m.title, weight: m.weight ?? 1, due_on: m.dueOn ?? null, sort: from + i }));

/** The matter locked for this write, and the caller's ability checked on the locked row. */
async function lockMatter(tx: Executor, auth: AuthContext, id: number, action: keyof MatterAbilities) {
  await sql`select id from practical_matters where id = ${id} for update`.execute(tx);
  const m = await loadMatter(tx, id);
  if (!m) throw notFound();
  requireMatterAbility(auth, m, action);
  return m;
}

/** The same check without a lock, before work done outside the transaction (decoding photos). */
async function precheck(db: Db, auth: AuthContext, id: number, action: keyof MatterAbilities) {
  const m = await loadMatter(db, id);
  if (!m) throw notFound();
  requireMatterAbility(auth, m, action);
}

export async function createMatter(d: PracticalDeps, auth: AuthContext, actor: Actor, b: MatterInput) {
  if (b.startsOn && b.startsOn > b.dueOn) throw fieldError('dueOn', 'ends_before_start');
  return d.db.transaction().execute(async (tx) => {
    const cov = await coverage(tx, auth, b.regionId, b.compoundIds);
    const units = await resolveUnits(tx, b.units);
    const now = new Date();
    const m = await tx.insertInto('practical_matters').values({
      title: b.title, category: b.category, summary: b.summary ?? null, year: b.year, region_id: cov.region.id, region_path: cov.region.path, street_id: cov.streetId,
      budget_fen: b.budgetFen, starts_on: b.startsOn ?? null, due_on: b.dueOn, created_by: auth.accountId, created_at: now, updated_at: now,
    }).returning(['id', 'status']).executeTakeFirstOrThrow();
    await tx.insertInto('practical_matter_compounds').values(cov.compounds.map((c) => ({ matter_id: m.id, compound_id: c.id, compound_path: c.path }))).execute();
    await tx.insertInto('practical_matter_units').values(units.map((u, i) => ({ matter_id: m.id, sort: i, ...u }))).execute();
    if (b.milestones?.length) await tx.insertInto('practical_milestones').values(milestoneRows(m.id, b.milestones, 0)).execute();
    await appendAudit(tx, actor, {
      action: 'practical.create', targetType: 'practical_matter', targetId: m.id,
      summary: { title: b.title, regionId: cov.region.id, compoundIds: cov.compounds.map((c) => c.id), budgetFen: b.budgetFen, milestones: b.milestones?.length ?? 0 },
    });
    return { id: m.id, status: m.status };
  });
}

/** Edits a matter; the owning region, compounds and units only by the owning region's workers and only before acceptance. */
export async function updateMatter(d: PracticalDeps, auth: AuthContext, actor: Actor, id: number, p: MatterPatch) {
  const redraw = p.regionId != null || p.compoundIds != null || p.units != null;
  return d.db.transaction().execute(async (tx) => {
    const m = await lockMatter(tx, auth, id, redraw ? 'editCoverage' : 'edit');
    const cur = await tx.selectFrom('practical_matters').select(['starts_on', 'due_on']).where('id', '=', id).executeTakeFirstOrThrow();
    const startsOn = p.startsOn !== undefined ? p.startsOn : cur.starts_on;
    if (startsOn && startsOn > (p.dueOn ?? cur.due_on)) throw fieldError(p.dueOn ? 'dueOn' : 'startsOn', 'ends_before_start');
    const set: Record<string, unknown> = {};
    if (p.regionId != null || p.compoundIds != null) {
      const cov = await coverage(tx, auth, p.regionId ?? m.region_id, p.compoundIds ?? m.compound_ids);
      await tx.deleteFrom('practical_matter_compounds').where('matter_id', '=', id).execute();
      await tx.insertInto('practical_matter_compounds').values(cov.compounds.map((c) => ({ matter_id: id, compound_id: c.id, compound_path: c.path }))).execute();
      Object.assign(set, { region_id: cov.region.id, region_path: cov.region.path, street_id: cov.streetId });
    }
    if (p.units) {
      const units = await resolveUnits(tx, p.units);
      await tx.deleteFrom('practical_matter_units').where('matter_id', '=', id).execute();
      await tx.insertInto('practical_matter_units').values(units.map((u, i) => ({ matter_id: id, sort: i, ...u }))).execute();
    }
    await tx.updateTable('practical_matters').set({
      ...set, ...(p.title !== undefined && { title: p.title }), ...(p.category !== undefined && { category: p.category }),
      ...(p.summary !== undefined && { summary: p.summary }), ...(p.year !== undefined && { year: p.year }), ...(p.budgetFen !== undefined && { budget_fen: p.budgetFen }),
      ...(p.startsOn !== undefined && { starts_on: p.startsOn }), ...(p.dueOn !== undefined && { due_on: p.dueOn }), updated_at: new Date(),
    }).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'practical.update', targetType: 'practical_matter', targetId: id, summary: { changed: Object.keys(p), ...p } });
    return { id };
  });
}

export async function addMilestones(d: PracticalDeps, auth: AuthContext, actor: Actor, id: number, list: MilestoneInput[]) {
  return d.db.transaction().execute(async (tx) => {
    await lockMatter(tx, auth, id, 'addMilestone');
    const { n, top } = await tx.selectFrom('practical_milestones').select([sql<number>`count(*)::int`.as('n'), sql<number>`coalesce(max(sort), -1)`.as('top')])
      .where('matter_id', '=', id).executeTakeFirstOrThrow();
    if (n + list.length > MAX_MILESTONES) throw fieldError('milestones', 'too_long', { maximum: MAX_MILESTONES });
    await tx.insertInto('practical_milestones').values(milestoneRows(id, list, Number(top) + 1)).execute();
    await tx.updateTable('practical_matters').set({ updated_at: new Date() }).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'practical.milestones', targetType: 'practical_matter', targetId: id, summary: { titles: list.map((m) => m.title) } });
    return getMatter(tx, id);
  });
}

/** Completes a milestone with an optional note and 0–9 evidence photos; the first completion starts the works. Returns the public page (its progress moved). */
export async function completeMilestone(d: PracticalDeps, auth: AuthContext, actor: Actor, id: number, milestoneId: number, note: string | null, images: Buffer[]) {
  await precheck(d.db, auth, id, 'completeMilestone');
  const prepared = await prepareImages(images); // outside the transaction: CPU work holds no connection
  return d.db.transaction().execute(async (tx) => {
    const m = await lockMatter(tx, auth, id, 'completeMilestone');
    const now = new Date();
    const done = await tx.updateTable('practical_milestones').set({ done_at: now, done_by: auth.accountId, note })
      .where('id', '=', milestoneId).where('matter_id', '=', id).where('done_at', 'is', null).executeTakeFirst();
    if (!Number(done.numUpdatedRows)) {
      const exists = await tx.selectFrom('practical_milestones').select('id').where('id', '=', milestoneId).where('matter_id', '=', id).executeTakeFirst();
      throw exists ? new AppError(409, 'milestone_done', 'milestone_done') : notFound();
    }
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('practical_matter_photos').values({ matter_id: id, file_id: f.id, kind: 'evidence', milestone_id: milestoneId, sort: i }).execute();
    }
    await tx.updateTable('practical_matters').set({ updated_at: now, ...(m.status === 'planned' && { status: 'in_progress', started_at: now }) }).where('id', '=', id).execute();
    await appendAudit(tx, actor, {
      action: 'practical.milestone_done', targetType: 'practical_matter', targetId: id,
      summary: { milestoneId, note, photos: prepared.length, ...(m.status === 'planned' && { status: 'in_progress' }) },
    });
    return getMatter(tx, id);
  });
}

/** Before or after photos (at most 9 of each kind per matter). */
export async function addMatterPhotos(d: PracticalDeps, auth: AuthContext, actor: Actor, id: number, kind: 'before' | 'after', images: Buffer[]) {
  if (!images.length) throw fieldError('photos', 'required');
  await precheck(d.db, auth, id, 'addPhotos');
  const prepared = await prepareImages(images);
  return d.db.transaction().execute(async (tx) => {
    await lockMatter(tx, auth, id, 'addPhotos');
    const { n } = await tx.selectFrom('practical_matter_photos').select(sql<number>`count(*)::int`.as('n')).where('matter_id', '=', id).where('kind', '=', kind).executeTakeFirstOrThrow();
    if (n + prepared.length > MAX_PHOTOS) throw fieldError('photos', 'too_many_photos', { max: MAX_PHOTOS });
    const out: number[] = [];
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('practical_matter_photos').values({ matter_id: id, file_id: f.id, kind, milestone_id: null, sort: n + i }).execute();
      out.push(f.id);
    }
    await tx.updateTable('practical_matters').set({ updated_at: new Date() }).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'practical.photos', targetType: 'practical_matter', targetId: id, summary: { kind, count: out.length } });
    return out;
  });
}

/** One spending entry; the matter's total moves in the same transaction. Spending over the budget is recorded (and shown), not refused. */
export async function recordSpending(d: PracticalDeps, auth: AuthContext, actor: Actor, id: number, e: { amountFen: number; spentOn: string; note?: string }) {
  if (e.spentOn > todayInShanghai()) throw fieldError('spentOn', 'date_in_future');
  return d.db.transaction().execute(async (tx) => {
    await lockMatter(tx, auth, id, 'spend');
    const entry = await tx.insertInto('practical_spending').values({ matter_id: id, amount_fen: e.amountFen, spent_on: e.spentOn, note: e.note ?? null, recorded_by: auth.accountId })
      .returning('id').executeTakeFirstOrThrow();
    const m = await tx.updateTable('practical_matters').set({ spent_fen: sql`spent_fen + ${e.amountFen}`, updated_at: new Date() }).where('id', '=', id)
      .returning(['budget_fen', 'spent_fen']).executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'practical.spending', targetType: 'practical_matter', targetId: id, summary: { entryId: entry.id, ...e } });
    const spentFen = Number(m.spent_fen), budgetFen = Number(m.budget_fen);
    return { id, entryId: entry.id, spentFen, budgetFen, overBudget: spentFen > budgetFen };
  });
}

/** The flow: planned → in_progress → accepted (every milestone done; the survey opens) → closed (the survey closes). */
const STEPS = {
  in_progress: { from: 'planned', ability: 'start', stamp: 'started_at' },
  accepted: { from: 'in_progress', ability: 'accept', stamp: 'accepted_at' },
  closed: { from: 'accepted', ability: 'close', stamp: 'closed_at' },
} as const satisfies Record<string, { from: MatterStatus; ability: keyof MatterAbilities; stamp: string }>;

export async function changeMatterStatus(d: PracticalDeps, auth: AuthContext, actor: Actor, id: number, to: keyof typeof STEPS, note?: string) {
  const step = STEPS[to];
  return d.db.transaction().execute(async (tx) => {
    await lockMatter(tx, auth, id, step.ability);
    if (to === 'accepted') {
      const { n } = await tx.selectFrom('practical_milestones').select(sql<number>`count(*)::int`.as('n')).where('matter_id', '=', id).where('done_at', 'is', null).executeTakeFirstOrThrow();
      if (n) throw new AppError(409, 'milestones_open', 'milestones_open', { count: n });
    }
    const now = new Date();
    await tx.updateTable('practical_matters').set({ status: to, [step.stamp]: now, updated_at: now }).where('id', '=', id).where('status', '=', step.from).execute();
    await appendAudit(tx, actor, { action: 'practical.status', targetType: 'practical_matter', targetId: id, summary: { from: step.from, to, note: note ?? null } });
    return { id, status: to };
  });
}

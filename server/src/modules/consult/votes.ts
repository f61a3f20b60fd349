import { createHmac, randomBytes } from 'node:crypto';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { isInScope } from '../../core/scope.js';
import { loadConsultationFor } from './consultations.js';
import { voteAbilities } from './policy.js';
import { registerOf } from './owners.js';
import { headKeys, RULES, tally, type Ballot, type Choice, type Rule, type TallyResult, type Thresholds } from './tally.js';

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const roomMac = (key: string, voteId: number, roomId: number) => createHmac('sha256', key).update(`${voteId}:${roomId}`).digest('base64url');

export interface VoteSettings { title?: string; rule?: Rule; custom?: Thresholds; secret?: boolean; opensAt?: string | null; closesAt?: string | null; noticeDays?: number }

function thresholdsFor(rule: Rule, custom?: Thresholds): Thresholds {
  if (rule === 'custom') {
    if (!custom) throw fieldError('custom', 'required');
    return custom;
  }
  return RULES[rule];
}

function presentVote(v: { id: number; consultation_id: number; title: string; rule: Rule; thresholds: unknown; secret: boolean; opens_at: Date | string | null; closes_at: Date | string | null; status: string; notice_days: number; closed_at: Date | string | null; notice_until: Date | string | null }) {
  return {
    id: v.id, consultationId: v.consultation_id, title: v.title, rule: v.rule, thresholds: json<Thresholds>(v.thresholds), secret: v.secret,
    opensAt: v.opens_at, closesAt: v.closes_at, status: v.status, noticeDays: v.notice_days, closedAt: v.closed_at, noticeUntil: v.notice_until,
  };
}

async function loadVote(db: Executor, id: number) {
  const v = await db.selectFrom('votes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!v) throw notFound();
  return v;
}

async function requireManager(db: Executor, auth: AuthContext, consultationId: number) {
  const { c, worker } = await loadConsultationFor(db, auth, consultationId);
  if (!worker) throw new AppError(403, 'forbidden');
  return c;
}

export async function createVote(db: Db, auth: AuthContext, actor: Actor, input: VoteSettings & { consultationId: number; title: string; rule: Rule }) {
  return db.transaction().execute(async (tx) => {
    await requireManager(tx, auth, input.consultationId).catch((e) => { throw e instanceof AppError && e.status === 404 ? fieldError('consultationId', 'no_such_consultation') : e; });
    const v = await tx.insertInto('votes').values({
      consultation_id: input.consultationId, title: input.title, rule: input.rule, thresholds: JSON.stringify(thresholdsFor(input.rule, input.custom)),
      secret: input.secret ?? false, opens_at: input.opensAt ?? null, closes_at: input.closesAt ?? null, notice_days: input.noticeDays ?? 15, created_by: auth.accountId,
    }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'vote.create', targetType: 'vote', targetId: v.id, summary: { ...input } });
    return presentVote(v);
  });
}

/** Settings can change only while the vote is a draft: once voting opens, rule, scope, options and secrecy are locked. */
export async function updateVote(db: Db, auth: AuthContext, actor: Actor, id: number, patch: VoteSettings) {
  return db.transaction().execute(async (tx) => {
    const v = await loadVote(tx, id);
    await requireManager(tx, auth, v.consultation_id);
    const rule = patch.rule ?? v.rule;
    const res = await tx.updateTable('votes').set({
      ...(patch.title !== undefined && { title: patch.title }),
      ...((patch.rule !== undefined || patch.custom !== undefined) && { rule, thresholds: JSON.stringify(thresholdsFor(rule, patch.custom ?? (rule === 'custom' ? json<Thresholds>(v.thresholds) : undefined))) }),
      ...(patch.secret !== undefined && { secret: patch.secret }),
      ...(patch.opensAt !== undefined && { opens_at: patch.opensAt }),
      ...(patch.closesAt !== undefined && { closes_at: patch.closesAt }),
      ...(patch.noticeDays !== undefined && { notice_days: patch.noticeDays }),
      updated_at: new Date(),
    }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
    if (!res.numUpdatedRows) throw new AppError(409, 'vote_locked');
    await appendAudit(tx, actor, { action: 'vote.update', targetType: 'vote', targetId: id, summary: { ...patch } });
    return presentVote(await loadVote(tx, id));
  });
}

/** Opens voting: the scope's register is frozen into the vote (areas, head groups, who holds each room's vote). */
export async function openVote(db: Db, auth: AuthContext, actor: Actor, id: number) {
  return db.transaction().execute(async (tx) => {
    const v = await loadVote(tx, id);
    const c = await requireManager(tx, auth, v.consultation_id);
    const register = await registerOf(tx, c.scope_path);
    if (!register.length) throw fieldError('consultationId', 'empty_register');
    const keys = headKeys(register);
    const now = new Date();
    const res = await tx.updateTable('votes').set({
      status: 'open', opens_at: v.opens_at && new Date(v.opens_at) > now ? v.opens_at : now,
      secret_key: v.secret ? randomBytes(32).toString('hex') : null, updated_at: now,
    }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
    if (!res.numUpdatedRows) throw new AppError(409, 'vote_state', 'vote_state', { status: v.status });
    await tx.insertInto('vote_rooms').values(register.map((r) => ({ vote_id: id, room_id: r.roomId, area_centi: r.areaCenti, head_key: keys.get(r.roomId)!, holder_person_id: r.holder }))).execute();
    await appendAudit(tx, actor, { action: 'vote.open', targetType: 'vote', targetId: id, summary: { rooms: register.length, heads: new Set(keys.values()).size } });
    return { ...presentVote(await loadVote(tx, id)), rooms: register.length, heads: new Set(keys.values()).size };
  });
}

export interface BallotInput { roomId: number; choice: Choice; channel?: 'h5' | 'paper'; scanFileId?: number }

/**
 * One ballot per room: the participation row's primary key decides a race, so of
 * two concurrent ballots for a room exactly one counts. Electronic ballots come
 * from the owner who holds the room's vote; paper ballots from a worker, with a scan.
 */
export async function castBallot(db: Db, auth: AuthContext, actor: Actor, id: number, input: BallotInput) {
  try {
    return await db.transaction().execute(async (tx) => {
      const v = await loadVote(tx, id);
      const now = new Date();
      if (v.status === 'closed' || (v.closes_at && new Date(v.closes_at) <= now)) throw new AppError(409, 'vote_closed');
      if (v.status !== 'open' || (v.opens_at && new Date(v.opens_at) > now)) throw new AppError(409, 'vote_not_open');
      const room = await tx.selectFrom('vote_rooms').selectAll().where('vote_id', '=', id).where('room_id', '=', input.roomId).executeTakeFirst();
      const c = await tx.selectFrom('consultations').select(['scope_path']).where('id', '=', v.consultation_id).executeTakeFirstOrThrow();
      if (!room) throw fieldError('roomId', 'room_not_in_vote');
      const paper = input.channel === 'paper';
      if (paper) {
        if (!can(auth.permissions, 'consult:manage') || !isInScope(auth, c.scope_path)) throw new AppError(403, 'forbidden');
        if (!input.scanFileId) throw fieldError('scanFileId', 'scan_required');
        // The scan must be one this worker uploaded (through the vote's /scans).
        const scan = await tx.selectFrom('files').select('id').where('id', '=', input.scanFileId).where('uploaded_by', '=', auth.accountId).executeTakeFirst();
        if (!scan) throw fieldError('scanFileId', 'no_such_file');
      } else if (!auth.personId || room.holder_person_id !== auth.personId) {
        throw new AppError(403, 'not_vote_holder');
      }
      await tx.insertInto('vote_participations').values({
        vote_id: id, room_id: input.roomId, person_id: paper ? room.holder_person_id : auth.personId, channel: paper ? 'paper' : 'h5',
        entered_by: paper ? auth.accountId : null, scan_file_id: paper ? input.scanFileId! : null, choice: v.secret ? null : input.choice,
      }).execute();
      if (v.secret) await tx.insertInto('vote_secret_choices').values({ vote_id: id, room_mac: roomMac(v.secret_key!, id, input.roomId), choice: input.choice }).execute();
      await appendAudit(tx, actor, { action: 'vote.ballot', targetType: 'vote', targetId: id, summary: { roomId: input.roomId, channel: paper ? 'paper' : 'h5', ...(v.secret ? {} : { choice: input.choice }) } });
      return { voteId: id, roomId: input.roomId, channel: paper ? 'paper' : 'h5', recorded: true };
    });
  } catch (err: any) {
    if (err?.code === '23505') throw new AppError(409, 'already_voted');
    throw err;
  }
}

/** The ballots of a vote as the tally reads them; for a secret vote, matched through the per-vote key. */
async function ballotsOf(db: Executor, v: { id: number; secret: boolean; secret_key: string | null }): Promise<Ballot[]> {
  const parts = await db.selectFrom('vote_participations').select(['room_id', 'choice']).where('vote_id', '=', v.id).execute();
  if (!v.secret) return parts.map((p) => ({ roomId: p.room_id, choice: p.choice! }));
  if (!v.secret_key) throw new Error('secret ballots cannot be counted without the vote key');
  const choices = new Map((await db.selectFrom('vote_secret_choices').select(['room_mac', 'choice']).where('vote_id', '=', v.id).execute()).map((c) => [c.room_mac, c.choice]));
  return parts.map((p) => ({ roomId: p.room_id, choice: choices.get(roomMac(v.secret_key!, v.id, p.room_id))! }));
}

async function computeResult(db: Executor, v: { id: number; secret: boolean; secret_key: string | null; thresholds: unknown }) {
  const rooms = await db.selectFrom('vote_rooms').select(['room_id', 'area_centi', 'head_key']).where('vote_id', '=', v.id).execute();
  // Heads were grouped when voting opened; each group's rooms share one synthetic owner id here.
  const headIds = new Map<string, number>();
  const register = rooms.map((r) => {
    if (!headIds.has(r.head_key)) headIds.set(r.head_key, headIds.size + 1);
    const developer = r.head_key === 'developer';
    return { roomId: r.room_id, areaCenti: r.area_centi, ownerIds: developer ? [] : [headIds.get(r.head_key)!], unsoldDeveloperUnit: developer };
  });
  return tally(register, await ballotsOf(db, v), json<Thresholds>(v.thresholds));
}

/** Closes voting, counts, stores the result, starts the public notice, and destroys the secret key. */
export async function closeVote(db: Db, auth: AuthContext, actor: Actor, id: number) {
  return db.transaction().execute(async (tx) => {
    const v = await loadVote(tx, id);
    await requireManager(tx, auth, v.consultation_id);
    if (v.status !== 'open') throw new AppError(409, 'vote_state', 'vote_state', { status: v.status });
    const result = await computeResult(tx, v);
    const now = new Date();
    const noticeUntil = new Date(now.getTime() + v.notice_days * 86400_000);
    const res = await tx.updateTable('votes').set({ status: 'closed', closed_at: now, notice_until: noticeUntil, result: JSON.stringify(result), secret_key: null, closes_at: v.closes_at && new Date(v.closes_at) < now ? v.closes_at : now, updated_at: now })
      .where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    if (!res.numUpdatedRows) throw new AppError(409, 'conflict');
    await appendAudit(tx, actor, { action: 'vote.close', targetType: 'vote', targetId: id, summary: { passed: result.passed, ballots: result.counts.ballots } });
    return { ...result, voteId: id, status: 'closed', noticeUntil: noticeUntil.toISOString() };
  });
}

/** The result: stored at close; while open, a live count for the managers. Fractions are integers (area in 0.01 m²). */
export async function voteResult(db: Db, auth: AuthContext, id: number) {
  const v = await loadVote(db, id);
  const { worker } = await loadConsultationFor(db, auth, v.consultation_id);
  const objections = await db.selectFrom('vote_objections').select(['stage']).where('vote_id', '=', id).execute();
  const open = objections.filter((o) => o.stage !== 'closed').length;
  if (v.status === 'closed') {
    const final = !!v.notice_until && new Date(v.notice_until) <= new Date() && open === 0;
    return { ...json<TallyResult>(v.result), voteId: id, status: v.status, noticeUntil: v.notice_until, objectionsOpen: open, final };
  }
  if (v.status === 'open' && worker) return { ...(await computeResult(db, v)), voteId: id, status: v.status, provisional: true };
  throw new AppError(409, 'vote_state', 'vote_state', { status: v.status });
}

/** The vote page for a participant: settings, the caller's rooms in scope and whether each has voted; participation (who, not how). */
export async function getVote(db: Db, auth: AuthContext, id: number) {
  const v = await loadVote(db, id);
  const { c, worker } = await loadConsultationFor(db, auth, v.consultation_id);
  const rooms = await db.selectFrom('vote_rooms as vr').innerJoin('regions as r', 'r.id', 'vr.room_id').leftJoin('vote_participations as p', (j) => j.onRef('p.vote_id', '=', 'vr.vote_id').onRef('p.room_id', '=', 'vr.room_id'))
    .select(['vr.room_id', 'r.name', 'r.path', 'vr.area_centi', 'vr.holder_person_id', 'p.channel', 'p.cast_at', 'p.choice']).where('vr.vote_id', '=', id).orderBy('r.path').execute();
  const mine = rooms.filter((r) => auth.personId != null && r.holder_person_id === auth.personId);
  return {
    ...presentVote(v),
    myRooms: mine.map((r) => ({ roomId: r.room_id, roomName: r.name, area: r.area_centi / 100, voted: !!r.channel, choice: v.secret ? undefined : r.choice ?? undefined })),
    participation: worker ? rooms.map((r) => ({ roomId: r.room_id, roomName: r.name, area: r.area_centi / 100, voted: !!r.channel, channel: r.channel ?? null, castAt: r.cast_at ?? null, ...(v.secret ? {} : { choice: r.choice ?? null }) })) : undefined,
    counts: { rooms: rooms.length, voted: rooms.filter((r) => r.channel).length },
    abilities: voteAbilities(auth, v, c.scope_path, mine.map((r) => ({ voted: !!r.channel }))),
  };
}

export const OBJECTION_STAGES = ['negotiation', 'community_mediation', 'street_mediation', 'closed'] as const;

/** During the public notice anyone taking part may object; objections move negotiation → community mediation → street mediation → closed. */
export async function raiseObjection(db: Db, auth: AuthContext, actor: Actor, id: number, body: string) {
  return db.transaction().execute(async (tx) => {
    const v = await loadVote(tx, id);
    await loadConsultationFor(tx, auth, v.consultation_id);
    if (v.status !== 'closed' || !v.notice_until || new Date(v.notice_until) < new Date()) throw new AppError(409, 'not_in_notice');
    const o = await tx.insertInto('vote_objections').values({ vote_id: id, raised_by: auth.accountId, body, history: JSON.stringify([{ stage: 'negotiation', at: new Date().toISOString(), by: auth.displayName }]) }).returning(['id', 'stage']).executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'vote.objection', targetType: 'vote', targetId: id, summary: { objectionId: o.id } });
    return { id: o.id, stage: o.stage };
  });
}

export async function moveObjection(db: Db, auth: AuthContext, actor: Actor, voteId: number, objectionId: number, stage: (typeof OBJECTION_STAGES)[number], note: string) {
  return db.transaction().execute(async (tx) => {
    const v = await loadVote(tx, voteId);
    await requireManager(tx, auth, v.consultation_id);
    const o = await tx.selectFrom('vote_objections').selectAll().where('id', '=', objectionId).where('vote_id', '=', voteId).executeTakeFirst();
    if (!o) throw notFound();
    if (OBJECTION_STAGES.indexOf(stage) <= OBJECTION_STAGES.indexOf(o.stage)) throw fieldError('stage', 'stage_backwards');
    const history = [...json<object[]>(o.history), { stage, at: new Date().toISOString(), by: auth.displayName, note }];
    await tx.updateTable('vote_objections').set({ stage, history: JSON.stringify(history), updated_at: new Date() }).where('id', '=', objectionId).execute();
    await appendAudit(tx, actor, { action: 'vote.objection_stage', targetType: 'vote', targetId: voteId, summary: { objectionId, stage } });
    return { id: objectionId, stage, history };
  });
}

/** The objections raised during a vote's public notice, with their mediation history. */
export async function listObjections(db: Db, auth: AuthContext, id: number) {
  const v = await loadVote(db, id);
  const { worker } = await loadConsultationFor(db, auth, v.consultation_id);
  const rows = await db.selectFrom('vote_objections as o').leftJoin('accounts as a', 'a.id', 'o.raised_by')
    .select(['o.id', 'o.body', 'o.stage', 'o.history', 'o.created_at', 'o.updated_at', 'o.raised_by', 'a.display_name']).where('o.vote_id', '=', id).orderBy('o.id').execute();
  return { items: rows.map((o) => ({ id: o.id, body: o.body, stage: o.stage, history: json<object[]>(o.history), raisedBy: worker || o.raised_by === auth.accountId ? o.display_name : null, createdAt: o.created_at, updatedAt: o.updated_at })) };
}

/** A paper ballot's scan is for the consultation's readers in scope; registered as the consult module's file reader. */
export async function readBallotScan(db: Executor, auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const scan = await db.selectFrom('vote_participations as p').innerJoin('votes as v', 'v.id', 'p.vote_id').innerJoin('consultations as c', 'c.id', 'v.consultation_id')
    .select('c.scope_path').where('p.scan_file_id', '=', fileId).executeTakeFirst();
  if (!scan) return undefined;
  return can(auth.permissions, 'consult:read') && isInScope(auth, scan.scope_path);
}

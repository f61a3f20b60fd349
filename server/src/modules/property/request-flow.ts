import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Executor } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { prepareImages, saveImage } from '../../core/files.js';
import { notify } from '../../core/notify.js';
import { isInScope } from '../../core/scope.js';
import { announceRequest } from './request-events.js';
import { REOPEN_DAYS, requestRelation, requireRequestAbility, URGE_MINUTES, type RequestAbilities } from './requests-policy.js';
import type { RequestOutcome, RequestStatus } from './requests-tables.js';
import { accessRow, loadRequest, recordRequestEvent, type RequestDeps, type RequestRow } from './service-requests.js';

/** The steps of a service request after intake: accept, assign or grab, start, done, rate, close, reopen, urge. Each decided by a conditional update. */

const stateConflict = (status: string) => new AppError(409, 'request_state', 'request_state', { status });

/** Loads the request in the transaction and checks the caller's ability; 404 when it does not exist. */
async function step(tx: Executor, auth: AuthContext, id: number, action: keyof RequestAbilities) {
  const r = await loadRequest(tx, id);
  if (!r) throw notFound();
  requireRequestAbility(auth, accessRow(r), action);
  return r;
}

/** Moves the request from one status to another only if it is still in that status (the race is the database's). */
async function transition(tx: Executor, r: RequestRow, from: RequestStatus | RequestStatus[], set: Record<string, unknown>) {
  const list = Array.isArray(from) ? from : [from];
  const row = await tx.updateTable('service_requests').set({ ...set, updated_at: new Date() } as any).where('id', '=', r.id).where('status', 'in', list)
    .returning(['id', 'status']).executeTakeFirst();
  if (!row) throw stateConflict(r.status);
  return row;
}

const tell = async (tx: Executor, accountId: number | null, r: RequestRow, kind: string, title: string, body: string) => {
  if (accountId) await notify(tx, { accountId, kind, title, body: `${body}（报事编号 ${r.id}）` });
};

export async function acceptRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number) {
  return d.db.transaction().execute(async (tx) => {
    const r = await step(tx, auth, id, 'accept');
    const row = await transition(tx, r, 'submitted', { status: 'accepted', accepted_at: new Date() });
    await recordRequestEvent(tx, id, 'accepted', auth.accountId);
    await announceRequest(d.bus, tx, id, 'accepted');
    await tell(tx, r.requester_account_id, r, 'request_accepted', '报事已受理', `您的「${r.service_name}」已受理`);
    await appendAudit(tx, actor, { action: 'service_request.accept', targetType: 'service_request', targetId: id });
    return row;
  });
}

/** A dispatcher assigns a member of the handling team (`assigneeId`); without one, a team member grabs the request for themself. */
export async function assignRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number, assigneeId?: number) {
  return d.db.transaction().execute(async (tx) => {
    const grab = assigneeId == null;
    const pre = await loadRequest(tx, id);
    if (!pre) throw notFound();
    const rel = requestRelation(auth, accessRow(pre));
    if (grab && !rel.teamMember && rel.dispatcher) throw fieldError('assigneeId', 'required');
    const r = await step(tx, auth, id, grab ? 'grab' : 'assign');
    const who = grab ? auth.accountId : assigneeId;
    if (!grab) await requireTeamMember(tx, r, who);
    const row = grab
      ? await tx.updateTable('service_requests').set({ status: 'assigned', assignee_id: who, assigned_at: new Date(), updated_at: new Date() })
        .where('id', '=', id).where('status', '=', 'accepted').where('assignee_id', 'is', null).returning(['id', 'status']).executeTakeFirst()
      : await transition(tx, r, ['accepted', 'assigned'], { status: 'assigned', assignee_id: who, assigned_at: new Date() });
    if (!row) throw new AppError(409, 'request_taken', 'request_taken');
    await recordRequestEvent(tx, id, grab ? 'grabbed' : 'assigned', auth.accountId, null, { assigneeId: who });
    await announceRequest(d.bus, tx, id, grab ? 'grabbed' : 'assigned');
    if (who !== auth.accountId) await tell(tx, who, r, 'request_assigned', '新的派单', `请处理「${r.service_name}」：${r.description.slice(0, 40)}`);
    await appendAudit(tx, actor, { action: grab ? 'service_request.grab' : 'service_request.assign', targetType: 'service_request', targetId: id, summary: { assigneeId: who } });
    return { ...row, assigneeId: who };
  });
}

/** The assignee must be an active account of the request's handling team whose scope covers the request. */
async function requireTeamMember(tx: Executor, r: RequestRow, accountId: number) {
  if (!(await teamMembers(tx, r, accountId)).length) throw fieldError('assigneeId', 'not_team_member');
}

/**
 * Active accounts of the request's handling team whose scope covers it, decided by the same
 * requestRelation as every other step (the SQL only narrows to accounts whose scope lies above the request).
 */
async function teamMembers(db: Executor, r: RequestRow, only?: number) {
  let q = db.selectFrom('accounts as a').innerJoin('regions as g', 'g.id', 'a.scope_region_id')
    .select(['a.id', 'a.display_name', 'a.organisation_id', 'g.path', sql<string[]>`array(select role_code from account_roles where account_id = a.id order by role_code)`.as('roles')])
    .where('a.active', '=', true).where(sql<boolean>`${r.region_path} like g.path || '%'`).orderBy('a.id');
  if (only != null) q = q.where('a.id', '=', only);
  const accounts = await q.execute();
  const codes = [...new Set(accounts.flatMap((a) => a.roles))];
  const grants = codes.length ? await db.selectFrom('roles').select(['code', 'permissions']).where('code', 'in', codes).execute() : [];
  return accounts.filter((a) => requestRelation({
    accountId: a.id, organisationId: a.organisation_id, personId: null, roles: a.roles,
    permissions: new Set(grants.filter((g) => a.roles.includes(g.code)).flatMap((g) => g.permissions)),
    scope: { regionId: 0, path: a.path }, username: '', displayName: '', sessionId: 0, via: 'bearer',
  }, accessRow(r)).teamMember).map((a) => ({ id: a.id, name: a.display_name, roles: a.roles }));
}

/** Whom the dispatcher may assign the request to now (the assign step's own check, so the list never offers a refused choice). */
export async function listAssignees(db: Executor, auth: AuthContext, id: number) {
  const r = await loadRequest(db, id);
  if (!r) throw notFound();
  requireRequestAbility(auth, accessRow(r), 'assign');
  return teamMembers(db, r);
}

export async function startRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number) {
  return d.db.transaction().execute(async (tx) => {
    const r = await step(tx, auth, id, 'start');
    const row = await transition(tx, r, 'assigned', { status: 'in_progress', started_at: new Date() });
    await recordRequestEvent(tx, id, 'started', auth.accountId);
    await announceRequest(d.bus, tx, id, 'started');
    await tell(tx, r.requester_account_id, r, 'request_started', '开始处理', `您的「${r.service_name}」正在处理`);
    await appendAudit(tx, actor, { action: 'service_request.start', targetType: 'service_request', targetId: id });
    return row;
  });
}

/** Done with a note and 0–9 photos (prepared before the transaction). */
export async function finishRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number, note: string, images: Buffer[]) {
  if (images.length > 9) throw fieldError('photos', 'too_many_photos', { max: 9 });
  const first = await loadRequest(d.db, id);
  if (!first) throw notFound();
  requireRequestAbility(auth, accessRow(first), 'done');
  const prepared = await prepareImages(images);
  return d.db.transaction().execute(async (tx) => {
    const r = await step(tx, auth, id, 'done');
    const now = new Date();
    const row = await transition(tx, r, 'in_progress', { status: 'done', done_at: now, first_done_at: r.first_done_at ?? now, done_note: note, next_escalation_at: null });
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('service_request_photos').values({ request_id: id, file_id: f.id, kind: 'done', sort: 100 * (r.reopen_count + 1) + i }).execute();
    }
    await recordRequestEvent(tx, id, 'done', auth.accountId, note, { photos: prepared.length });
    await announceRequest(d.bus, tx, id, 'done');
    await tell(tx, r.requester_account_id, r, 'request_done', '报事已处理完成', `您的「${r.service_name}」已处理完成，请评价`);
    await appendAudit(tx, actor, { action: 'service_request.done', targetType: 'service_request', targetId: id, summary: { photos: prepared.length } });
    return row;
  });
}

export interface RequestRating { serviceId: number; title: string; handlerAccountId: number | null; rating: number; comment: string | null }
const ratedListeners: ((tx: Executor, e: RequestRating) => Promise<void>)[] = [];
/** Called inside the rating's transaction (the party module keeps ratings of services its members handled). */
export const onRequestRated = (l: (tx: Executor, e: RequestRating) => Promise<void>) => { ratedListeners.push(l); };

export async function rateRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number, rating: number, text: string | undefined) {
  return d.db.transaction().execute(async (tx) => {
    const r = await step(tx, auth, id, 'rate');
    const row = await transition(tx, r, 'done', { status: 'rated', rating, rating_text: text ?? null, rated_at: new Date() });
    await recordRequestEvent(tx, id, 'rated', auth.accountId, text ?? null, { rating });
    for (const l of ratedListeners) await l(tx, { serviceId: id, title: r.service_name, handlerAccountId: r.assignee_id, rating, comment: text ?? null });
    await announceRequest(d.bus, tx, id, 'rated');
    await tell(tx, r.assignee_id, r, 'request_rated', '收到评价', `「${r.service_name}」获评 ${rating} 星`);
    await appendAudit(tx, actor, { action: 'service_request.rate', targetType: 'service_request', targetId: id, summary: { rating } });
    return row;
  });
}

export interface CloseBody { outcome: RequestOutcome; duplicateOf?: number; referredTo?: string; note?: string }

/** Closed with an outcome: fixed (after done), not our responsibility, duplicate of #N (in scope, not itself), referred to another department. */
export async function closeRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number, b: CloseBody) {
  return d.db.transaction().execute(async (tx) => {
    const r = await step(tx, auth, id, 'close');
    if (b.outcome === 'fixed' && r.status !== 'done' && r.status !== 'rated') throw fieldError('outcome', 'fixed_needs_done');
    if (b.outcome === 'duplicate') {
      if (b.duplicateOf == null) throw fieldError('duplicateOf', 'required');
      const dup = await tx.selectFrom('service_requests').select(['id', 'region_path']).where('id', '=', b.duplicateOf).executeTakeFirst();
      if (!dup || dup.id === id || !isInScope(auth, dup.region_path)) throw fieldError('duplicateOf', 'no_such_request');
    } else if (b.duplicateOf != null) throw fieldError('duplicateOf', 'unknown_field');
    if (b.outcome === 'referred' && !b.referredTo) throw fieldError('referredTo', 'required');
    const row = await transition(tx, r, ['submitted', 'accepted', 'assigned', 'in_progress', 'done', 'rated'], {
      status: 'closed', outcome: b.outcome, duplicate_of: b.outcome === 'duplicate' ? b.duplicateOf : null, referred_to: b.outcome === 'referred' ? b.referredTo : null,
      close_note: b.note ?? null, closed_at: new Date(), next_escalation_at: null,
    });
    await recordRequestEvent(tx, id, 'closed', auth.accountId, b.note ?? null, { outcome: b.outcome, duplicateOf: b.duplicateOf ?? null, referredTo: b.referredTo ?? null });
    await announceRequest(d.bus, tx, id, 'closed');
    await tell(tx, r.requester_account_id, r, 'request_closed', '报事已办结', `您的「${r.service_name}」已办结`);
    await appendAudit(tx, actor, { action: 'service_request.close', targetType: 'service_request', targetId: id, summary: { outcome: b.outcome } });
    return row;
  });
}

/** The requester reopens within 7 days of done (measured by the database clock); the SLA clock restarts. */
export async function reopenRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number, reason: string) {
  return d.db.transaction().execute(async (tx) => {
    const r = await step(tx, auth, id, 'reopen');
    if (r.status === 'closed' && r.outcome !== 'fixed') throw stateConflict(r.status);
    const now = new Date();
    const due = new Date(now.getTime() + r.sla_hours * 3600_000);
    const row = await tx.updateTable('service_requests').set({
      status: r.assignee_id ? 'assigned' : 'accepted', done_at: null, rating: null, rating_text: null, rated_at: null, outcome: null, closed_at: null, close_note: null,
      sla_started_at: now, due_at: due, escalation_level: 0, next_escalation_at: due, reopen_count: sql`reopen_count + 1`, updated_at: now,
    }).where('id', '=', id).where('status', 'in', ['done', 'rated', 'closed'])
      .where(sql<boolean>`done_at is not null and done_at > now() - make_interval(days => ${REOPEN_DAYS})`)
      .returning(['id', 'status']).executeTakeFirst();
    if (!row) throw new AppError(409, 'reopen_window', 'reopen_window', { days: REOPEN_DAYS });
    await recordRequestEvent(tx, id, 'reopened', auth.accountId, reason);
    await announceRequest(d.bus, tx, id, 'reopened');
    await tell(tx, r.assignee_id, r, 'request_reopened', '报事被重新打开', `「${r.service_name}」被居民重新打开：${reason.slice(0, 40)}`);
    await appendAudit(tx, actor, { action: 'service_request.reopen', targetType: 'service_request', targetId: id, summary: { reason } });
    return row;
  });
}

/** Urge (催办): at most once per 30 minutes, decided by one conditional update on the database clock. */
export async function urgeRequest(d: RequestDeps, auth: AuthContext, actor: Actor, id: number) {
  return d.db.transaction().execute(async (tx) => {
    const r = await step(tx, auth, id, 'urge');
    const row = await tx.updateTable('service_requests').set({ last_urged_at: sql`now()`, urge_count: sql`urge_count + 1`, updated_at: new Date() })
      .where('id', '=', id).where('status', 'in', ['submitted', 'accepted', 'assigned', 'in_progress'])
      .where((eb) => eb.or([eb('last_urged_at', 'is', null), eb('last_urged_at', '<=', sql<Date>`now() - make_interval(mins => ${URGE_MINUTES})`)]))
      .returning(['id', 'status', 'urge_count']).executeTakeFirst();
    if (!row) throw new AppError(429, 'urge_too_soon', 'urge_too_soon', { minutes: URGE_MINUTES });
    await recordRequestEvent(tx, id, 'urged', auth.accountId);
    await announceRequest(d.bus, tx, id, 'urged');
    if (r.assignee_id) await tell(tx, r.assignee_id, r, 'request_urged', '居民催办', `「${r.service_name}」被催办，请尽快处理`);
    await appendAudit(tx, actor, { action: 'service_request.urge', targetType: 'service_request', targetId: id });
    return { id: row.id, status: row.status, urgeCount: row.urge_count };
  });
}

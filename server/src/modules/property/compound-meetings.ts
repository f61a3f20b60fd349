import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { notify } from '../../core/notify.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { accountForCompound, postsOf } from './compound-parties.js';
import { onLineSql, ownsFollowUp, requireCompound } from './compound-policy.js';
import { FOLLOW_UP_STATUS_NAMES, PARTY_KIND_NAMES, type FollowUpStatus, type PartyKind } from './compound-tables.js';
import { shanghaiDate } from './positions.js';

/**
 * Joint meetings of a compound's four parties (四方联席会议): who attended, the topics, the decisions,
 * and follow-ups with an owner and a due date. A follow-up lands on its owner's work list
 * (GET /api/me/follow-ups) and in their messages; only the owner marks it done.
 */

export interface FollowUpInput { task: string; dueOn: string; ownerAccountId?: number; ownerPostId?: number }
export interface MeetingInput {
  heldOn: string; title: string; place?: string; topics: string[]; decisions?: string[]; attendeePostIds: number[]; guests?: string[]; followUps?: FollowUpInput[];
}

export async function createMeeting(db: Db, auth: AuthContext, actor: Actor, regionId: number, b: MeetingInput) {
  return db.transaction().execute(async (tx) => {
    const { compound } = await requireCompound(tx, auth, regionId, 'meet');
    if (b.heldOn > shanghaiDate(new Date())) throw fieldError('heldOn', 'date_in_future');
    const attendees = [...new Set(b.attendeePostIds)];
    const found = await postsOf(tx, compound.id, attendees);
    if (found.length !== attendees.length) throw fieldError('attendeePostIds', 'no_such_compound_post');
    // Each follow-up resolves to an account: given directly, or the account of a live post here.
    const followUps = b.followUps ?? [];
    const owners: { accountId: number; postId: number | null }[] = [];
    const ownerPosts = await postsOf(tx, compound.id, followUps.flatMap((f) => (f.ownerPostId != null ? [f.ownerPostId] : [])));
    for (const [i, f] of followUps.entries()) {
      if (f.dueOn < b.heldOn) throw fieldError(`followUps.${i}.dueOn`, 'due_before_meeting');
      if (f.ownerPostId != null) {
        const post = ownerPosts.find((p) => p.id === f.ownerPostId && p.ended_on == null);
        if (!post) throw fieldError(`followUps.${i}.ownerPostId`, 'no_such_compound_post');
        if (post.account_id == null) throw fieldError(`followUps.${i}.ownerPostId`, 'post_without_account');
        await accountForCompound(tx, compound, post.account_id, `followUps.${i}.ownerPostId`);
        owners.push({ accountId: post.account_id, postId: post.id });
      } else {
        await accountForCompound(tx, compound, f.ownerAccountId!, `followUps.${i}.ownerAccountId`);
        owners.push({ accountId: f.ownerAccountId!, postId: null });
      }
    }
    const m = await tx.insertInto('compound_meetings').values({
      compound_id: compound.id, compound_path: compound.path, held_on: b.heldOn, title: b.title, place: b.place ?? null,
      topics: b.topics, decisions: b.decisions ?? [], guests: b.guests ?? [], recorded_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    if (attendees.length) await tx.insertInto('compound_meeting_attendees').values(attendees.map((post_id) => ({ meeting_id: m.id, post_id }))).execute();
    if (followUps.length) {
      await tx.insertInto('compound_follow_ups').values(followUps.map((f, i) => ({
        meeting_id: m.id, compound_id: compound.id, compound_path: compound.path, task: f.task, owner_account_id: owners[i].accountId,
        owner_post_id: owners[i].postId, due_on: f.dueOn, sort: i,
      }))).execute();
    }
    for (const [i, f] of followUps.entries()) {
      await notify(tx, { accountId: owners[i].accountId, kind: 'compound_follow_up', title: '四方联席会议交办事项', body: `${compound.name}「${b.title}」交办：${f.task}，请于 ${f.dueOn} 前完成。` });
    }
    await appendAudit(tx, actor, {
      action: 'compound_meeting.create', targetType: 'compound_meeting', targetId: m.id,
      summary: { compoundId: compound.id, heldOn: b.heldOn, title: b.title, attendees: attendees.length, followUps: followUps.length },
    });
    return { id: m.id };
  });
}

function followUpQuery(db: Executor) {
  return db.selectFrom('compound_follow_ups as f').innerJoin('accounts as a', 'a.id', 'f.owner_account_id').leftJoin('compound_posts as s', 's.id', 'f.owner_post_id')
    .select(['f.id', 'f.meeting_id', 'f.compound_id', 'f.compound_path', 'f.task', 'f.due_on', 'f.status', 'f.done_at', 'f.done_note', 'f.owner_account_id', 'f.owner_post_id',
      'a.display_name as owner_name', 's.title as post_title']);
}
type FollowUpRow = Awaited<ReturnType<ReturnType<typeof followUpQuery>['execute']>>[number];

function presentFollowUp(f: FollowUpRow, today: string) {
  return {
    id: f.id, task: f.task, dueOn: f.due_on, status: f.status, statusName: FOLLOW_UP_STATUS_NAMES[f.status as FollowUpStatus],
    overdue: f.status === 'open' && f.due_on < today,
    owner: { accountId: f.owner_account_id, name: f.owner_name, postId: f.owner_post_id, postTitle: f.post_title },
    doneAt: f.done_at, doneNote: f.done_note,
  };
}

/** A compound's meetings, newest first, with attendees and follow-ups (workers in scope). */
export async function listMeetings(db: Db, auth: AuthContext, regionId: number, page: PageQuery) {
  const { compound } = await requireCompound(db, auth, regionId, 'read');
  const res = await paginate(db.selectFrom('compound_meetings as m').leftJoin('accounts as a', 'a.id', 'm.recorded_by')
    .select(['m.id', 'm.held_on', 'm.title', 'm.place', 'm.topics', 'm.decisions', 'm.guests', 'm.created_at', 'a.display_name as recorded_by'])
    .where('m.compound_id', '=', compound.id).orderBy('m.held_on', 'desc').orderBy('m.id', 'desc'), page);
  const ids = res.items.map((m) => m.id);
  const [attendees, followUps] = ids.length ? await Promise.all([
    db.selectFrom('compound_meeting_attendees as x').innerJoin('compound_posts as s', 's.id', 'x.post_id').innerJoin('compound_parties as p', 'p.id', 's.party_id')
      .innerJoin('persons as pe', 'pe.id', 's.person_id')
      .select(['x.meeting_id', 's.id as post_id', 'pe.name', 's.title', 'p.name as party_name', 'p.kind']).where('x.meeting_id', 'in', ids).orderBy('p.kind').orderBy('s.id').execute(),
    followUpQuery(db).where('f.meeting_id', 'in', ids).orderBy('f.sort').orderBy('f.id').execute(),
  ]) : [[], []];
  const today = shanghaiDate(new Date());
  return {
    ...res,
    items: res.items.map((m) => ({
      id: m.id, heldOn: m.held_on, title: m.title, place: m.place, topics: m.topics, decisions: m.decisions, guests: m.guests, recordedBy: m.recorded_by, createdAt: m.created_at,
      attendees: attendees.filter((x) => x.meeting_id === m.id)
        .map((x) => ({ postId: x.post_id, name: x.name, title: x.title, partyName: x.party_name, kind: x.kind, kindName: PARTY_KIND_NAMES[x.kind as PartyKind] })),
      followUps: followUps.filter((f) => f.meeting_id === m.id).map((f) => presentFollowUp(f, today)),
    })),
  };
}

/** The caller's work list: follow-ups they own whose compound is on their line; open ones first, earliest due first. */
export async function myFollowUps(db: Db, auth: AuthContext, f: { status?: FollowUpStatus }, page: PageQuery) {
  let q = followUpQuery(db).innerJoin('compound_meetings as m', 'm.id', 'f.meeting_id').innerJoin('regions as c', 'c.id', 'f.compound_id')
    .select(['m.title as meeting_title', 'm.held_on', 'c.name as compound_name'])
    .where('f.owner_account_id', '=', auth.accountId).where(onLineSql(auth, 'f.compound_path'));
  if (f.status) q = q.where('f.status', '=', f.status);
  q = q.orderBy('f.status', 'desc').orderBy('f.due_on').orderBy('f.id');
  const res = await paginate(q, page);
  const today = shanghaiDate(new Date());
  return {
    ...res,
    items: res.items.map((x) => ({
      ...presentFollowUp(x, today), meetingId: x.meeting_id, meetingTitle: x.meeting_title, heldOn: x.held_on, compoundId: x.compound_id, compoundName: x.compound_name,
    })),
  };
}

/** The owner marks a follow-up done; the conditional update decides between concurrent clicks. */
export async function finishFollowUp(db: Db, auth: AuthContext, actor: Actor, id: number, note?: string) {
  return db.transaction().execute(async (tx) => {
    const f = await tx.selectFrom('compound_follow_ups').select(['id', 'owner_account_id', 'compound_path', 'status']).where('id', '=', id).executeTakeFirst();
    // Someone else's follow-up answers like a missing one.
    if (!f || !ownsFollowUp(auth, f)) throw notFound();
    const now = new Date();
    const done = await tx.updateTable('compound_follow_ups').set({ status: 'done', done_at: now, done_by: auth.accountId, done_note: note ?? null })
      .where('id', '=', id).where('status', '=', 'open').returning(['id', 'status']).executeTakeFirst();
    if (!done) throw new AppError(409, 'follow_up_state', 'follow_up_state');
    await appendAudit(tx, actor, { action: 'compound_follow_up.done', targetType: 'compound_follow_up', targetId: id, summary: { note: note ?? null } });
    return { id, status: done.status };
  });
}

import { sql, type Expression, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import { prepareImages, saveImage, type FileStore } from '../../core/files.js';
import type { SecretBox } from '../../core/secret-box.js';
import { isInScope, scopePrefix } from '../../core/scope.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { partyOrgInScope } from './access.js';
import { activityToken, CHECKIN_WINDOW_MIN } from './checkin-token.js';
import { ACTIVITY_KIND_NAMES, type ActivityKind } from './tables.js';

/**
 * Organisation life (三会一课, 主题党日): activities scheduled per party organisation, seen by the
 * organisation's side (party:read over the organisation's region) and by the members who attend —
 * the members of the organisation and of its sub-organisations, and those it invited.
 */

export const MAX_ACTIVITY_PHOTOS = 9;

function selectActivities(db: Executor) {
  return db.selectFrom('party_activities as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .innerJoin('regions as ar', 'ar.id', 'o.region_id')
    .select([
      'a.id', 'a.organisation_id', 'o.name as org_name', 'o.path as orgPath', 'ar.path as regionPath', 'a.kind', 'a.topic', 'a.place',
      'a.starts_at', 'a.ends_at', 'a.minutes', 'a.created_at',
      sql<number>`(select count(*)::int from party_attendance t where t.activity_id = a.id)`.as('attended'),
    ]);
}
type ActivityRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectActivities>['executeTakeFirst']>>>;

/** The caller's own member record (by the account's person), with the organisation path that decides which activities are theirs. */
export async function myMember(db: Executor, auth: AuthContext) {
  if (auth.personId == null) return undefined;
  return db.selectFrom('party_members as m').innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.id', 'm.name', 'm.organisation_id', 'o.name as org_name', 'o.path as orgPath']).where('m.person_id', '=', auth.personId).executeTakeFirst();
}

/** SQL: member `memberId` (of organisation path `orgPath`) attends activity a: its organisation's subtree, or invited. */
function attendsSql(memberId: number, orgPath: string): Expression<SqlBool> {
  return sql<SqlBool>`(${orgPath} like o.path || '%' or exists (select 1 from party_activity_invitees i where i.activity_id = a.id and i.member_id = ${memberId}))`;
}

/** The organisation's side: party:read over the activity organisation's region. */
const orgSide = (auth: AuthContext, a: { regionPath: string }) => can(auth.permissions, 'party:read') && isInScope(auth, a.regionPath);

/** Members who attend an activity: of the organisation's subtree, plus the invited (with their account, for reminders). */
export function attendeesOf(db: Executor, activityId: number) {
  return db.selectFrom('party_members as m')
    .innerJoin('organisations as mo', 'mo.id', 'm.organisation_id')
    .where((eb) => eb.or([
      eb.exists(eb.selectFrom('party_activities as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id')
        .select('a.id').where('a.id', '=', activityId).where(sql<SqlBool>`mo.path like o.path || '%'`)),
      eb.exists(eb.selectFrom('party_activity_invitees as i').select('i.member_id').where('i.activity_id', '=', activityId).whereRef('i.member_id', '=', 'm.id')),
    ]));
}

function presentActivity(a: ActivityRow, extra: { expected?: number } = {}) {
  return {
    id: a.id, organisation: { id: a.organisation_id, name: a.org_name }, kind: a.kind, kindName: ACTIVITY_KIND_NAMES[a.kind],
    topic: a.topic, place: a.place, startsAt: a.starts_at, endsAt: a.ends_at, hasMinutes: !!a.minutes, attended: Number(a.attended),
    ...(extra.expected != null && { expected: extra.expected }),
  };
}

export interface ActivityFilter { organisationId?: number; kind?: ActivityKind; from?: string; to?: string; mine?: boolean }

/**
 * Activities the caller sees: the organisation's side (party:read over the organisation's region) and
 * the members who attend. `mine` keeps only those the caller attends (the H5 list).
 */
export async function listActivities(db: Db, auth: AuthContext, filter: ActivityFilter, page: PageQuery) {
  const me = await myMember(db, auth);
  const prefix = can(auth.permissions, 'party:read') && !filter.mine ? scopePrefix(auth) : null;
  const sides: Expression<SqlBool>[] = [];
  if (prefix) sides.push(sql<SqlBool>`ar.path like ${`${prefix}%`}`);
  if (me) sides.push(attendsSql(me.id, me.orgPath));
  let q = selectActivities(db).where(sides.length ? sql<SqlBool>`(${sql.join(sides, sql` or `)})` : sql<SqlBool>`false`);
  if (filter.organisationId) {
    // The organisation's side filters within its scope (403 outside it, as the register does); a member within what they attend.
    const o = prefix ? await partyOrgInScope(db, auth, 'organisationId', filter.organisationId)
      : await db.selectFrom('organisations').select(['path']).where('id', '=', filter.organisationId).executeTakeFirst();
    if (!o) throw fieldError('organisationId', 'no_such_org');
    q = q.where('o.path', 'like', `${o.path}%`);
  }
  if (filter.kind) q = q.where('a.kind', '=', filter.kind);
  if (filter.from) q = q.where('a.starts_at', '>=', sql<Date>`(${filter.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
  if (filter.to) q = q.where('a.starts_at', '<', sql<Date>`((${filter.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`);
  const res = await paginate(q.orderBy('a.starts_at', 'desc').orderBy('a.id', 'desc'), page);
  const mine = me && res.items.length
    ? new Set((await db.selectFrom('party_attendance').select('activity_id').where('member_id', '=', me.id).where('activity_id', 'in', res.items.map((a) => a.id)).execute()).map((r) => r.activity_id))
    : new Set<number>();
  return { ...res, items: res.items.map((a) => ({ ...presentActivity(a), checkedIn: mine.has(a.id) })) };
}

export interface ActivityInput { organisationId: number; kind: ActivityKind; topic: string; place: string; startsAt: string; endsAt: string; invitedMemberIds?: number[] }

export async function createActivity(db: Db, auth: AuthContext, actor: Actor, input: ActivityInput) {
  if (Date.parse(input.endsAt) <= Date.parse(input.startsAt)) throw fieldError('endsAt', 'ends_before_start');
  if (Date.parse(input.endsAt) - Date.parse(input.startsAt) > 24 * 3600_000) throw fieldError('endsAt', 'activity_too_long');
  return db.transaction().execute(async (tx) => {
    const org = await partyOrgInScope(tx, auth, 'organisationId', input.organisationId);
    const invited = [...new Set(input.invitedMemberIds ?? [])];
    if (invited.length) {
      const found = await tx.selectFrom('party_members').select('id').where('id', 'in', invited).execute();
      if (found.length !== invited.length) throw fieldError('invitedMemberIds', 'no_such_member');
    }
    const row = await tx.insertInto('party_activities').values({
      organisation_id: org.id, kind: input.kind, topic: input.topic, place: input.place, starts_at: input.startsAt, ends_at: input.endsAt, created_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    if (invited.length) await tx.insertInto('party_activity_invitees').values(invited.map((m) => ({ activity_id: row.id, member_id: m }))).execute();
    await appendAudit(tx, actor, {
      action: 'party_activity.create', targetType: 'party_activity', targetId: row.id,
      summary: { organisationId: org.id, kind: input.kind, topic: input.topic, startsAt: input.startsAt, invited: invited.length },
    });
    return presentActivity((await selectActivities(tx).where('a.id', '=', row.id).executeTakeFirst())!, { expected: await expectedCount(tx, row.id) });
  });
}

async function expectedCount(db: Executor, id: number) {
  return Number((await attendeesOf(db, id).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n);
}

/** An activity the caller may see, with which side they are on; 404 / 403 otherwise. */
async function visibleActivity(db: Executor, auth: AuthContext, id: number) {
  const a = await selectActivities(db).where('a.id', '=', id).executeTakeFirst();
  if (!a) throw notFound();
  if (orgSide(auth, a)) return { a, side: 'org' as const, me: await myMember(db, auth) };
  const me = await myMember(db, auth);
  if (me && await attendeesOf(db, id).where('m.id', '=', me.id).select('m.id').executeTakeFirst()) return { a, side: 'member' as const, me };
  throw outOfScope();
}

/** The organisation's side changes an activity (minutes, photos): party:manage over its region. */
async function changeableActivity(db: Executor, auth: AuthContext, id: number) {
  const a = await selectActivities(db).where('a.id', '=', id).executeTakeFirst();
  if (!a) throw notFound();
  if (!can(auth.permissions, 'party:manage') || !isInScope(auth, a.regionPath)) throw outOfScope();
  return a;
}

const photoRef = (fileId: number) => ({ id: fileId, url: `/api/files/${fileId}`, thumbUrl: `/api/files/${fileId}?thumb=1` });

/**
 * One activity. The organisation's side gets the attendance list, the minutes and the sign-in QR (a
 * signed token that expires when the sign-in window closes); an attending member gets the activity
 * and whether they signed in.
 */
export async function getActivity(db: Db, secrets: SecretBox, auth: AuthContext, id: number, origin: string) {
  const { a, side, me } = await visibleActivity(db, auth, id);
  const photos = (await db.selectFrom('party_activity_photos').select('file_id').where('activity_id', '=', id).orderBy('sort').orderBy('file_id').execute()).map((p) => photoRef(p.file_id));
  const mine = me ? await db.selectFrom('party_attendance').select('checked_in_at').where('activity_id', '=', id).where('member_id', '=', me.id).executeTakeFirst() : undefined;
  const base = {
    ...presentActivity(a, { expected: await expectedCount(db, id) }), minutes: a.minutes, photos, checkinWindowMinutes: CHECKIN_WINDOW_MIN,
    myCheckin: mine ? { checkedInAt: mine.checked_in_at } : null,
  };
  if (side === 'member') return { ...base, attendance: null, checkin: null };
  const attendance = await attendeesOf(db, id)
    .leftJoin('party_attendance as t', (j) => j.onRef('t.member_id', '=', 'm.id').on('t.activity_id', '=', id))
    .select(['m.id', 'm.name', 'mo.name as org_name', 't.checked_in_at', 't.via']).orderBy(sql`t.checked_in_at is null`).orderBy('t.checked_in_at').orderBy('m.id').execute();
  const token = activityToken(secrets, id, new Date(new Date(a.ends_at).getTime() + CHECKIN_WINDOW_MIN * 60_000));
  return {
    ...base,
    attendance: attendance.map((m) => ({ memberId: m.id, name: m.name, organisation: m.org_name, checkedInAt: m.checked_in_at, via: m.via })),
    checkin: { token: token.token, expiresAt: token.expiresAt, url: `${origin}/party/checkin?token=${encodeURIComponent(token.token)}` },
  };
}

/** Minutes after the activity (the organisation's side). */
export async function recordMinutes(db: Db, auth: AuthContext, actor: Actor, id: number, minutes: string) {
  return db.transaction().execute(async (tx) => {
    await changeableActivity(tx, auth, id);
    await tx.updateTable('party_activities').set({ minutes, updated_at: new Date() }).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'party_activity.minutes', targetType: 'party_activity', targetId: id, summary: { length: minutes.length } });
    return { id, ok: true };
  });
}

/** Adds 1–9 photos (at most 9 per activity), re-encoded without EXIF outside the transaction. */
export async function addActivityPhotos(d: { db: Db; files: FileStore }, auth: AuthContext, actor: Actor, id: number, images: Buffer[]) {
  if (!images.length) throw fieldError('photos', 'required');
  await changeableActivity(d.db, auth, id);
  const prepared = await prepareImages(images);
  return d.db.transaction().execute(async (tx) => {
    await changeableActivity(tx, auth, id);
    await tx.selectFrom('party_activities').select('id').where('id', '=', id).forUpdate().execute(); // serialises uploads against the limit
    const { n } = await tx.selectFrom('party_activity_photos').select(sql<number>`count(*)::int`.as('n')).where('activity_id', '=', id).executeTakeFirstOrThrow();
    if (n + prepared.length > MAX_ACTIVITY_PHOTOS) throw fieldError('photos', 'too_many_photos', { max: MAX_ACTIVITY_PHOTOS });
    const ids: number[] = [];
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('party_activity_photos').values({ activity_id: id, file_id: f.id, sort: n + i }).execute();
      ids.push(f.id);
    }
    await appendAudit(tx, actor, { action: 'party_activity.photos', targetType: 'party_activity', targetId: id, summary: { count: ids.length } });
    return { photos: ids.map(photoRef) };
  });
}

/** Through /api/files/:id: an activity's photos for those who see the activity; undefined when the file is not one. */
export async function readActivityFile(db: Db, auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const link = await db.selectFrom('party_activity_photos').select('activity_id').where('file_id', '=', fileId).executeTakeFirst();
  if (!link) return undefined;
  try {
    await visibleActivity(db, auth, link.activity_id);
    return true;
  } catch {
    return false;
  }
}

import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, forbidden, notFound, outOfScope } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { prepareImages, saveImage, type FileStore } from '../../core/files.js';
import { maskPhone } from '../../core/identity.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope, isInScope } from '../../core/scope.js';
import { announceRequest } from './request-events.js';
import { OPEN_STATUSES, requestAbilities, requireRequestAbility, type RequestAccessRow } from './requests-policy.js';
import type { AttributeDef, RequestStatus, RequestTeam } from './requests-tables.js';
import './requests-tables.js';

/** Service requests: intake (H5, on a resident's behalf, Open311), the request page with its timeline, the dispatch list, statistics. */

/** `bus` announces each step on the live channel (request-events.ts); without it nothing is announced. */
export interface RequestDeps { db: Db; files: FileStore; bus?: EventBus | null }

export const STATUS_NAMES: Record<RequestStatus, string> = {
  submitted: '已提交', accepted: '已受理', assigned: '已派单', in_progress: '处理中', done: '已完成', rated: '已评价', closed: '已办结',
};
export const TEAM_NAMES: Record<RequestTeam, string> = { property: '物业公司', community: '社区', alliance: '联盟服务单位' };
export const OUTCOME_NAMES = { fixed: '已解决', not_ours: '非本单位职责', duplicate: '重复件', referred: '已转交其他部门' } as const;
export const EVENT_NAMES: Record<string, string> = {
  submitted: '提交', photos: '补充照片', accepted: '受理', assigned: '派单', grabbed: '抢单', started: '开始处理', done: '处理完成', rated: '评价',
  closed: '办结', reopened: '重新打开', urged: '催办', escalated_community: '超时升级至社区', escalated_street: '超时升级至街道',
};

/** What the policy needs, plus what the page shows, for one request. */
export async function loadRequest(db: Executor, id: number) {
  return db.selectFrom('service_requests as r').innerJoin('service_types as t', 't.id', 'r.service_type_id')
    .leftJoin('alliance_units as u', 'u.id', 't.alliance_unit_id')
    .selectAll('r').select(['t.code as service_code', 't.name as service_name', 't.group_name', 'u.organisation_id as unit_org_id', 'u.name as unit_name'])
    .where('r.id', '=', id).executeTakeFirst();
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof loadRequest>>>;
export const accessRow = (r: RequestRow): RequestAccessRow => r;

export const newToken = () => randomBytes(12).toString('base64url');

export interface Located { roomId: number | null; compoundId: number; communityId: number; streetId: number | null; path: string; lat: number | null; lng: number | null }

/** The room's or the point's compound, community and street; a point resolves to the nearest compound within 3 km. */
export async function locate(db: Executor, where: { roomId?: number; lat?: number; lng?: number }): Promise<Located> {
  let path: string, roomId: number | null = null;
  if (where.roomId != null) {
    const room = await db.selectFrom('regions').select(['id', 'path', 'level']).where('id', '=', where.roomId).executeTakeFirst();
    if (!room || room.level !== 'room') throw fieldError('roomId', 'no_such_room_id');
    path = room.path; roomId = room.id;
  } else if (where.lat != null && where.lng != null) {
    const near = await db.selectFrom('request_areas as a').innerJoin('regions as g', 'g.id', 'a.compound_id').select(['g.path', 'a.lat', 'a.lng'])
      .orderBy(sql`power(a.lat - ${where.lat}, 2) + power((a.lng - ${where.lng}) * 0.85, 2)`).limit(1).executeTakeFirst();
    // 0.027° of latitude is about 3 km.
    if (!near || Math.hypot(near.lat - where.lat, (near.lng - where.lng) * 0.85) > 0.027) throw fieldError('lat', 'outside_service_area');
    path = near.path;
  } else {
    throw fieldError('roomId', 'location_required');
  }
  const ids = path.split('/').filter(Boolean).map(Number);
  const chain = await db.selectFrom('regions').select(['id', 'level', 'path']).where('id', 'in', ids).execute();
  const at = (level: string) => chain.find((c) => c.level === level);
  const compound = at('compound'), community = at('community');
  if (!compound || !community) throw fieldError(roomId ? 'roomId' : 'lat', 'outside_service_area');
  return { roomId, compoundId: compound.id, communityId: community.id, streetId: at('street')?.id ?? null, path: roomId ? path : compound.path, lat: where.lat ?? null, lng: where.lng ?? null };
}

/** Where a point may be reported: the service areas (compound centres) inside the caller's scope; `locate` gives a point to the nearest centre. */
export async function listServiceAreas(db: Executor, auth: AuthContext) {
  const rows = await db.selectFrom('request_areas as a').innerJoin('regions as g', 'g.id', 'a.compound_id').select(['g.id', 'g.name', 'a.lat', 'a.lng'])
    .where(inScope(auth, 'g.path')).orderBy('g.path').execute();
  return rows.map((r) => ({ compoundId: r.id, name: r.name, lat: r.lat, lng: r.lng }));
}

/** Checks attributes against the category's definitions: known codes, required ones present, list values from the list. */
export function checkAttributes(defs: AttributeDef[], given: Record<string, unknown>, prefix = 'attributes') {
  const out: Record<string, string | number> = {};
  for (const k of Object.keys(given)) if (!defs.some((d) => d.code === k)) throw fieldError(`${prefix}.${k}`, 'unknown_field');
  for (const d of defs) {
    const v = given[d.code];
    if (v === undefined || v === null || v === '') { if (d.required) throw fieldError(`${prefix}.${d.code}`, 'required'); continue; }
    if (d.datatype === 'number') {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) throw fieldError(`${prefix}.${d.code}`, 'invalid_type', { expectedType: { 'zh-CN': '数字', en: 'a number' } });
      out[d.code] = n;
    } else {
      if (typeof v !== 'string' || v.length > 500) throw fieldError(`${prefix}.${d.code}`, 'invalid');
      if (d.datatype === 'singlevaluelist' && !d.values?.some((x) => x.key === v)) throw fieldError(`${prefix}.${d.code}`, 'invalid_value');
      if (d.datatype === 'datetime' && Number.isNaN(Date.parse(v))) throw fieldError(`${prefix}.${d.code}`, 'invalid_date');
      out[d.code] = v;
    }
  }
  return out;
}

export async function serviceTypeByCode(db: Executor, code: string, field = 'serviceCode') {
  const t = await db.selectFrom('service_types').selectAll().where('code', '=', code).where('active', '=', true).executeTakeFirst();
  if (!t) throw fieldError(field, 'no_such_service');
  return { ...t, attributes: (typeof t.attributes === 'string' ? JSON.parse(t.attributes) : t.attributes) as AttributeDef[] };
}

export async function recordRequestEvent(tx: Executor, requestId: number, kind: string, actorId: number | null, note: string | null = null, data: Record<string, unknown> = {}) {
  await tx.insertInto('service_request_events').values({ request_id: requestId, kind, actor_id: actorId, note, data: JSON.stringify(data) }).execute();
}

export interface NewRequest {
  serviceCode: string; description: string; roomId?: number; lat?: number; lng?: number; attributes?: Record<string, unknown>;
  preferredTime?: string; requesterPersonId?: number; contactName?: string; contactPhone?: string;
}

/** A resident's own request, or a worker's on a resident's behalf (phone call, visit): the location must be in the submitter's scope. */
export async function createRequest(d: RequestDeps, auth: AuthContext, actor: Actor, body: NewRequest) {
  const onBehalf = body.requesterPersonId != null || body.contactName != null || body.contactPhone != null;
  if (onBehalf && !can(auth.permissions, 'request:enter')) throw forbidden();
  return d.db.transaction().execute(async (tx) => {
    const type = await serviceTypeByCode(tx, body.serviceCode);
    const attributes = checkAttributes(type.attributes, body.attributes ?? {});
    const at = await locate(tx, body);
    if (!isInScope(auth, at.path)) throw outOfScope();
    let requesterAccount: number | null = auth.accountId, requesterPerson: number | null = auth.personId;
    if (onBehalf) {
      requesterAccount = null; requesterPerson = null;
      if (body.requesterPersonId != null) {
        const p = await tx.selectFrom('persons').select(['id', 'region_path']).where('id', '=', body.requesterPersonId).executeTakeFirst();
        // Elsewhere and unknown get the same answer.
        if (!p || !isInScope(auth, p.region_path)) throw fieldError('requesterPersonId', 'no_such_person');
        requesterPerson = p.id;
        requesterAccount = (await tx.selectFrom('accounts').select('id').where('person_id', '=', p.id).where('active', '=', true).orderBy('id').executeTakeFirst())?.id ?? null;
      }
    }
    const now = new Date();
    const due = new Date(now.getTime() + type.sla_hours * 3600_000);
    const row = await tx.insertInto('service_requests').values({
      token: newToken(), service_type_id: type.id, description: body.description, attributes: JSON.stringify(attributes),
      room_id: at.roomId, compound_id: at.compoundId, community_id: at.communityId, street_id: at.streetId, region_path: at.path, lat: at.lat, lng: at.lng,
      preferred_time: body.preferredTime ?? null, requester_account_id: requesterAccount, requester_person_id: requesterPerson,
      contact_name: body.contactName ?? null, contact_phone: body.contactPhone ?? null, submitted_by: auth.accountId, channel: onBehalf ? 'on_behalf' : 'self',
      team: type.team, sla_hours: type.sla_hours, sla_started_at: now, due_at: due, next_escalation_at: due, created_at: now, updated_at: now,
    }).returning(['id', 'status']).executeTakeFirstOrThrow();
    await recordRequestEvent(tx, row.id, 'submitted', auth.accountId, null, { channel: onBehalf ? 'on_behalf' : 'self' });
    await announceRequest(d.bus, tx, row.id, 'submitted');
    await appendAudit(tx, actor, { action: 'service_request.create', targetType: 'service_request', targetId: row.id, summary: { serviceCode: type.code, onBehalf, compoundId: at.compoundId } });
    return { id: row.id, status: row.status };
  });
}

/** Photos of the problem, added by the requester (or the worker who entered it) while the request is still "submitted"; at most 9 in all. */
export async function addRequestPhotos(d: RequestDeps, auth: AuthContext, actor: Actor, id: number, images: Buffer[]) {
  if (images.length < 1) throw fieldError('photos', 'required');
  const first = await loadRequest(d.db, id);
  if (!first) throw notFound();
  requireRequestAbility(auth, accessRow(first), 'addPhotos');
  const prepared = await prepareImages(images); // outside the transaction: CPU work holds no connection
  return d.db.transaction().execute(async (tx) => {
    const r = await loadRequest(tx, id);
    if (!r) throw notFound();
    requireRequestAbility(auth, accessRow(r), 'addPhotos');
    await sql`select id from service_requests where id = ${id} for update`.execute(tx);
    const { n } = await tx.selectFrom('service_request_photos').select(sql<number>`count(*)::int`.as('n')).where('request_id', '=', id).executeTakeFirstOrThrow();
    if (n + prepared.length > 9) throw fieldError('photos', 'too_many_photos', { max: 9 });
    const out: { id: number }[] = [];
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('service_request_photos').values({ request_id: id, file_id: f.id, kind: 'request', sort: n + i }).execute();
      out.push({ id: f.id });
    }
    await recordRequestEvent(tx, id, 'photos', auth.accountId, null, { count: prepared.length });
    await appendAudit(tx, actor, { action: 'service_request.photos', targetType: 'service_request', targetId: id, summary: { count: prepared.length } });
    return out;
  });
}

/** Which accounts are party members, with their organisation (亮身份 of the handler): registered by the party module. */
export type AssigneeBadgeLookup = (db: Executor, accountIds: number[]) => Promise<Map<number, { organisation: string }>>;
let assigneeBadges: AssigneeBadgeLookup = async () => new Map();
export const setAssigneeBadgeLookup = (l: AssigneeBadgeLookup) => { assigneeBadges = l; };

/** The request page: details, photos, the timeline (who and when at every step) and the caller's abilities. */
export async function getRequest(db: Db, auth: AuthContext, id: number) {
  const r = await loadRequest(db, id);
  if (!r) throw notFound();
  const abilities = requestAbilities(auth, accessRow(r));
  if (!abilities.read) requireRequestAbility(auth, accessRow(r), 'read');
  const [places, events, photos, people] = await Promise.all([
    db.selectFrom('regions').select(['id', 'name']).where('id', 'in', [r.compound_id, r.community_id, ...(r.room_id ? [r.room_id] : [])]).execute(),
    db.selectFrom('service_request_events as e').leftJoin('accounts as a', 'a.id', 'e.actor_id').select(['e.kind', 'e.at', 'e.note', 'a.display_name as actor'])
      .where('e.request_id', '=', id).orderBy('e.id').execute(),
    db.selectFrom('service_request_photos').select(['file_id as id', 'kind']).where('request_id', '=', id).orderBy('kind').orderBy('sort').execute(),
    db.selectFrom('accounts').select(['id', 'display_name', 'phone']).where('id', 'in', [r.assignee_id ?? 0, r.requester_account_id ?? 0]).execute(),
  ]);
  const name = (rid: number | null) => places.find((p) => p.id === rid)?.name ?? null;
  const person = r.requester_person_id ? await db.selectFrom('persons').select(['name', 'phone']).where('id', '=', r.requester_person_id).executeTakeFirst() : null;
  const account = people.find((p) => p.id === r.requester_account_id);
  const assignee = people.find((p) => p.id === r.assignee_id);
  const badge = assignee ? (await assigneeBadges(db, [assignee.id])).get(assignee.id) : undefined;
  const showContact = abilities.readContact || requestAbilitiesRelationRequester(auth, r);
  return {
    ...presentItem(r, name(r.compound_id)),
    attributes: parseJson(r.attributes),
    location: { compoundId: r.compound_id, compoundName: name(r.compound_id), communityName: name(r.community_id), roomId: r.room_id, roomName: name(r.room_id), lat: r.lat, lng: r.lng },
    preferredTime: r.preferred_time, channel: r.channel,
    requester: showContact ? { name: r.contact_name ?? person?.name ?? account?.display_name ?? null, phone: maskPhone(r.contact_phone ?? person?.phone ?? account?.phone ?? null) } : null,
    assignee: assignee ? { id: assignee.id, name: assignee.display_name, partyMember: !!badge, partyOrganisation: badge?.organisation ?? null } : null,
    doneNote: r.done_note, rating: r.rating, ratingText: r.rating_text, outcome: r.outcome, outcomeName: r.outcome ? OUTCOME_NAMES[r.outcome] : null,
    duplicateOf: r.duplicate_of, referredTo: r.referred_to, closeNote: r.close_note, urgeCount: r.urge_count, lastUrgedAt: r.last_urged_at, reopenCount: r.reopen_count,
    acceptedAt: r.accepted_at, assignedAt: r.assigned_at, startedAt: r.started_at, doneAt: r.done_at, ratedAt: r.rated_at, closedAt: r.closed_at,
    photos, timeline: events.map((e) => ({ kind: e.kind, kindName: EVENT_NAMES[e.kind] ?? e.kind, at: e.at, actor: e.actor ?? '系统', note: e.note })),
    abilities,
  };
}
const requestAbilitiesRelationRequester = (auth: AuthContext, r: RequestRow) =>
  isInScope(auth, r.region_path) && (r.requester_account_id === auth.accountId || (auth.personId != null && auth.personId === r.requester_person_id));
const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, string | number>;

export function presentItem(r: RequestRow | ListRow, compoundName: string | null) {
  const open = OPEN_STATUSES.includes(r.status);
  return {
    id: r.id, status: r.status, statusName: STATUS_NAMES[r.status], serviceCode: r.service_code, serviceName: r.service_name, group: r.group_name,
    team: r.team, teamName: r.team === 'alliance' && r.unit_name ? r.unit_name : TEAM_NAMES[r.team], description: r.description, compoundName,
    slaHours: r.sla_hours, dueAt: r.due_at, overdue: open && new Date(r.due_at).getTime() < Date.now(), escalationLevel: r.escalation_level,
    assigneeId: r.assignee_id, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function listQuery(db: Executor) {
  return db.selectFrom('service_requests as r').innerJoin('service_types as t', 't.id', 'r.service_type_id')
    .innerJoin('regions as c', 'c.id', 'r.compound_id').leftJoin('alliance_units as u', 'u.id', 't.alliance_unit_id')
    .select(['r.id', 'r.status', 'r.team', 'r.description', 'r.sla_hours', 'r.due_at', 'r.escalation_level', 'r.assignee_id', 'r.created_at', 'r.updated_at',
      't.code as service_code', 't.name as service_name', 't.group_name', 'u.name as unit_name', 'c.name as compound_name']);
}
type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number];

export interface DispatchFilter { view?: 'all' | 'unassigned' | 'mine' | 'overdue'; status?: RequestStatus; compoundId?: number; communityId?: number; serviceCode?: string; group?: string }

/** The dispatch list: requests in the caller's scope, overdue first, then newest; views unassigned / mine / overdue. */
export async function listRequests(db: Db, auth: AuthContext, f: DispatchFilter, page: PageQuery) {
  let q = listQuery(db).where(inScope(auth, 'r.region_path'));
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.compoundId) q = q.where('r.compound_id', '=', f.compoundId);
  if (f.communityId) q = q.where('r.community_id', '=', f.communityId);
  if (f.serviceCode) q = q.where('t.code', '=', f.serviceCode);
  if (f.group) q = q.where('t.group_name', '=', f.group);
  if (f.view === 'unassigned') q = q.where('r.assignee_id', 'is', null).where('r.status', 'in', ['submitted', 'accepted']);
  if (f.view === 'mine') q = q.where('r.assignee_id', '=', auth.accountId);
  if (f.view === 'overdue') q = q.where('r.status', 'in', OPEN_STATUSES).where('r.due_at', '<', new Date());
  q = q.orderBy(sql`case when r.status in ('submitted','accepted','assigned','in_progress') and r.due_at < now() then 0 else 1 end`).orderBy('r.due_at').orderBy('r.id', 'desc');
  const res = await paginate(q, page);
  return { ...res, items: res.items.map((r) => presentItem(r, r.compound_name)) };
}

/** The caller's own requests (as the requester), in scope. */
export async function myRequests(db: Db, auth: AuthContext, page: PageQuery) {
  let q = listQuery(db).where(inScope(auth, 'r.region_path'))
    .where((eb) => eb.or([eb('r.requester_account_id', '=', auth.accountId), ...(auth.personId ? [eb('r.requester_person_id', '=', auth.personId)] : [])]));
  q = q.orderBy('r.id', 'desc');
  const res = await paginate(q, page);
  return { ...res, items: res.items.map((r) => presentItem(r, r.compound_name)) };
}

export async function listServiceTypes(db: Executor) {
  const rows = await db.selectFrom('service_types as t').leftJoin('alliance_units as u', 'u.id', 't.alliance_unit_id')
    .select(['t.code', 't.name', 't.group_name', 't.description', 't.sla_hours', 't.team', 't.attributes', 'u.name as unit_name'])
    .where('t.active', '=', true).orderBy('t.sort').orderBy('t.id').execute();
  return rows.map((t) => ({
    code: t.code, name: t.name, group: t.group_name, description: t.description, slaHours: t.sla_hours, team: t.team,
    teamName: t.team === 'alliance' && t.unit_name ? t.unit_name : TEAM_NAMES[t.team], attributes: (typeof t.attributes === 'string' ? JSON.parse(t.attributes) : t.attributes) as AttributeDef[],
  }));
}

export type StatsBy = 'compound' | 'team' | 'category';

/** Volume, median hours to done, SLA met % and mean rating per compound, team or category, inside the caller's scope. */
export async function requestStats(db: Db, auth: AuthContext, by: StatsBy, range: { from?: string; to?: string }) {
  const key = by === 'compound' ? sql`c.name` : by === 'team' ? sql`coalesce(u.name, r.team)` : sql`t.name`;
  const from = range.from ? sql`r.created_at >= ${range.from}::date` : sql`true`;
  const to = range.to ? sql`r.created_at < ${range.to}::date + 1` : sql`true`;
  const rows = (await sql<{ key: string; volume: number; open: number; done: number; median_hours: number | null; sla_met: number; rated: number; rating: number | null }>`
    select ${key} as key, count(*)::int as volume,
      count(*) filter (where r.status in ('submitted','accepted','assigned','in_progress'))::int as open,
      count(r.first_done_at)::int as done,
      percentile_cont(0.5) within group (order by extract(epoch from (r.first_done_at - r.created_at)) / 3600.0) filter (where r.first_done_at is not null) as median_hours,
      count(*) filter (where r.first_done_at is not null and r.first_done_at <= r.created_at + make_interval(hours => r.sla_hours))::int as sla_met,
      count(r.rating)::int as rated, avg(r.rating)::float8 as rating
    from service_requests r join service_types t on t.id = r.service_type_id join regions c on c.id = r.compound_id left join alliance_units u on u.id = t.alliance_unit_id
    where ${inScope(auth, 'r.region_path')} and ${from} and ${to}
    group by 1 order by 2 desc, 1`.execute(db)).rows;
  return {
    by,
    items: rows.map((x) => ({
      key: by === 'team' && x.key in TEAM_NAMES ? TEAM_NAMES[x.key as RequestTeam] : x.key, volume: x.volume, open: x.open, done: x.done,
      medianHoursToDone: x.median_hours == null ? null : Math.round(Number(x.median_hours) * 10) / 10,
      slaMetPercent: x.done ? Math.round((x.sla_met / x.done) * 1000) / 10 : null,
      rated: x.rated, averageRating: x.rating == null ? null : Math.round(Number(x.rating) * 100) / 100,
    })),
  };
}

/** Photos of a request follow the request: whoever may read it may see them; undefined when the file is not a request's. */
export async function readRequestFile(db: Db, auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const link = await db.selectFrom('service_request_photos').select('request_id').where('file_id', '=', fileId).executeTakeFirst();
  if (!link) return undefined;
  const r = await loadRequest(db, link.request_id);
  return !!r && requestAbilities(auth, accessRow(r)).read;
}

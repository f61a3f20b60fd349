import { sql, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { notify } from '../../core/notify.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { scopePrefix } from '../../core/scope.js';
import { canManageStation } from './stations-policy.js';
import { STATION_SERVICE_STATUS_NAMES, STATION_SERVICES, type StationService, type StationServiceStatus } from './stations-tables.js';

/**
 * Services a convenience station gives a resident (快递代办, 家政预约, …): the resident asks at an open
 * station that offers the service; a party member on duty (any member: stations are the alliance's, members
 * serve district-wide as with 请缨) or the station's managing side takes it; the taker marks it done; the
 * resident it was for rates it once. Each step is a conditional update on the status, so a race or a retry
 * cannot pass a step twice. Being done — not being taken — is the event the party module credits.
 */

export interface StationServiceEvent { serviceId: number; title: string; handlerAccountId: number }
export interface StationServiceRating extends StationServiceEvent { rating: number; comment: string | null }
type Listener<T> = (tx: Executor, e: T) => Promise<void>;
/** Which accounts are party members (亮身份), with their organisation: registered by the party module. */
export type HandlerBadgeLookup = (db: Executor, accountIds: number[]) => Promise<Map<number, { organisation: string }>>;

const doneListeners: Listener<StationServiceEvent>[] = [];
const ratedListeners: Listener<StationServiceRating>[] = [];
let badges: HandlerBadgeLookup = async () => new Map();
/** Called inside the transaction that marks a service done (points for a member who gave it). */
export const onStationServiceDone = (l: Listener<StationServiceEvent>) => { doneListeners.push(l); };
/** Called inside the transaction that records the resident's rating. */
export const onStationServiceRated = (l: Listener<StationServiceRating>) => { ratedListeners.push(l); };
export const setHandlerBadgeLookup = (l: HandlerBadgeLookup) => { badges = l; };

const serviceName = (code: string) => STATION_SERVICES[code as StationService] ?? code;
const titleOf = (s: { station_name: string; service: string }) => `${s.station_name}·${serviceName(s.service)}`;

function selectServices(db: Executor) {
  return db.selectFrom('station_services as v').innerJoin('stations as s', 's.id', 'v.station_id').innerJoin('regions as r', 'r.id', 's.region_id')
    .innerJoin('accounts as b', 'b.id', 'v.beneficiary_account_id').leftJoin('accounts as h', 'h.id', 'v.handler_account_id')
    .select(['v.id', 'v.station_id', 's.name as station_name', 's.status as station_status', 'r.path', 'v.service', 'v.note', 'v.status', 'v.beneficiary_account_id',
      'b.display_name as beneficiary_name', 'v.handler_account_id', 'h.display_name as handler_name', 'v.taken_at', 'v.done_at', 'v.done_note',
      'v.rating', 'v.rating_text', 'v.rated_at', 'v.created_at']);
}
type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof selectServices>['executeTakeFirst']>>>;

/** Whether the caller is a party member (the badge lookup answers for members only). */
async function isMember(db: Executor, accountId: number) {
  return (await badges(db, [accountId])).has(accountId);
}

/** The caller's relation to a service: the resident it is for, its handler, the station's managing side. */
function relation(auth: AuthContext, v: Row) {
  return { beneficiary: v.beneficiary_account_id === auth.accountId, handler: v.handler_account_id === auth.accountId, manager: canManageStation(auth, v.path) };
}

async function present(db: Executor, auth: AuthContext, rows: Row[], member?: boolean) {
  const handlers = [...new Set(rows.map((v) => v.handler_account_id).filter((x): x is number => x != null))];
  const badge = await badges(db, handlers);
  const me = member ?? await isMember(db, auth.accountId);
  return rows.map((v) => {
    const rel = relation(auth, v);
    const b = v.handler_account_id != null ? badge.get(v.handler_account_id) : undefined;
    return {
      id: v.id, station: { id: v.station_id, name: v.station_name }, service: v.service, serviceName: serviceName(v.service), note: v.note,
      status: v.status, statusName: STATION_SERVICE_STATUS_NAMES[v.status as StationServiceStatus],
      // The resident is shown as surname + 某 to everyone but themself.
      beneficiary: rel.beneficiary ? v.beneficiary_name : `${v.beneficiary_name.slice(0, 1)}某`,
      handler: v.handler_account_id != null ? { name: v.handler_name!, partyMember: !!b, organisation: b?.organisation ?? null } : null,
      takenAt: v.taken_at, doneAt: v.done_at, doneNote: v.done_note,
      rating: v.rating != null ? { score: v.rating, comment: v.rating_text, ratedAt: v.rated_at! } : null,
      mine: rel.beneficiary, handling: rel.handler,
      can: {
        take: v.status === 'requested' && v.station_status === 'open' && !rel.beneficiary && (me || rel.manager),
        done: v.status === 'taken' && rel.handler, rate: v.status === 'done' && rel.beneficiary && v.rating == null,
      },
    };
  });
}

async function load(db: Executor, id: number) {
  const v = await selectServices(db).where('v.id', '=', id).executeTakeFirst();
  if (!v) throw notFound();
  return v;
}

async function answer(db: Executor, auth: AuthContext, id: number) {
  return (await present(db, auth, [await load(db, id)]))[0];
}

/** A resident asks an open station for one of the services it lists. */
export async function requestService(db: Db, auth: AuthContext, actor: Actor, stationId: number, input: { service: StationService; note?: string | null }) {
  return db.transaction().execute(async (tx) => {
    const s = await tx.selectFrom('stations').select(['id', 'name', 'services', 'status']).where('id', '=', stationId).executeTakeFirst();
    if (!s || s.status !== 'open') throw notFound();
    if (!s.services.includes(input.service)) throw fieldError('service', 'not_offered');
    const row = await tx.insertInto('station_services').values({ station_id: stationId, service: input.service, note: input.note || null, beneficiary_account_id: auth.accountId })
      .returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'station_service.request', targetType: 'station_service', targetId: row.id, summary: { stationId, service: input.service } });
    return answer(tx, auth, row.id);
  });
}

export interface ServiceFilter { status?: StationServiceStatus; view?: 'mine' | 'handling' | 'open' | 'managed'; stationId?: number }

/**
 * The services the caller may see: those for them (mine), those they handle (handling), requests waiting at open
 * stations for a party member or the managing side (open), and every one of the stations in scope for station:manage (managed).
 */
export async function listServices(db: Db, auth: AuthContext, f: ServiceFilter, page: PageQuery) {
  const member = await isMember(db, auth.accountId);
  const prefix = can(auth.permissions, 'station:manage') ? scopePrefix(auth) : null;
  const views: Record<NonNullable<ServiceFilter['view']>, ReturnType<typeof sql<SqlBool>> | null> = {
    mine: sql<SqlBool>`v.beneficiary_account_id = ${auth.accountId}`,
    handling: sql<SqlBool>`v.handler_account_id = ${auth.accountId}`,
    open: member || prefix
      ? sql<SqlBool>`(v.status = 'requested' and s.status = 'open' and v.beneficiary_account_id <> ${auth.accountId}${member ? sql`` : sql` and r.path like ${`${prefix}%`}`})`
      : null,
    managed: prefix ? sql<SqlBool>`r.path like ${`${prefix}%`}` : null,
  };
  const chosen = f.view ? [views[f.view]] : Object.values(views);
  const sides = chosen.filter((x): x is NonNullable<typeof x> => x != null);
  let q = selectServices(db).where(sides.length ? sql<SqlBool>`(${sql.join(sides, sql` or `)})` : sql<SqlBool>`false`);
  if (f.status) q = q.where('v.status', '=', f.status);
  if (f.stationId) q = q.where('v.station_id', '=', f.stationId);
  const res = await paginate(q.orderBy('v.id', 'desc'), page);
  return { ...res, items: await present(db, auth, res.items, member) };
}

export async function getService(db: Db, auth: AuthContext, id: number) {
  const v = await load(db, id);
  const rel = relation(auth, v);
  if (!(rel.beneficiary || rel.handler || rel.manager || (v.status === 'requested' && await isMember(db, auth.accountId)))) throw outOfScope();
  return (await present(db, auth, [v]))[0];
}

/** A party member or the station's managing side takes a waiting request (once: the first taker wins). */
export async function takeService(db: Db, auth: AuthContext, actor: Actor, id: number) {
  return db.transaction().execute(async (tx) => {
    const v = await load(tx, id);
    const rel = relation(auth, v);
    if (!(rel.manager || await isMember(tx, auth.accountId))) throw outOfScope();
    if (rel.beneficiary) throw new AppError(409, 'own_request');
    if (rel.handler && v.status !== 'requested') return answer(tx, auth, id); // a retried take
    if (v.station_status !== 'open') throw new AppError(409, 'station_closed');
    const row = await tx.updateTable('station_services').set({ status: 'taken', handler_account_id: auth.accountId, taken_at: new Date() })
      .where('id', '=', id).where('status', '=', 'requested').returning('id').executeTakeFirst();
    if (!row) { // someone took it meanwhile: a concurrent retry of our own answers the same
      if ((await load(tx, id)).handler_account_id === auth.accountId) return answer(tx, auth, id);
      throw new AppError(409, 'service_taken');
    }
    await notify(tx, { accountId: v.beneficiary_account_id, kind: 'station_service_taken', title: '站点服务已接单', body: `您在「${v.station_name}」的「${serviceName(v.service)}」已有人接单` });
    await appendAudit(tx, actor, { action: 'station_service.take', targetType: 'station_service', targetId: id });
    return answer(tx, auth, id);
  });
}

/**
 * The handler marks the service done: the event that counts (a member's points are credited by the listeners in
 * this transaction). Marking it done again answers the same without a second event.
 */
export async function finishService(db: Db, auth: AuthContext, actor: Actor, id: number, note: string | null) {
  return db.transaction().execute(async (tx) => {
    const v = await load(tx, id);
    if (v.handler_account_id !== auth.accountId) throw outOfScope(); // only whoever took it
    if (v.status === 'done') return answer(tx, auth, id);
    const row = await tx.updateTable('station_services').set({ status: 'done', done_at: new Date(), done_note: note })
      .where('id', '=', id).where('status', '=', 'taken').where('handler_account_id', '=', auth.accountId).returning('id').executeTakeFirst();
    if (!row) return answer(tx, auth, id); // a concurrent duplicate finished it first
    for (const l of doneListeners) await l(tx, { serviceId: id, title: titleOf(v), handlerAccountId: auth.accountId });
    await notify(tx, { accountId: v.beneficiary_account_id, kind: 'station_service_done', title: '站点服务已完成', body: `「${titleOf(v)}」已完成，欢迎评价` });
    await appendAudit(tx, actor, { action: 'station_service.done', targetType: 'station_service', targetId: id });
    return answer(tx, auth, id);
  });
}

/** The resident the service was for rates it, once (1–5 stars and a comment). */
export async function rateService(db: Db, auth: AuthContext, actor: Actor, id: number, rating: number, comment: string | null) {
  return db.transaction().execute(async (tx) => {
    const v = await load(tx, id);
    if (v.beneficiary_account_id !== auth.accountId) throw outOfScope(); // only the resident it was for
    if (v.status !== 'done') throw new AppError(409, 'service_not_done');
    const row = await tx.updateTable('station_services').set({ rating, rating_text: comment, rated_at: new Date() })
      .where('id', '=', id).where('status', '=', 'done').where('rating', 'is', null).returning('id').executeTakeFirst();
    if (!row) throw new AppError(409, 'service_rated_already');
    for (const l of ratedListeners) await l(tx, { serviceId: id, title: titleOf(v), handlerAccountId: v.handler_account_id!, rating, comment });
    await appendAudit(tx, actor, { action: 'station_service.rate', targetType: 'station_service', targetId: id, summary: { rating } });
    return answer(tx, auth, id);
  });
}

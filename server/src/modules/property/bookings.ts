import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, SYSTEM_ACTOR, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { notify } from '../../core/notify.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope } from '../../core/scope.js';
import { bookingAbilities, bookingRefusal, CHECKIN_WINDOW_MIN, requireBookingAbility, type BookingAbilities } from './policy.js';
import { loadRoom, shanghaiDate, shanghaiMinutes } from './positions.js';
import type { BookingStatus } from './positions-tables.js';

/**
 * Room bookings: book, approve or reject, cancel, check in with the room's QR code, the no-show
 * sweep. The race between two bookings of one slot is the database's: an exclusion constraint over
 * tstzrange(starts_at, ends_at) for live bookings; the loser's SQLSTATE 23P01 becomes a 409 here.
 */

/** Three no-shows within this many days … */
export const NO_SHOW_WINDOW_DAYS = 60;
export const NO_SHOW_LIMIT = 3;
/** … and the account cannot book for this many days. */
export const BAN_DAYS = 30;
export const MIN_BOOKING_MIN = 15;

const isPgError = (e: unknown, code: string) => (e as { code?: unknown })?.code === code;

export interface BookingInput { startsAt: string; endsAt: string; purpose: string; headcount: number }

/** The region path of where the caller lives (their person record), if any. */
async function homePathOf(db: Executor, auth: AuthContext) {
  if (auth.personId == null) return null;
  const p = await db.selectFrom('persons').select('region_path').where('id', '=', auth.personId).executeTakeFirst();
  return p?.region_path ?? null;
}

/** Checks the room's rules (hours, how far ahead, longest slot, capacity) and books; 201 `{id,status}` or 409 when the slot is taken. */
export async function bookRoom(db: Db, auth: AuthContext, actor: Actor, roomId: number, b: BookingInput, now = new Date()) {
  const startsAt = new Date(b.startsAt), endsAt = new Date(b.endsAt);
  try {
    return await db.transaction().execute(async (tx) => {
      const room = await loadRoom(tx, roomId);
      if (!room) throw notFound();
      const refusal = bookingRefusal(auth, room, await homePathOf(tx, auth));
      if (refusal) throw refusal;
      const minutes = (endsAt.getTime() - startsAt.getTime()) / 60_000;
      if (minutes <= 0) throw fieldError('endsAt', 'ends_before_start');
      if (minutes < MIN_BOOKING_MIN) throw fieldError('endsAt', 'booking_too_short', { min: MIN_BOOKING_MIN });
      if (minutes > room.max_minutes) throw fieldError('endsAt', 'booking_too_long', { max: room.max_minutes });
      if (startsAt <= now) throw fieldError('startsAt', 'booking_in_past');
      if (startsAt.getTime() > now.getTime() + room.advance_days * 86400_000) throw fieldError('startsAt', 'booking_too_far', { days: room.advance_days });
      const day = shanghaiDate(startsAt);
      const endMin = shanghaiDate(endsAt) === day ? shanghaiMinutes(endsAt) : shanghaiMinutes(endsAt) === 0 && minutes <= 1440 ? 1440 : Infinity;
      if (shanghaiMinutes(startsAt) < room.opens_min || endMin > room.closes_min) throw fieldError('startsAt', 'outside_hours');
      if (b.headcount > room.capacity) throw fieldError('headcount', 'over_capacity', { capacity: room.capacity });
      const status: BookingStatus = room.needs_approval ? 'pending' : 'confirmed';
      // The ban is decided in the same statement as the insert: no row comes back while one holds.
      const row = await sql<{ id: number; status: BookingStatus }>`
        insert into room_bookings (room_id, booked_by, purpose, headcount, starts_at, ends_at, status)
        select ${roomId}, ${auth.accountId}, ${b.purpose}, ${b.headcount}, ${startsAt}, ${endsAt}, ${status}
        where not exists (select 1 from booking_bans where account_id = ${auth.accountId} and until > ${now})
        returning id, status`.execute(tx);
      const booked = row.rows[0];
      if (!booked) {
        const ban = await tx.selectFrom('booking_bans').select('until').where('account_id', '=', auth.accountId).executeTakeFirst();
        throw new AppError(403, 'booking_banned', 'booking_banned', { until: ban ? shanghaiDate(ban.until) : '' });
      }
      await appendAudit(tx, actor, {
        action: 'booking.create', targetType: 'room_booking', targetId: booked.id,
        summary: { roomId, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), headcount: b.headcount, status },
      });
      return { id: booked.id, status: booked.status };
    });
  } catch (e) {
    if (isPgError(e, '23P01')) throw new AppError(409, 'booking_overlap', 'booking_overlap');
    throw e;
  }
}

/** A booking with the facts its policy needs. */
async function loadBooking(db: Executor, id: number) {
  return db.selectFrom('room_bookings as b').innerJoin('function_rooms as r', 'r.id', 'b.room_id').innerJoin('service_positions as p', 'p.id', 'r.position_id')
    .innerJoin('accounts as a', 'a.id', 'b.booked_by')
    .select(['b.id', 'b.room_id', 'b.booked_by', 'b.purpose', 'b.headcount', 'b.starts_at', 'b.ends_at', 'b.status', 'b.decision_note', 'b.cancel_reason',
      'b.decided_at', 'b.cancelled_at', 'b.checked_in_at', 'b.no_show_at', 'b.created_at', 'r.name as room_name', 'r.checkin_code', 'r.position_id',
      'p.name as position_name', 'p.region_path as position_path', 'a.display_name as booker_name'])
    .where('b.id', '=', id).executeTakeFirst();
}
type BookingRow = NonNullable<Awaited<ReturnType<typeof loadBooking>>>;

function present(b: BookingRow, abilities?: BookingAbilities) {
  return {
    id: b.id, status: b.status, roomId: b.room_id, roomName: b.room_name, positionId: b.position_id, positionName: b.position_name,
    bookedBy: b.booked_by, bookerName: b.booker_name, purpose: b.purpose, headcount: b.headcount, startsAt: b.starts_at, endsAt: b.ends_at,
    decisionNote: b.decision_note, cancelReason: b.cancel_reason, decidedAt: b.decided_at, cancelledAt: b.cancelled_at, checkedInAt: b.checked_in_at,
    createdAt: b.created_at, ...(abilities ? { abilities } : {}),
  };
}

export async function getBooking(db: Db, auth: AuthContext, id: number) {
  const b = await loadBooking(db, id);
  if (!b) throw notFound();
  return present(b, requireBookingAbility(auth, b, 'read'));
}

/** Loads the booking inside the transaction and checks the caller's ability at `now`. */
async function step(tx: Executor, auth: AuthContext, id: number, action: keyof BookingAbilities, now: Date) {
  const b = await loadBooking(tx, id);
  if (!b) throw notFound();
  requireBookingAbility(auth, b, action, now);
  return b;
}

/** Moves a booking only if it is still in one of `from` (the race with the sweep or a second click is the database's). */
async function move(tx: Executor, b: BookingRow, from: BookingStatus[], set: Record<string, unknown>) {
  const row = await tx.updateTable('room_bookings').set({ ...set, updated_at: new Date() } as any).where('id', '=', b.id).where('status', 'in', from)
    .returning(['id', 'status']).executeTakeFirst();
  if (!row) throw new AppError(409, 'booking_state', 'booking_state', { status: b.status });
  return row;
}

const when = (b: BookingRow) => `${shanghaiDate(b.starts_at)} ${String(Math.floor(shanghaiMinutes(b.starts_at) / 60)).padStart(2, '0')}:${String(shanghaiMinutes(b.starts_at) % 60).padStart(2, '0')}`;

/** The booker cancels before the start; staff of the position cancel a live booking with a reason. */
export async function cancelBooking(db: Db, auth: AuthContext, actor: Actor, id: number, reason: string | undefined, now = new Date()) {
  return db.transaction().execute(async (tx) => {
    const b = await step(tx, auth, id, 'cancel', now);
    const byBooker = b.booked_by === auth.accountId && now < b.starts_at;
    if (!byBooker && !reason) throw fieldError('reason', 'cancel_reason_required');
    const row = await move(tx, b, ['pending', 'confirmed'], { status: 'cancelled', cancelled_by: auth.accountId, cancelled_at: now, cancel_reason: reason ?? null });
    if (!byBooker) await notify(tx, { accountId: b.booked_by, kind: 'booking_cancelled', title: '预约已被取消', body: `您预约的${b.position_name}「${b.room_name}」（${when(b)}）已被工作人员取消：${reason}` });
    await appendAudit(tx, actor, { action: 'booking.cancel', targetType: 'room_booking', targetId: id, summary: { by: byBooker ? 'booker' : 'staff', reason: reason ?? null } });
    return row;
  });
}

export async function decideBooking(db: Db, auth: AuthContext, actor: Actor, id: number, approve: boolean, note: string | undefined, now = new Date()) {
  return db.transaction().execute(async (tx) => {
    const b = await step(tx, auth, id, approve ? 'approve' : 'reject', now);
    if (!approve && !note) throw fieldError('reason', 'required');
    const row = await move(tx, b, ['pending'], { status: approve ? 'confirmed' : 'rejected', decided_by: auth.accountId, decided_at: now, decision_note: note ?? null });
    await notify(tx, {
      accountId: b.booked_by, kind: approve ? 'booking_approved' : 'booking_rejected', title: approve ? '预约已通过' : '预约未通过',
      body: `您预约的${b.position_name}「${b.room_name}」（${when(b)}）${approve ? '已通过审核，请准时到场扫码签到' : `未通过审核：${note}`}`,
    });
    await appendAudit(tx, actor, { action: approve ? 'booking.approve' : 'booking.reject', targetType: 'room_booking', targetId: id, summary: { note: note ?? null } });
    return row;
  });
}

const sameCode = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Check-in at the door: the room's QR code, within ±15 minutes of the start. */
export async function checkInBooking(db: Db, auth: AuthContext, actor: Actor, id: number, code: string, now = new Date()) {
  return db.transaction().execute(async (tx) => {
    const b = await step(tx, auth, id, 'checkin', now);
    if (!sameCode(code, b.checkin_code)) throw fieldError('code', 'wrong_checkin_code');
    const row = await move(tx, b, ['confirmed'], { status: 'checked_in', checked_in_at: now });
    await appendAudit(tx, actor, { action: 'booking.checkin', targetType: 'room_booking', targetId: id, summary: { window: CHECKIN_WINDOW_MIN } });
    return row;
  });
}

export interface BookingFilter { status?: BookingStatus; positionId?: number; roomId?: number; from?: string; to?: string }

const listSelect = (db: Executor) => db.selectFrom('room_bookings as b').innerJoin('function_rooms as r', 'r.id', 'b.room_id')
  .innerJoin('service_positions as p', 'p.id', 'r.position_id').innerJoin('accounts as a', 'a.id', 'b.booked_by')
  .select(['b.id', 'b.room_id', 'b.booked_by', 'b.purpose', 'b.headcount', 'b.starts_at', 'b.ends_at', 'b.status', 'b.decision_note', 'b.cancel_reason',
    'b.decided_at', 'b.cancelled_at', 'b.checked_in_at', 'b.no_show_at', 'b.created_at', 'r.name as room_name', 'r.checkin_code', 'r.position_id',
    'p.name as position_name', 'p.region_path as position_path', 'a.display_name as booker_name']);

/** The console's bookings of positions in the caller's scope (the approvals queue with status=pending; a week calendar with from/to). */
export async function listBookings(db: Db, auth: AuthContext, f: BookingFilter, page: PageQuery) {
  let qb = listSelect(db).where(inScope(auth, 'p.region_path')).orderBy('b.starts_at').orderBy('b.id');
  if (f.status) qb = qb.where('b.status', '=', f.status);
  if (f.positionId != null) qb = qb.where('r.position_id', '=', f.positionId);
  if (f.roomId != null) qb = qb.where('b.room_id', '=', f.roomId);
  if (f.from) qb = qb.where('b.ends_at', '>', new Date(`${f.from}T00:00:00+08:00`));
  if (f.to) qb = qb.where('b.starts_at', '<', new Date(Date.parse(`${f.to}T00:00:00+08:00`) + 86400_000));
  const res = await paginate(qb, page);
  return { ...res, items: res.items.map((b) => present(b)) };
}

/** My bookings, newest first; only those whose position is still on my line (scope first). */
export async function myBookings(db: Db, auth: AuthContext, page: PageQuery, now = new Date()) {
  const s = auth.scope?.path;
  if (!s) return { items: [], total: 0, page: page.page, pageSize: page.pageSize };
  const qb = listSelect(db).where('b.booked_by', '=', auth.accountId)
    .where((eb) => eb.or([eb('p.region_path', 'like', `${s}%`), eb(sql.val(s), 'like', sql<string>`p.region_path || '%'`)]))
    .orderBy('b.starts_at', 'desc').orderBy('b.id', 'desc');
  const res = await paginate(qb, page);
  return { ...res, items: res.items.map((b) => present(b, bookingAbilities(auth, b, now))) };
}

/**
 * The no-show sweep (idempotent, safe in several instances): a confirmed booking not checked in by
 * 15 minutes after its start becomes a no-show; a pending one not approved by its start expires.
 * An account with three no-shows in 60 days is banned until 30 days after the latest of them —
 * computed from the rows, so a second run (or a second instance) decides the same.
 */
export async function sweepNoShows(db: Db, now = new Date()) {
  return db.transaction().execute(async (tx) => {
    const cutoff = new Date(now.getTime() - CHECKIN_WINDOW_MIN * 60_000);
    const missed = await tx.updateTable('room_bookings').set({ status: 'no_show', no_show_at: now, updated_at: now })
      .where('status', '=', 'confirmed').where('starts_at', '<', cutoff).returning(['id', 'booked_by']).execute();
    const expired = await tx.updateTable('room_bookings').set({ status: 'expired', updated_at: now })
      .where('status', '=', 'pending').where('starts_at', '<', now).returning('id').execute();
    let banned = 0;
    for (const accountId of [...new Set(missed.map((m) => m.booked_by))]) {
      const recent = await tx.selectFrom('room_bookings').select('starts_at').where('booked_by', '=', accountId).where('status', '=', 'no_show')
        .where('starts_at', '>', new Date(now.getTime() - NO_SHOW_WINDOW_DAYS * 86400_000)).orderBy('starts_at', 'desc').execute();
      if (recent.length < NO_SHOW_LIMIT) continue;
      const until = new Date(recent[0].starts_at.getTime() + BAN_DAYS * 86400_000);
      await tx.insertInto('booking_bans').values({ account_id: accountId, until, no_shows: recent.length, decided_at: now })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ until: sql`greatest(booking_bans.until, excluded.until)`, no_shows: sql`excluded.no_shows` })).execute();
      await notify(tx, { accountId, kind: 'booking_banned', title: '预约功能已暂停', body: `您在 ${NO_SHOW_WINDOW_DAYS} 天内有 ${recent.length} 次预约未到场签到，${shanghaiDate(until)} 前不能预约功能室` });
      banned++;
    }
    if (missed.length || expired.length) {
      await appendAudit(tx, SYSTEM_ACTOR, { action: 'booking.sweep', summary: { noShows: missed.map((m) => m.id), expired: expired.map((e) => e.id), banned } });
    }
    return { noShows: missed.length, expired: expired.length, banned };
  });
}

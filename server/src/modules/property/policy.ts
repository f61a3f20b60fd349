import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { AppError, notFound, outOfScope } from '../../core/errors.js';
import { isInScope } from '../../core/scope.js';
import type { BookingStatus, WhoMayBook } from './positions-tables.js';

/**
 * Who may book a function room, and who may read, cancel, approve or check in a booking — decided
 * here for every read and write of positions.ts and bookings.ts. Scope comes first: a booking's
 * booker relation holds only while the room's position is on the caller's line, and staff act only
 * on positions inside their scope. "I booked it" never replaces "it is in my scope".
 */

/** Minutes either side of the start in which the booker may check in with the room's QR code. */
export const CHECKIN_WINDOW_MIN = 15;

const WORKER_ROLES = ['street_worker', 'community_worker', 'grid_worker', 'property_staff'];

/** A position's region is on the caller's line: inside the scope, or the scope lies inside it (a resident's community centre). */
export function onLine(auth: AuthContext | null, positionPath: string) {
  const s = auth?.scope?.path;
  return !!s && (positionPath.startsWith(s) || s.startsWith(positionPath));
}

/** Staff of a position: may manage it (property:manage) and it lies inside their scope. */
export function isPositionStaff(auth: AuthContext | null, positionPath: string) {
  return !!auth && can(auth.permissions, 'property:manage') && isInScope(auth, positionPath);
}

/** A worker (any worker role, or the district admin) whose scope covers the position. */
function isWorkerFor(auth: AuthContext, positionPath: string) {
  return (can(auth.permissions, '*') || auth.roles.some((r) => WORKER_ROLES.includes(r))) && isInScope(auth, positionPath);
}

export interface RoomForBooking { position_path: string; who_may_book: WhoMayBook | string; active: boolean; position_active: boolean }

/**
 * Whether the caller may book the room: null when yes, else the refusal. `homePath` is the
 * region path of the caller's own person record (where they live), if any.
 */
export function bookingRefusal(auth: AuthContext, room: RoomForBooking, homePath: string | null): AppError | null {
  if (!onLine(auth, room.position_path)) return outOfScope();
  if (!room.active || !room.position_active) return new AppError(409, 'room_closed');
  if (isWorkerFor(auth, room.position_path)) return null;
  const resident = homePath != null;
  const unit = auth.roles.includes('alliance_unit') && auth.organisationId != null;
  switch (room.who_may_book) {
    case 'compound_residents': return resident && homePath.startsWith(room.position_path) ? null : new AppError(403, 'booking_not_allowed', 'booking_only_residents');
    case 'any_resident': return resident || unit ? null : new AppError(403, 'booking_not_allowed', 'booking_only_residents_any');
    case 'units': return unit ? null : new AppError(403, 'booking_not_allowed', 'booking_only_units');
    default: return new AppError(403, 'booking_not_allowed', 'booking_only_workers');
  }
}

export interface BookingAccessRow { position_path: string; booked_by: number; status: BookingStatus | string; starts_at: Date; ends_at: Date }

export function bookingRelation(auth: AuthContext | null, b: BookingAccessRow) {
  const staff = isPositionStaff(auth, b.position_path);
  const booker = !!auth && b.booked_by === auth.accountId && onLine(auth, b.position_path);
  return { staff, booker, line: onLine(auth, b.position_path) };
}

/** What the caller may do with the booking at `now`; GET /api/bookings/:id returns it so no client recomputes the rules. */
export function bookingAbilities(auth: AuthContext | null, b: BookingAccessRow, now = new Date()) {
  const x = bookingRelation(auth, b);
  const live = b.status === 'pending' || b.status === 'confirmed';
  const windowOpen = Math.abs(now.getTime() - b.starts_at.getTime()) <= CHECKIN_WINDOW_MIN * 60_000;
  return {
    read: x.staff || x.booker,
    // the booker until it starts; staff (with a reason) until it ends
    cancel: live && ((x.booker && now < b.starts_at) || (x.staff && now < b.ends_at)),
    approve: b.status === 'pending' && x.staff,
    reject: b.status === 'pending' && x.staff,
    checkin: b.status === 'confirmed' && (x.booker || x.staff) && windowOpen,
  };
}
export type BookingAbilities = ReturnType<typeof bookingAbilities>;

/**
 * Throws unless the caller may take the action now: 404 when the caller may not see the booking
 * (403 for staff of elsewhere), 409 when the right is there but the state or the time is wrong.
 */
export function requireBookingAbility(auth: AuthContext | null, b: BookingAccessRow, action: keyof BookingAbilities, now = new Date()) {
  const a = bookingAbilities(auth, b, now);
  if (a[action]) return a;
  const x = bookingRelation(auth, b);
  if (!a.read) throw auth && can(auth.permissions, 'property:manage') && !x.staff ? outOfScope() : notFound();
  const right = action === 'approve' || action === 'reject' ? x.staff : x.booker || x.staff;
  if (!right) throw new AppError(403, 'forbidden');
  if (action === 'checkin' && b.status === 'confirmed') throw new AppError(409, 'checkin_window', 'checkin_window', { minutes: CHECKIN_WINDOW_MIN });
  if (action === 'cancel' && !x.staff && (b.status === 'pending' || b.status === 'confirmed')) throw new AppError(409, 'booking_started', 'booking_started');
  throw new AppError(409, 'booking_state', 'booking_state', { status: b.status });
}

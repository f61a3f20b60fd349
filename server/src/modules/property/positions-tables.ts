import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the position and booking tables (migrations/0010_property_positions.sql), merged into core's Database. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type PositionLevel = 'street' | 'community' | 'compound';
export type RoomKind = 'service' | 'health' | 'mediation' | 'activity' | 'reading' | 'meeting' | 'other';
export type WhoMayBook = 'compound_residents' | 'any_resident' | 'units' | 'workers';
export type BookingStatus = 'pending' | 'confirmed' | 'checked_in' | 'cancelled' | 'rejected' | 'expired' | 'no_show';

export const POSITION_LEVELS = ['street', 'community', 'compound'] as const;
export const ROOM_KINDS = ['service', 'health', 'mediation', 'activity', 'reading', 'meeting', 'other'] as const;
export const WHO_MAY_BOOK = ['compound_residents', 'any_resident', 'units', 'workers'] as const;
export const BOOKING_STATUSES = ['pending', 'confirmed', 'checked_in', 'cancelled', 'rejected', 'expired', 'no_show'] as const;
/** The states that hold the room (the exclusion constraint's `where`). */
export const LIVE_STATUSES: BookingStatus[] = ['pending', 'confirmed', 'checked_in'];

export interface ServicePositionsTable {
  id: Id; level: PositionLevel; name: string; region_id: number; region_path: string; address: string; lat: number | null; lng: number | null;
  hours: Generated<string>; opens_min: Generated<number>; closes_min: Generated<number>; description: string | null; active: Generated<boolean>;
  created_at: Stamp; updated_at: Stamp;
}
export interface PositionStaffTable { position_id: number; account_id: number }
/** migrations/0015_position_photos.sql */
export interface ServicePositionPhotosTable { file_id: number; position_id: number; sort: Generated<number>; created_at: Stamp }
export interface FunctionRoomsTable {
  id: Id; position_id: number; name: string; kind: RoomKind; capacity: number; equipment: ColumnType<string[], string[] | undefined, string[]>;
  who_may_book: Generated<WhoMayBook>; advance_days: Generated<number>; max_minutes: Generated<number>; needs_approval: Generated<boolean>;
  checkin_code: string; active: Generated<boolean>; sort: Generated<number>; created_at: Stamp; updated_at: Stamp;
}
export interface RoomBookingsTable {
  id: Id; room_id: number; booked_by: number; purpose: string; headcount: number; starts_at: Timestamp; ends_at: Timestamp; status: BookingStatus;
  decided_by: number | null; decided_at: Timestamp | null; decision_note: string | null; cancelled_by: number | null; cancelled_at: Timestamp | null;
  cancel_reason: string | null; checked_in_at: Timestamp | null; no_show_at: Timestamp | null; created_at: Stamp; updated_at: Stamp;
}
export interface BookingBansTable { account_id: number; until: Timestamp; no_shows: number; decided_at: Stamp }

declare module '../../core/schema.js' {
  interface Database {
    service_positions: ServicePositionsTable;
    position_staff: PositionStaffTable;
    service_position_photos: ServicePositionPhotosTable;
    function_rooms: FunctionRoomsTable;
    room_bookings: RoomBookingsTable;
    booking_bans: BookingBansTable;
  }
}

import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the service-request tables (migrations/0011_service_requests.sql), merged into core's Database. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type RequestStatus = 'submitted' | 'accepted' | 'assigned' | 'in_progress' | 'done' | 'rated' | 'closed';
export type RequestTeam = 'property' | 'community' | 'alliance';
export type RequestOutcome = 'fixed' | 'not_ours' | 'duplicate' | 'referred';
export interface AttributeDef {
  code: string; name: string; datatype: 'string' | 'text' | 'number' | 'datetime' | 'singlevaluelist';
  required: boolean; description?: string; values?: { key: string; name: string }[];
}

export interface RequestAreasTable { compound_id: number; lat: number; lng: number }
export interface ServiceTypesTable {
  id: Id; code: string; name: string; group_name: string; description: string | null; sla_hours: number; team: RequestTeam;
  alliance_unit_id: number | null; attributes: Json<AttributeDef[]>; keywords: string | null; active: Generated<boolean>; sort: Generated<number>;
}
export interface Open311ClientsTable { id: Id; name: string; key_hash: string; created_by: number | null; created_at: Generated<Date>; revoked_at: Timestamp | null }
export interface ServiceRequestsTable {
  id: Id; token: string; service_type_id: number; status: Generated<RequestStatus>; description: string; attributes: Json<Record<string, string | number>>;
  room_id: number | null; compound_id: number; community_id: number; street_id: number | null; region_path: string; lat: number | null; lng: number | null;
  preferred_time: string | null; requester_account_id: number | null; requester_person_id: number | null; contact_name: string | null; contact_phone: string | null;
  submitted_by: number | null; channel: 'self' | 'on_behalf' | 'open311'; open311_client_id: number | null; team: RequestTeam; assignee_id: number | null;
  sla_hours: number; sla_started_at: Timestamp; due_at: Timestamp; escalation_level: Generated<number>; next_escalation_at: Timestamp | null; escalated_at: Timestamp | null;
  done_note: string | null; rating: number | null; rating_text: string | null; outcome: RequestOutcome | null; duplicate_of: number | null; referred_to: string | null;
  close_note: string | null; last_urged_at: Timestamp | null; urge_count: Generated<number>; reopen_count: Generated<number>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>; accepted_at: Timestamp | null; assigned_at: Timestamp | null; started_at: Timestamp | null;
  done_at: Timestamp | null; first_done_at: Timestamp | null; rated_at: Timestamp | null; closed_at: Timestamp | null; updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface ServiceRequestEventsTable { id: Id; request_id: number; kind: string; at: ColumnType<Date, Date | string | undefined, never>; actor_id: number | null; note: string | null; data: Json<Record<string, unknown>> }
export interface ServiceRequestPhotosTable { request_id: number; file_id: number; kind: 'request' | 'done'; sort: Generated<number> }

declare module '../../core/schema.js' {
  interface Database {
    request_areas: RequestAreasTable;
    service_types: ServiceTypesTable;
    open311_clients: Open311ClientsTable;
    service_requests: ServiceRequestsTable;
    service_request_events: ServiceRequestEventsTable;
    service_request_photos: ServiceRequestPhotosTable;
  }
}

import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the four-party linkage and assessment tables (migrations/0013_compound_parties.sql), merged into core's Database, and their codes with names. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextList = ColumnType<string[], string[] | undefined, string[]>;

export const PARTY_KINDS = ['residents_committee', 'owners_committee', 'property_company', 'grid'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
export const PARTY_KIND_NAMES: Record<PartyKind, string> = { residents_committee: '居委会', owners_committee: '业委会', property_company: '物业', grid: '网格' };

export const FOLLOW_UP_STATUSES = ['open', 'done'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const FOLLOW_UP_STATUS_NAMES: Record<FollowUpStatus, string> = { open: '未完成', done: '已完成' };

export interface CompoundPartiesTable {
  id: Id; compound_id: number; compound_path: string; kind: PartyKind; name: string; organisation_id: number | null; grid_id: number | null;
  office: string | null; hours: string | null; sort: Generated<number>; created_at: Stamp; updated_at: Stamp;
}
export interface CompoundPostsTable {
  id: Id; party_id: number; compound_id: number; person_id: number; title: string; since: string | null; account_id: number | null;
  ended_on: string | null; sort: Generated<number>; created_at: Stamp; updated_at: Stamp;
}
export interface CompoundMeetingsTable {
  id: Id; compound_id: number; compound_path: string; held_on: string; title: string; place: string | null; topics: TextList; decisions: TextList;
  guests: TextList; recorded_by: number | null; created_at: Stamp;
}
export interface CompoundMeetingAttendeesTable { meeting_id: number; post_id: number }
export interface CompoundFollowUpsTable {
  id: Id; meeting_id: number; compound_id: number; compound_path: string; task: string; owner_account_id: number; owner_post_id: number | null;
  due_on: string; status: Generated<FollowUpStatus>; done_at: Timestamp | null; done_by: number | null; done_note: string | null; sort: Generated<number>; created_at: Stamp;
}
export interface CompoundRatingsTable {
  id: Id; compound_id: number; month: string; household_id: number; person_id: number | null; account_id: number | null; score: number; comment: string | null; created_at: Stamp;
}
export interface CompoundAssessmentsTable {
  compound_id: number; month: string; scores: ColumnType<unknown, string, string>; total: number; note: string | null; assessed_by: number | null; assessed_at: Stamp;
}

declare module '../../core/schema.js' {
  interface Database {
    compound_parties: CompoundPartiesTable;
    compound_posts: CompoundPostsTable;
    compound_meetings: CompoundMeetingsTable;
    compound_meeting_attendees: CompoundMeetingAttendeesTable;
    compound_follow_ups: CompoundFollowUpsTable;
    compound_ratings: CompoundRatingsTable;
    compound_assessments: CompoundAssessmentsTable;
  }
}

import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the party register tables (migrations/0018_party.sql), merged into core's Database, and their codes with names. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextList = ColumnType<string[], string[] | undefined, string[]>;

export const MEMBER_STATUSES = ['probationary', 'full'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const MEMBER_STATUS_NAMES: Record<MemberStatus, string> = { probationary: '预备党员', full: '正式党员' };

export const TRANSFER_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const TRANSFER_STATUS_NAMES: Record<TransferStatus, string> = { pending: '待接收', accepted: '已接收', rejected: '已退回' };

/** Organisation kinds that have members: the party organisations of the tree (not enterprises or social organisations themselves). */
export const PARTY_ORG_KINDS = ['party_working_committee', 'party_committee', 'general_branch', 'branch'] as const;

export interface PartyMembersTable {
  id: Id; person_id: number | null; name: string; name_initials: string; sex: 'M' | 'F'; id_number: string; phone: string | null;
  organisation_id: number; status: MemberStatus; joined_on: string; full_on: string | null; posts: TextList;
  report_community_id: number | null; reported_on: string | null; created_at: Stamp; updated_at: Stamp;
}
export interface PartyTransfersTable {
  id: Id; member_id: number; from_org_id: number; to_org_id: number; status: Generated<TransferStatus>; reason: string | null;
  requested_by: number | null; requested_at: Stamp; decided_by: number | null; decided_at: Timestamp | null; decision_note: string | null;
}

export const ACTIVITY_KINDS = ['general_meeting', 'committee_meeting', 'group_meeting', 'lecture', 'theme_day'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_KIND_NAMES: Record<ActivityKind, string> = {
  general_meeting: '支部党员大会', committee_meeting: '支委会', group_meeting: '党小组会', lecture: '党课', theme_day: '主题党日',
};

export const POINT_RULES = ['wish_fulfilled', 'station_service', 'verification_task', 'activity_attendance', 'volunteer_hours', 'service_rated'] as const;
export type PointRule = (typeof POINT_RULES)[number];
export const POINT_SOURCES = ['wish', 'station_service', 'verification_task', 'activity', 'volunteer', 'service_rating'] as const;
export type PointSource = (typeof POINT_SOURCES)[number];
export const POINT_SOURCE_NAMES: Record<PointSource, string> = {
  wish: '微心愿', station_service: '站点服务', verification_task: '核查任务', activity: '组织生活', volunteer: '志愿服务', service_rating: '居民评价',
};

export interface PartyActivitiesTable {
  id: Id; organisation_id: number; kind: ActivityKind; topic: string; place: string; starts_at: Timestamp; ends_at: Timestamp;
  minutes: string | null; created_by: number | null; reminded_at: Timestamp | null; created_at: Stamp; updated_at: Stamp;
}
export interface PartyActivityInviteesTable { activity_id: number; member_id: number }
export interface PartyActivityPhotosTable { activity_id: number; file_id: number; sort: Generated<number> }
export interface PartyAttendanceTable { id: Id; activity_id: number; member_id: number; checked_in_at: Stamp; via: Generated<'qr' | 'recorded'> }
export interface PartyPointRulesTable {
  code: PointRule; name: string; points: number; per: Generated<'event' | 'hour'>; active: Generated<boolean>; updated_by: number | null; updated_at: Stamp;
}
export interface PartyPointsTable {
  id: Id; member_id: number; rule_code: PointRule; source_kind: PointSource; source_id: number; points: number; note: string; created_at: Stamp;
}

export interface PartyVolunteerPostsTable {
  id: Id; organisation_id: number; title: string; description: Generated<string>; place: string; starts_on: string; ends_on: string; slots: number;
  status: Generated<'open' | 'closed'>; created_by: number | null; created_at: Stamp;
}
export interface PartyVolunteerOffersTable {
  id: Id; post_id: number; member_id: number; note: string | null; status: Generated<'pending' | 'accepted' | 'declined'>; created_at: Stamp;
  decided_by: number | null; decided_at: Timestamp | null;
  /** Hours served, recorded once by the post's organisation (migrations/0024); numeric arrives as a string. */
  hours: ColumnType<string | null, number | null | undefined, number>; hours_recorded_by: number | null; hours_recorded_at: Timestamp | null;
}

export const RATED_SOURCES = ['station_service', 'service_request'] as const;
export type RatedSource = (typeof RATED_SOURCES)[number];
export const RATED_SOURCE_NAMES: Record<RatedSource, string> = { station_service: '站点服务', service_request: '报事服务' };
export interface PartyServiceRatingsTable {
  id: Id; member_id: number; source_kind: RatedSource; source_id: number; rating: number; comment: string | null; title: string; created_at: Stamp;
}
/** A member's organisation over time (a view over the register and accepted transfers). */
export interface PartyMemberPeriodsView { member_id: number; organisation_id: number; valid_from: Date; valid_to: Date | null }

declare module '../../core/schema.js' {
  interface Database {
    party_members: PartyMembersTable;
    party_transfers: PartyTransfersTable;
    party_activities: PartyActivitiesTable;
    party_activity_invitees: PartyActivityInviteesTable;
    party_activity_photos: PartyActivityPhotosTable;
    party_attendance: PartyAttendanceTable;
    party_point_rules: PartyPointRulesTable;
    party_points: PartyPointsTable;
    party_volunteer_posts: PartyVolunteerPostsTable;
    party_volunteer_offers: PartyVolunteerOffersTable;
    party_service_ratings: PartyServiceRatingsTable;
    party_member_periods: PartyMemberPeriodsView;
  }
}

import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely table types; one interface per table, kept beside the SQL in migrations/. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Id = Generated<number>;

export type RegionLevel = 'district' | 'street' | 'community' | 'compound' | 'building' | 'unit' | 'room';
export const REGION_LEVELS: RegionLevel[] = ['district', 'street', 'community', 'compound', 'building', 'unit', 'room'];

export interface RegionsTable {
  id: Id;
  parent_id: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  path: string;
  sort: Generated<number>;
  floor: number | null;
  area: ColumnType<number | null, number | string | null | undefined, number | string | null>;
  created_at: Generated<Date>;
}

export interface GridsTable { id: Id; community_id: number; code: string; name: string; created_at: Generated<Date> }
export interface GridRegionsTable { grid_id: number; region_id: number }
export interface GridWorkersTable { grid_id: number; account_id: number }

export type OrgKind = 'party_working_committee' | 'party_committee' | 'general_branch' | 'branch' | 'enterprise' | 'social_org' | 'institution';
export interface OrganisationsTable {
  id: Id;
  parent_id: number | null;
  kind: OrgKind;
  name: string;
  code: string;
  region_id: number | null;
  path: string;
  created_at: Generated<Date>;
}

export interface HouseholdsTable { id: Id; room_id: number | null; region_id: number; region_path: string; created_at: Generated<Date> }

export interface PersonsTable {
  id: Id;
  name: string;
  name_initials: string;
  sex: 'M' | 'F';
  birth_date: string | null;
  id_number: string | null;
  phone: string | null;
  household_id: number | null;
  is_householder: Generated<boolean>;
  region_id: number;
  region_path: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RolesTable { code: string; name_zh: string; name_en: string; permissions: string[]; sort: Generated<number> }

export interface AccountsTable {
  id: Id;
  username: string;
  phone: string | null;
  password_hash: string | null;
  display_name: string;
  person_id: number | null;
  organisation_id: number | null;
  scope_region_id: number | null;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface AccountRolesTable { account_id: number; role_code: string }

export interface SessionsTable {
  id: Id;
  token_hash: string;
  csrf_token: string;
  account_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Id;
  at: Timestamp;
  actor_id: number | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  summary: ColumnType<unknown, string, string>;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface PiAccessLogTable {
  id: Id;
  at: Generated<Date>;
  actor_id: number;
  kind: 'unmask' | 'export';
  target_type: string;
  target_id: string | null;
  fields: string[];
  purpose: string;
  ip: string | null;
  request_id: string | null;
}

export interface FilesTable {
  id: Id; storage_key: string; thumb_key: string | null; mime: string; size: number; width: number | null; height: number | null;
  sha256: string; uploaded_by: number | null; created_at: Generated<Date>;
}
export interface SeasonsTable {
  id: Id; name: string; theme: string | null; starts_on: string; ends_on: string;
  value_cap_fen: Generated<number>; claim_days: Generated<number>; created_at: Generated<Date>;
}
export interface SeasonCommunitiesTable { season_id: number; community_id: number }
export type WishStatus = 'pending_review' | 'published' | 'rejected' | 'claimed' | 'fulfilled' | 'confirmed' | 'withdrawn';
export type WishCategory = 'goods' | 'service' | 'companionship';
export type WishTargetGroup = 'elder' | 'child' | 'disabled' | 'hardship' | 'other';
export interface WishesTable {
  id: Id; season_id: number; community_id: number; region_path: string;
  beneficiary_person_id: number | null; beneficiary_surname: string;
  title: string; story: string; category: WishCategory; target_group: WishTargetGroup; estimated_value_fen: number;
  channel: 'h5' | 'visit' | 'import' | 'wechat'; visit_date: string | null; visitor: string | null; submitted_by: number | null;
  review_status: Generated<'pending' | 'approved' | 'rejected'>; review_reason: string | null; reviewed_by: number | null;
  status: Generated<WishStatus>;
  published_at: Timestamp | null; claimed_at: Timestamp | null; fulfilled_at: Timestamp | null; confirmed_at: Timestamp | null; withdrawn_at: Timestamp | null;
  rating: number | null; thanks: string | null; view_count: Generated<number>;
  created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface WishPhotosTable { id: Id; wish_id: number; file_id: number; kind: 'wish' | 'evidence'; sort: Generated<number> }
export interface WishClaimsTable {
  id: Id; wish_id: number; claimer_id: number; claimer_org_id: number | null; claimer_name: string;
  status: Generated<'live' | 'fulfilled' | 'expired' | 'revoked' | 'withdrawn'>;
  claimed_at: Generated<Date>; due_at: Timestamp; reminded_at: Timestamp | null; ended_at: Timestamp | null; end_reason: string | null;
  fulfil_note: string | null; fulfilled_at: Timestamp | null; contact_revealed_at: Generated<Date | null>;
}
export interface WishEventsTable { id: Id; wish_id: number; kind: string; at: Generated<Date>; actor_id: number | null; data: ColumnType<unknown, string, string> }
export interface WishViewsTable { wish_id: number; visitor: string; day: string }
export interface SeasonViewsTable { season_id: number; visitor: string; day: string }
export interface NotificationsTable { id: Id; account_id: number; kind: string; title: string; body: string; wish_id: number | null; read_at: Timestamp | null; created_at: Generated<Date> }
export interface OutboxTable {
  id: Id; channel: string; recipient: string; payload: ColumnType<unknown, string, string>; status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>; last_error: string | null; created_at: Generated<Date>; sent_at: Timestamp | null; lease_until: Timestamp | null;
}
export interface WechatBindingsTable { openid: string; account_id: number; created_at: Generated<Date> }
export interface WechatBindCodesTable { code: string; account_id: number; expires_at: Timestamp }

export interface RoomOwnersTable { room_id: number; person_id: number; casts_vote: Generated<boolean>; created_at: Generated<Date> }
export interface RoomRegisterTable { room_id: number; area_source: Generated<'registry' | 'survey' | 'contract'>; unsold_developer_unit: Generated<boolean>; updated_at: Generated<Date> }
export type ConsultStage = 'propose' | 'deliberate' | 'decide' | 'implement' | 'supervise' | 'evaluate' | 'closed';
export interface ConsultationsTable {
  id: Id; topic: string; description: string | null; scope_region_id: number; scope_path: string; stage: Generated<ConsultStage>;
  parties: ColumnType<unknown, string | undefined, string>; created_by: number | null; created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface ConsultationPostsTable {
  id: Id; consultation_id: number; parent_id: number | null; kind: string; author_id: number | null; author_name: string; body: string;
  meta: ColumnType<unknown, string | undefined, string>; created_at: Generated<Date>;
}
export interface VotesTable {
  id: Id; consultation_id: number; title: string; rule: 'major' | 'ordinary' | 'custom'; thresholds: ColumnType<unknown, string, string>;
  secret: Generated<boolean>; opens_at: Timestamp | null; closes_at: Timestamp | null; status: Generated<'draft' | 'open' | 'closed'>;
  secret_key: string | null; result: ColumnType<unknown, string | null | undefined, string | null>; notice_days: Generated<number>;
  closed_at: Timestamp | null; notice_until: Timestamp | null; created_by: number | null; created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface VoteRoomsTable { vote_id: number; room_id: number; area_centi: number; head_key: string; holder_person_id: number | null }
export interface VoteParticipationsTable {
  vote_id: number; room_id: number; person_id: number | null; channel: 'h5' | 'paper'; entered_by: number | null; scan_file_id: number | null;
  choice: 'agree' | 'disagree' | 'abstain' | null; cast_at: Generated<Date>;
}
export interface VoteSecretChoicesTable { vote_id: number; room_mac: string; choice: 'agree' | 'disagree' | 'abstain' }
export interface VoteObjectionsTable {
  id: Id; vote_id: number; raised_by: number | null; body: string; stage: Generated<'negotiation' | 'community_mediation' | 'street_mediation' | 'closed'>;
  history: ColumnType<unknown, string | undefined, string>; created_at: Generated<Date>; updated_at: Generated<Date>;
}

export interface ElevatorProjectsTable {
  id: Id; unit_id: number; unit_path: string; consultation_id: number | null; vote_id: number | null; stage: Generated<string>;
  total_cost_fen: ColumnType<number, number, number>; subsidy_fen: ColumnType<number, number | undefined, number>;
  floor_coefficients: ColumnType<unknown, string, string>; created_by: number | null; created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface ElevatorStageRecordsTable {
  project_id: number; stage: string; started_on: string | null; completed_on: string | null; responsible: string | null;
  documents: ColumnType<unknown, string | undefined, string>; note: string | null;
}

export interface AllianceUnitsTable {
  id: Id; organisation_id: number | null; name: string; kind: 'community' | 'enterprise' | 'social_org' | 'institution' | 'industry';
  committee_region_id: number; is_committee_unit: Generated<boolean>; committee_term: string | null; status: Generated<'pending' | 'verified' | 'rejected'>;
  review_reason: string | null; contact_name: string | null; contact_phone: string | null; service_region_id: number | null; service_path: string | null;
  lat: number | null; lng: number | null; tags: Generated<string[]>; volunteer_hours: Generated<number>; applied_by: number | null;
  created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface CoopProjectsTable {
  id: Id; title: string; description: string | null; owner_unit_id: number; partner_unit_ids: Generated<number[]>; region_id: number | null;
  budget_fen: ColumnType<number, number | undefined, number>; status: Generated<'planned' | 'active' | 'done' | 'cancelled'>; created_by: number | null;
  need_id: number | null; resource_id: number | null;
  created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface CoopMilestonesTable { id: Id; project_id: number; title: string; weight: Generated<number>; due_on: string | null; done_at: Timestamp | null; note: string | null; sort: Generated<number> }
export interface StationsTable {
  id: Id; name: string; kind: 'fengxiaochao' | 'xiexiejiao'; owner_unit_id: number | null; region_id: number | null; lat: number; lng: number;
  address: string; opening_hours: string; services: Generated<string[]>; created_at: Generated<Date>;
}
export interface StationCheckinsTable { station_id: number; day: string; visitor: string }

export type NeedCategory = 'goods' | 'service' | 'companionship' | 'venue' | 'tutoring' | 'funds';
export interface RegionPointsTable { region_id: number; lat: number; lng: number }
export interface NeedsTable {
  id: Id; kind: 'wish' | 'collective'; wish_id: number | null; title: string; description: string | null; category: NeedCategory;
  community_id: number | null; region_path: string; lat: number | null; lng: number | null; urgency: Generated<number>; quantity: Generated<number>;
  deadline: string | null; value_fen: Generated<number>; status: Generated<'open' | 'matched' | 'closed'>; created_by: number | null;
  created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface ResourcesTable {
  id: Id; unit_id: number | null; offered_by: number | null; kind: 'goods' | 'service' | 'volunteer_hours' | 'venue' | 'funds' | 'skills'; category: NeedCategory;
  title: string; description: string | null; capacity: number; used: Generated<number>; value_cap_fen: number | null; service_path: string | null;
  lat: number | null; lng: number | null; available_from: string | null; available_until: string | null; conditions: string | null;
  status: Generated<'active' | 'paused' | 'withdrawn'>; created_at: Generated<Date>; updated_at: Generated<Date>;
}
export interface AssignmentProposalsTable { id: Id; season_id: number; status: Generated<'proposed' | 'accepted' | 'discarded'>; wishes: number; placed: number; cost: number; greedy_cost: number; created_by: number | null; created_at: Generated<Date>; scope_path: string | null }
export interface AssignmentItemsTable { proposal_id: number; wish_id: number; unit_id: number; resource_id: number | null; score: number; accepted_at: Timestamp | null; outcome: string | null }

export interface SchemaMigrationsTable { name: string; applied_at: Generated<Date> }
export interface AuthThrottleTable { key: string; account_id: number | null; attempts: number; max_attempts: number; expires_at: Timestamp }
export interface WechatMessagesTable { key: string; received_at: Generated<Date> }
export interface AppSecretsTable { name: string; value: string; created_at: Generated<Date> }
export interface SmsCodesTable { id: Generated<number>; phone: string; code_mac: string; created_at: Generated<Date>; expires_at: Timestamp; tries: Generated<number>; used_at: Timestamp | null }
export interface SignInPolicyTable { id: Generated<boolean>; staff_sms: Generated<boolean>; updated_at: Generated<Date>; updated_by: number | null }
export interface SignInChallengesTable { id: Generated<number>; token_mac: string; account_id: number; code_mac: string; tries: Generated<number>; created_at: Generated<Date>; expires_at: Timestamp; used_at: Timestamp | null }
export interface ProviderTokensTable { name: string; value: string; expires_at: Timestamp }
export interface ImportLocksTable { account_id: number; kind: string; token: string; started_at: Generated<Date> }

export interface Database {
  regions: RegionsTable;
  grids: GridsTable;
  grid_regions: GridRegionsTable;
  grid_workers: GridWorkersTable;
  organisations: OrganisationsTable;
  households: HouseholdsTable;
  persons: PersonsTable;
  roles: RolesTable;
  accounts: AccountsTable;
  account_roles: AccountRolesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  pi_access_log: PiAccessLogTable;
  schema_migrations: SchemaMigrationsTable;
  files: FilesTable;
  seasons: SeasonsTable;
  season_communities: SeasonCommunitiesTable;
  wishes: WishesTable;
  wish_photos: WishPhotosTable;
  wish_claims: WishClaimsTable;
  wish_events: WishEventsTable;
  wish_views: WishViewsTable;
  season_views: SeasonViewsTable;
  notifications: NotificationsTable;
  outbox: OutboxTable;
  wechat_bindings: WechatBindingsTable;
  wechat_bind_codes: WechatBindCodesTable;
  auth_throttle: AuthThrottleTable;
  sms_codes: SmsCodesTable;
  wechat_messages: WechatMessagesTable;
  app_secrets: AppSecretsTable;
  room_owners: RoomOwnersTable;
  room_register: RoomRegisterTable;
  consultations: ConsultationsTable;
  consultation_posts: ConsultationPostsTable;
  votes: VotesTable;
  vote_rooms: VoteRoomsTable;
  vote_participations: VoteParticipationsTable;
  vote_secret_choices: VoteSecretChoicesTable;
  vote_objections: VoteObjectionsTable;
  elevator_projects: ElevatorProjectsTable;
  elevator_stage_records: ElevatorStageRecordsTable;
  alliance_units: AllianceUnitsTable;
  coop_projects: CoopProjectsTable;
  coop_milestones: CoopMilestonesTable;
  stations: StationsTable;
  station_checkins: StationCheckinsTable;
  region_points: RegionPointsTable;
  needs: NeedsTable;
  resources: ResourcesTable;
  assignment_proposals: AssignmentProposalsTable;
  assignment_items: AssignmentItemsTable;
  import_locks: ImportLocksTable;
  sign_in_policy: SignInPolicyTable;
  sign_in_challenges: SignInChallengesTable;
  provider_tokens: ProviderTokensTable;
}

export type Region = Selectable<RegionsTable>;
export type Person = Selectable<PersonsTable>;
export type Account = Selectable<AccountsTable>;
export type NewPerson = Insertable<PersonsTable>;

/** Shapes of the JSON the server answers (see the route files under server/src). */

export type RegionLevel = 'district' | 'street' | 'community' | 'compound' | 'building' | 'unit' | 'room';
export const REGION_LEVELS: RegionLevel[] = ['district', 'street', 'community', 'compound', 'building', 'unit', 'room'];

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface RoleRef { code: string; nameZh: string; nameEn: string }

export interface Region {
  id: number;
  parentId: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  floor?: number | null;
  area?: number | null;
  childCount?: number;
}

export interface RegionNode extends Region { children: RegionNode[] }

export interface RegionCounts {
  streets: number; communities: number; compounds: number; buildings: number; rooms: number; households: number; residents: number;
}

export interface RegionDetail extends Region { ancestors: Region[]; counts: RegionCounts }

export interface Me {
  account: { id: number; username: string; displayName: string; phone: string | null };
  person: { id: number; name: string; sex: 'M' | 'F'; householdId: number | null; address: string | null; community: { id: number; name: string } | null } | null;
  organisation: { id: number; name: string; kind: string } | null;
  allianceUnit: { id: number; name: string; status: 'pending' | 'verified' | 'rejected'; isCommitteeUnit: boolean } | null;
  roles: RoleRef[];
  permissions: string[];
  scope: Region | null;
}

export interface LoginResult extends Me { token: string; csrfToken: string; expiresAt: string }

export interface Person {
  id: number;
  name: string;
  sex: 'M' | 'F';
  birthDate: string | null;
  idNumber: string | null;
  phone: string | null;
  masked: boolean;
  householdId: number | null;
  isHouseholder: boolean;
  regionId: number;
  address: string;
}

export interface HouseholdMember { id: number; name: string; sex: 'M' | 'F'; birthDate: string | null; isHouseholder: boolean }

export interface PersonDetail extends Person { household: HouseholdMember[] }

export interface OrgNode {
  id: number; parentId: number | null; kind: string; kindName: string; name: string; code: string;
  regionId: number | null; regionName: string | null; children: OrgNode[];
}

export interface Role extends RoleRef { permissions: string[] }

export interface Account {
  id: number; username: string; displayName: string; phone: string | null; personId: number | null;
  organisationId: number | null; scopeRegionId: number | null; scopeName: string | null; active: boolean;
  locked: boolean; lastLoginAt: string | null; roles: string[];
}

export interface AuditEntry {
  id: number; at: string; actorId: number | null; actorName: string | null; actorRole: string | null; action: string;
  targetType: string | null; targetId: string | null; summary: unknown; ip: string | null; requestId: string | null; hash: string;
}

export interface AuditVerify { ok: boolean; checked: number; brokenAt?: number; reason?: string }

export interface PiAccess {
  id: number; at: string; actorId: number | null; actorName: string | null; kind: string; targetType: string | null;
  targetId: string | null; fields: string[] | null; purpose: string; ip: string | null;
}

export interface MyHousehold { householdId: number | null; address: string; members: Person[] }

export interface CockpitOverview {
  scope: { id: number; name: string; level: RegionLevel } | null;
  totals: RegionCounts | null;
  breakdown: { id: number; name: string; level: RegionLevel; residents: number; households: number }[];
  at: string;
}

/* ── Micro-wishes (点亮微心愿) ─────────────────────────────────────────── */

export type WishStatus = 'pending_review' | 'published' | 'rejected' | 'claimed' | 'fulfilled' | 'confirmed' | 'withdrawn';
export type WishCategory = 'goods' | 'service' | 'companionship';
export type WishTargetGroup = 'elder' | 'child' | 'disabled' | 'hardship' | 'other';
export type WishChannel = 'h5' | 'visit' | 'import' | 'wechat';

export interface WishPhoto { id: number; kind: 'wish' | 'evidence'; url: string; thumbUrl: string }

/** What anyone may see of a wish: the beneficiary as 王某, never a full name, phone or address. */
export interface PublicWish {
  id: number; code: string; seasonId: number; title: string; story: string;
  category: WishCategory; categoryName: string; targetGroup: WishTargetGroup; targetGroupName: string;
  /** yuan */
  estimatedValue: number;
  status: WishStatus; statusName: string; beneficiary: string; communityId: number; communityName: string;
  claimerName: string | null; publishedAt: string | null; claimedAt: string | null; fulfilledAt: string | null; confirmedAt: string | null;
  rating: number | null; thanks: string | null; viewCount: number; photos: WishPhoto[];
}

export type WishEventKind = 'submitted' | 'published' | 'rejected' | 'withdrawn' | 'edited' | 'claimed' | 'released' | 'revoked' | 'reminded' | 'fulfilled' | 'confirmed';

/** One timeline step; the rest of its fields depend on the kind (claimerName, reason, note, photos, rating, thanks, channel). */
export interface WishTimelineEntry {
  id: number; kind: WishEventKind; at: string;
  claimerName?: string; reason?: string; note?: string; photos?: number; rating?: number; thanks?: string; channel?: WishChannel; byWorker?: boolean;
}

export interface WishDetail extends PublicWish {
  timeline: WishTimelineEntry[];
  reviewStatus?: string;
  reviewReason?: string | null;
  /** Workers in scope and the submitter / beneficiary. */
  channel?: WishChannel;
  visit?: { date: string; visitor: string } | null;
  claimer?: { accountId: number; name: string; dueAt: string; status: string } | null;
  /** Workers in scope only (the server logs each read); the claimer asks POST /api/wishes/:id/contact. */
  beneficiaryContact?: { personId: number; name: string; phone: string | null; address: string; idNumber?: string | null };
  /** What the signed-in caller may do with this wish, decided by the server. */
  abilities?: WishAbilities;
  myClaim?: { status: string; dueAt: string; contactAvailableAt: string };
}

export interface WishAbilities {
  read: boolean; readPrivate: boolean; edit: boolean; withdraw: boolean; addPhotos: boolean; review: boolean; revokeClaim: boolean;
  claim: boolean; withdrawClaim: boolean; fulfil: boolean; contact: boolean; confirm: boolean;
}

/** A row of the workers' list. */
export interface WorkerWish extends PublicWish {
  beneficiaryName: string | null; beneficiaryPhone: string | null; channel: WishChannel; reviewStatus: string; reviewReason: string | null; createdAt: string;
}

export interface MyWishes { submitted: PublicWish[]; claimed: (PublicWish & { myClaimLive: boolean })[] }

export interface Season {
  id: number; name: string; theme: string | null; startsOn: string; endsOn: string;
  /** yuan */
  valueCap: number; claimDays: number; communityIds: number[]; current: boolean;
}

export interface SeasonStatsRow { communityId: number; communityName: string; collected: number; published: number; claimed: number; fulfilled: number; confirmed: number; meanDaysToFulfil: number | null }

export interface SeasonStats {
  season: Season;
  totals: { collected: number; published: number; claimed: number; fulfilled: number; confirmed: number; pageViews: number };
  byCommunity: SeasonStatsRow[];
  topClaimers: { name: string; fulfilled: number }[];
}

/** The live feed (Server-Sent Events, event name "wish"): masked by construction. */
export interface WishLiveEvent {
  type: WishEventKind; wishId: number; code: string; title: string; status: WishStatus;
  communityId: number; communityName: string; beneficiary: string; claimerName: string | null; at: string;
}

export interface AppNotification { id: number; kind: string; title: string; body: string; wishId: number | null; readAt: string | null; createdAt: string }

export interface CockpitWishBranch { communityId: number; communityName: string; total: number; lit: number; claimed: number }

/* ── Consultation, owners' votes, elevator retrofits (红色物业 · 有事好商量) ─────── */

export type ConsultStage = 'propose' | 'deliberate' | 'decide' | 'implement' | 'supervise' | 'evaluate' | 'closed';
export type ConsultParty = 'residents_committee' | 'owners_committee' | 'property_company' | 'grid_worker' | 'experts';
export type ConsultPostKind = 'post' | 'reply' | 'expert_qa' | 'meeting' | 'site_visit' | 'decision' | 'follow_up' | 'evaluation' | 'stage';

export interface Consultation {
  id: number; topic: string; description: string | null; scopeRegionId: number; scopeName: string;
  stage: ConsultStage; stageName: string; parties: ConsultParty[]; createdAt: string;
}

export interface ConsultPost {
  id: number; parentId: number | null; kind: ConsultPostKind; authorName: string; body: string;
  /** meeting / site visit: time, venue, attendees, minutes; stage: from, to; objections: voteId, objectionId, stage, note. */
  meta: Record<string, unknown>; createdAt: string;
}

export type VoteRule = 'major' | 'ordinary' | 'custom';
export type VoteStatus = 'draft' | 'open' | 'closed';
export type VoteChoice = 'agree' | 'disagree' | 'abstain';

export interface VoteSummary { id: number; title: string; rule: VoteRule; status: VoteStatus; secret: boolean; opensAt: string | null; closesAt: string | null }

export interface ConsultationDetail extends Consultation { posts: ConsultPost[]; votes: VoteSummary[] }

export interface VoteThreshold { num: number; den: number; strict: boolean }
export interface VoteThresholds { participation: VoteThreshold; consent: VoteThreshold }

export interface VoteRoom { roomId: number; roomName: string; area: number; voted: boolean; choice?: VoteChoice }
export interface VoteParticipation { roomId: number; roomName: string; area: number; voted: boolean; channel: 'h5' | 'paper' | null; castAt: string | null; choice?: VoteChoice | null }

export interface VoteDetail {
  id: number; consultationId: number; title: string; rule: VoteRule; thresholds: VoteThresholds; secret: boolean;
  opensAt: string | null; closesAt: string | null; status: VoteStatus; noticeDays: number; closedAt: string | null; noticeUntil: string | null;
  /** The caller's rooms whose vote they hold. */
  myRooms: VoteRoom[];
  /** Managers only. */
  participation?: VoteParticipation[];
  counts: { rooms: number; voted: number };
  /** What the caller may do with this vote, decided by the server (consult/policy.ts). */
  abilities: VoteAbilities;
}

export interface VoteAbilities {
  edit: boolean; open: boolean; close: boolean; enterPaperBallot: boolean; castBallot: boolean; viewParticipation: boolean; raiseObjection: boolean; moveObjections: boolean;
}

/** Integers as strings; areas in 0.01 m². */
export interface Fraction { num: string; den: string }
export type RatioKey = 'participationArea' | 'participationHeads' | 'consentArea' | 'consentHeads';

export interface VoteResult {
  passed: boolean; participationPassed: boolean; consentPassed: boolean;
  participationArea: Fraction; participationHeads: Fraction; consentArea: Fraction; consentHeads: Fraction;
  /** Percent, truncated to 4 decimals. */
  percentages: Record<RatioKey, number>;
  tests: Record<RatioKey, boolean>;
  thresholds: VoteThresholds;
  counts: { rooms: number; heads: number; ballots: number; agree: number; disagree: number; abstain: number };
  status: VoteStatus; noticeUntil?: string | null; objectionsOpen?: number; final?: boolean; provisional?: boolean;
}

export type ObjectionStage = 'negotiation' | 'community_mediation' | 'street_mediation' | 'closed';

export type AreaSource = 'registry' | 'survey' | 'contract';

export interface OwnerRow {
  roomId: number; roomName: string; floor: number | null; area: number | null; areaSource: AreaSource;
  ownerPersonIds: number[]; voteHolderPersonId: number | null; unsoldDeveloperUnit: boolean;
}

export type ElevatorStage = 'willingness_survey' | 'vote' | 'owners_agreement' | 'design_notice' | 'objection_handling' | 'planning_review' | 'drawing_review'
  | 'construction_permit' | 'installation_notice' | 'construction' | 'acceptance' | 'use_registration' | 'in_service';
export type ElevatorGroup = 'preparing' | 'approved' | 'under_construction' | 'completed';

export interface ElevatorListItem {
  id: number; unitId: number; unitName: string; community: string | null; stage: ElevatorStage; stageName: string; stageGroup: ElevatorGroup;
  /** yuan */
  totalCost: number; subsidy: number; updatedAt?: string;
}

export interface ElevatorStageRecord {
  stage: ElevatorStage; stageName: string; startedOn: string | null; completedOn: string | null; responsible: string | null;
  documents: { name: string; url?: string }[]; note: string | null;
}

export interface ElevatorShare {
  roomId: number; roomName: string; floor: number | null; area: number | null; coefficient: number;
  shareFen: number; share: number; ownerPersonIds: number[]; unsoldDeveloperUnit: boolean;
}

export interface ElevatorProject extends ElevatorListItem {
  consultationId: number | null; voteId: number | null; floorCoefficients: Record<string, number>;
  stages: ElevatorStageRecord[]; shares: ElevatorShare[];
}

export interface ElevatorDashboard {
  total: number; completed?: number; approvedOrUnderConstruction?: number;
  byGroup: Partial<Record<ElevatorGroup, number>>;
  byStage: { stage: ElevatorStage; stageName: string; count: number }[];
  byCommunity: { communityId?: number; communityName: string; total: number; completed: number; approvedOrUnderConstruction: number }[];
}

/**
 * Shapes of the JSON the server answers. Each type is the wire side (`z.input`) of the
 * route's response schema in server/src/modules/<module>/schemas.ts: the serializer
 * sends exactly what those schemas declare, so these types cannot drift from it.
 * `import type` only: nothing from the server is bundled into the web apps.
 */
import type { z } from 'zod';
import type * as audit from '@server/modules/audit/schemas.js';
import type * as cockpit from '@server/modules/cockpit/schemas.js';
import type * as consult from '@server/modules/consult/schemas.js';
import type * as orgs from '@server/modules/orgs/schemas.js';
import type * as people from '@server/modules/people/schemas.js';
import type * as regions from '@server/modules/regions/schemas.js';
import type * as wishes from '@server/modules/wishes/schemas.js';

type Wire<T extends z.ZodType> = z.input<T>;

export type RegionLevel = Wire<typeof regions.regionLevel>;
export const REGION_LEVELS: RegionLevel[] = ['district', 'street', 'community', 'compound', 'building', 'unit', 'room'];

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export type RoleRef = Wire<typeof people.roleRef>;
export type Region = Wire<typeof regions.region>;
export type RegionNode = Wire<typeof regions.regionNode>;
export type RegionCounts = Wire<typeof regions.regionCounts>;
export type RegionDetail = Wire<typeof regions.regionDetail>;

export type Me = Wire<typeof people.me>;
export type LoginResult = Wire<typeof people.loginResult>;
export type Person = Wire<typeof people.person>;
export type HouseholdMember = Wire<typeof people.householdMember>;
export type PersonDetail = Wire<typeof people.personDetail>;
export type MyHousehold = Wire<typeof people.myHousehold>;
export type Role = Wire<typeof people.role>;
export type Account = Wire<typeof people.account>;
export type AppNotification = Wire<typeof people.notification>;

export type OrgNode = Wire<typeof orgs.orgNode>;

export type AuditEntry = Wire<typeof audit.auditEntry>;
export type AuditVerify = Wire<typeof audit.auditVerify>;
export type PiAccess = Wire<typeof audit.piAccess>;

/** The overview's own numbers (each module may add a map of counts under a key of its own). */
export type CockpitOverview = Wire<typeof cockpit.cockpitOverviewCore>;

/* ── Micro-wishes (点亮微心愿) ─────────────────────────────────────────── */

export type WishStatus = Wire<typeof wishes.wishStatus>;
export type WishCategory = Wire<typeof wishes.wishCategory>;
export type WishTargetGroup = Wire<typeof wishes.wishTargetGroup>;
export type WishChannel = Wire<typeof wishes.wishChannel>;
export type WishEventKind = Wire<typeof wishes.wishEventKind>;
export type WishPhoto = Wire<typeof wishes.wishPhoto>;
/** What anyone may see of a wish: the beneficiary as 王某, never a full name, phone or address. */
export type PublicWish = Wire<typeof wishes.publicWish>;
/** One timeline step; the rest of its fields depend on the kind. */
export type WishTimelineEntry = Wire<typeof wishes.wishTimelineEntry>;
export type WishAbilities = Wire<typeof wishes.wishAbilities>;
/** GET /api/wishes/:id (GET /api/public/wishes/:id answers PublicWishDetail, a part of it). */
export type WishDetail = Wire<typeof wishes.wishDetail>;
export type PublicWishDetail = Wire<typeof wishes.publicWishDetail>;
/** A row of the workers' list. */
export type WorkerWish = Wire<typeof wishes.workerWish>;
export type MyWishes = Wire<typeof wishes.myWishes>;
export type Season = Wire<typeof wishes.season>;
export type SeasonStatsRow = Wire<typeof wishes.seasonStatsRow>;
export type SeasonStats = Wire<typeof wishes.seasonStats>;
/** The live feed (Server-Sent Events, event name "wish"): masked by construction. */
export type WishLiveEvent = Wire<typeof wishes.wishLiveEvent>;
export type CockpitWishBranch = Wire<typeof wishes.cockpitWishBranch>;

/* ── Consultation, owners' votes, elevator retrofits (红色物业 · 有事好商量) ─────── */

export type ConsultStage = Wire<typeof consult.consultStage>;
export type ConsultParty = Wire<typeof consult.consultParty>;
export type ConsultPostKind = Wire<typeof consult.consultPostKind>;
export type Consultation = Wire<typeof consult.consultation>;
export type ConsultPost = Wire<typeof consult.consultPost>;
export type VoteRule = Wire<typeof consult.voteRule>;
export type VoteStatus = Wire<typeof consult.voteStatus>;
export type VoteChoice = Wire<typeof consult.voteChoice>;
export type VoteSummary = Wire<typeof consult.voteSummary>;
export type ConsultationDetail = Wire<typeof consult.consultationDetail>;
export type VoteThreshold = Wire<typeof consult.voteThreshold>;
export type VoteThresholds = Wire<typeof consult.voteThresholds>;
export type VoteRoom = Wire<typeof consult.voteRoom>;
export type VoteParticipation = Wire<typeof consult.voteParticipation>;
/** What the caller may do with a vote, decided by the server (consult/policy.ts). */
export type VoteAbilities = Wire<typeof consult.voteAbilities>;
export type VoteDetail = Wire<typeof consult.voteDetail>;
/** Integers as strings; areas in 0.01 m². */
export type Fraction = Wire<typeof consult.fraction>;
export type RatioKey = keyof Wire<typeof consult.tallyResult>['percentages'];
export type VoteResult = Wire<typeof consult.voteResult>;
export type ObjectionStage = Wire<typeof consult.objectionStage>;
export type AreaSource = Wire<typeof consult.areaSource>;
export type OwnerRow = Wire<typeof consult.ownerRow>;
export type ElevatorStage = Wire<typeof consult.elevatorStage>;
export type ElevatorGroup = Wire<typeof consult.elevatorGroup>;
export type ElevatorListItem = Wire<typeof consult.elevatorListItem>;
export type ElevatorStageRecord = Wire<typeof consult.elevatorStageRecord>;
export type ElevatorShare = Wire<typeof consult.elevatorShare>;
export type ElevatorProject = Wire<typeof consult.elevatorProject>;
export type ElevatorDashboard = Wire<typeof consult.elevatorDashboard>;

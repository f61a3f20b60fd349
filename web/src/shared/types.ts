/**
 * Shapes of the JSON the server answers. Each type is the wire side (`z.input`) of the
 * route's response schema in server/src/modules/<module>/schemas.ts: the serializer
 * sends exactly what those schemas declare, so these types cannot drift from it.
 * `import type` only: nothing from the server is bundled into the web apps.
 */
import type { z } from 'zod';
import type * as alliance from '@server/modules/alliance/schemas.js';
import type * as audit from '@server/modules/audit/schemas.js';
import type * as cockpit from '@server/modules/cockpit/schemas.js';
import type * as figures from '@server/modules/cockpit/public-figures-schemas.js';
import type * as consult from '@server/modules/consult/schemas.js';
import type * as orgs from '@server/modules/orgs/schemas.js';
import type * as people from '@server/modules/people/schemas.js';
import type * as property from '@server/modules/property/schemas.js';
import type * as practical from '@server/modules/property/practical-schemas.js';
import type * as compound from '@server/modules/property/compound-schemas.js';
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
export type Grid = Wire<typeof regions.grid>;

export type Me = Wire<typeof people.me>;
export type LoginResult = Wire<typeof people.loginResult>;
export type SecondFactor = Wire<typeof people.secondFactorChallenge>['secondFactor'];
export type SignInPolicy = Wire<typeof people.signInPolicy>;
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
export type CockpitOverview = Wire<typeof cockpit.cockpitOverviewCore> & { [module: string]: unknown };
export type PublicFigures = Wire<typeof figures.publicFigures>;
/** GET /api/cockpit/:level/:regionId/wishes: the region's wish numbers and its live feed of lit wishes. */
export type CockpitWishesPanel = Wire<typeof cockpit.wishesPanel>;
/** The other drill-down panels (GET /api/cockpit/:level/:regionId/…) and the screen's map (GET /api/cockpit/map). */
export type CockpitPopulationPanel = Wire<typeof cockpit.populationPanel>;
export type CockpitAlliancePanel = Wire<typeof cockpit.alliancePanel>;
export type CockpitPropertyPanel = Wire<typeof cockpit.propertyPanel>;
export type CockpitPartyPanel = Wire<typeof cockpit.partyPanel>;
export type CockpitBrainPanel = Wire<typeof cockpit.brainPanel>;
export type CockpitMap = Wire<typeof cockpit.cockpitMap>;

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

/* ── Red Property: service positions, rooms and bookings; service requests (红色物业) ───────── */

export type PositionLevel = Wire<typeof property.positionLevel>;
export type RoomKind = Wire<typeof property.roomKind>;
export type WhoMayBook = Wire<typeof property.whoMayBook>;
export type BookingStatus = Wire<typeof property.bookingStatus>;
export type FunctionRoom = Wire<typeof property.room>;
/** The console's list row (GET /api/positions/managed): stopped positions and rooms too. */
export type ManagedPosition = Wire<typeof property.managedPosition>;
export type PositionDetail = Wire<typeof property.positionDetail>;
export type Booking = Wire<typeof property.booking>;
export type BookingStatsRow = Wire<typeof property.bookingStatsRow>;
export type BookingStats = Wire<typeof property.bookingStats>;
export type RoomQr = Wire<typeof property.roomQr>;
export type RequestStatus = Wire<typeof property.requestStatus>;
export type RequestTeam = Wire<typeof property.requestTeam>;
export type RequestOutcome = Wire<typeof property.requestOutcome>;
export type RequestChannel = Wire<typeof property.requestChannel>;
export type ServiceType = Wire<typeof property.serviceType>;
/** The console's category row: inactive ones too. */
export type ManagedServiceType = Wire<typeof property.managedServiceType>;
export type ServiceRequestItem = Wire<typeof property.requestListItem>;
/** What the caller may do with a request now, decided by the server (property/requests-policy.ts). */
export type RequestAbilities = Wire<typeof property.requestAbilities>;
export type ServiceRequestDetail = Wire<typeof property.requestDetail>;
export type RequestAssignee = Wire<typeof property.requestAssignee>;
export type RequestStatsRow = Wire<typeof property.requestStatsRow>;
export type RequestStats = Wire<typeof property.requestStats>;
export type Open311Client = Wire<typeof property.open311Client>;
/** The public register's position (GET /api/positions): open rooms with their booking rules, no door codes. */
export type ServicePosition = Wire<typeof property.position>;
/** A room's day in 30-minute slots (GET /api/rooms/:id/slots). */
export type RoomSlots = Wire<typeof property.roomSlots>;
export type AttributeDef = Wire<typeof property.attributeDef>;
/** A compound's centre for a point on the map (GET /api/service-areas). */
export type ServiceArea = Wire<typeof property.serviceArea>;
export type RequestTimelineEntry = Wire<typeof property.requestTimelineEntry>;
/** The live channel (Server-Sent Events, event name "request"): a step of a request the caller may read. */
export type RequestLiveEvent = Wire<typeof property.requestLiveEvent>;

/* ── Practical matters (暖心实事) ─────────────────────────────────────────── */

type PracticalResponses = typeof practical.practicalResponses;
export type MatterStatus = Wire<typeof practical.matterStatus>;
export type MatterCategory = Wire<typeof practical.matterCategory>;
export type MatterUnitKind = Wire<typeof practical.unitKind>;
export type MatterUnitRole = Wire<typeof practical.unitRole>;
/** A row of the public list (GET /api/practical-matters) and of the console's (…/managed). */
export type PracticalMatterItem = Wire<typeof practical.practicalListItem>;
/** The public page (GET /api/practical-matters/:id): no person on it. */
export type PracticalMatter = Wire<typeof practical.practicalDetail>;
/** The console page (GET /api/practical-matters/:id/manage): plus spending, comments and the caller's abilities. */
export type PracticalMatterManaged = Wire<PracticalResponses['workerDetail'][200]>;
export type PracticalDashboard = Wire<PracticalResponses['dashboard'][200]>;
export type PracticalSpendingResult = Wire<PracticalResponses['spending'][200]>;
/** GET /api/practical-matters/:id/survey: may my household answer, has it answered. */
export type PracticalMySurvey = Wire<PracticalResponses['mySurvey'][200]>;
export type PracticalSurveyAnswered = Wire<PracticalResponses['answered'][201]>;

/* ── Four-party linkage and the demonstration compounds (四方联动 · 红色物业示范小区) ───────── */

type CompoundResponses = typeof compound.compoundResponses;
export type PartyKind = Wire<typeof compound.partyKind>;
export type FollowUpStatus = Wire<typeof compound.followUpStatus>;
export type RankingComponent = Wire<typeof compound.rankingComponent>;
/** GET /api/compounds/:regionId/parties: who is who per party (phones masked), badges, cross-appointments, the caller's abilities. */
export type CompoundParties = Wire<CompoundResponses['parties'][200]>;
export type CompoundParty = CompoundParties['groups'][number]['parties'][number];
export type CompoundMember = CompoundParty['members'][number];
export type CompoundMeeting = Wire<CompoundResponses['meetings'][200]>['items'][number];
export type CompoundFollowUp = CompoundMeeting['followUps'][number];
/** A row of GET /api/me/follow-ups: a joint-meeting follow-up the caller owns. */
export type MyFollowUp = Wire<CompoundResponses['followUps'][200]>['items'][number];
export type CompoundMyRating = Wire<CompoundResponses['myRating'][200]>;
export type CompoundRated = Wire<CompoundResponses['rated'][201]>;
export type CompoundAssessment = Wire<CompoundResponses['assessment'][200]>;
export type CompoundAssessed = Wire<CompoundResponses['assessed'][200]>;
/** GET /api/compounds/ranking: the month, the formula (text, notes, weights) and the compounds with each component. */
export type CompoundRanking = Wire<CompoundResponses['ranking'][200]>;
export type CompoundRankingItem = CompoundRanking['items'][number];

/* ── Convenience stations (锋小巢 / 歇歇脚), managed from the console (红色联盟) ─────────── */

export type StationKind = Wire<typeof alliance.stationKind>;
export type StationService = Wire<typeof alliance.stationService>;
export type StationStatus = Wire<typeof alliance.stationStatus>;
/** The console's list row (GET /api/stations/managed): closed stations too, check-ins in the period and in all. */
export type ManagedStation = Wire<typeof alliance.managedStation>;
/** The answer to close and reopen. */
export type StationState = Wire<typeof alliance.stationState>;
export type StationStatsRow = Wire<typeof alliance.stationStatsRow>;
/** GET /api/stations/stats: `months` labels the columns of each row's `months` counts. */
export type StationStats = Wire<typeof alliance.stationStats>;

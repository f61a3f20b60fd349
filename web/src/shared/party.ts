/**
 * Smart party-building (智慧党建): the shapes the server answers. Types are the wire side of
 * server/src/modules/party/schemas.ts (types only, nothing bundled).
 */
import type { z } from 'zod';
import type * as schemas from '@server/modules/party/schemas.js';

type Wire<T extends z.ZodType> = z.input<T>;

export type PartyMemberStatus = Wire<typeof schemas.memberStatus>;
export type PartyTransferStatus = Wire<typeof schemas.transferStatus>;
export type PartyMember = Wire<typeof schemas.partyMember>;
export type PartyTransfer = Wire<typeof schemas.partyTransfer>;

/** The statuses in the server's order (party/tables.ts). */
export const PARTY_MEMBER_STATUSES = ['probationary', 'full'] as const satisfies readonly PartyMemberStatus[];
export const PARTY_TRANSFER_STATUSES = ['pending', 'accepted', 'rejected'] as const satisfies readonly PartyTransferStatus[];

/* Organisation life (三会一课) and points (积分). */
type R = typeof schemas.activityResponses;
export type ActivityKind = Wire<typeof schemas.activityKind>;
export type PartyActivity = Wire<R['activities'][200]>['items'][number];
export type PartyActivityDetail = Wire<R['activity'][200]>;
export type AttendanceStats = Wire<R['stats'][200]>;
export type PointsLedger = Wire<R['ledger'][200]>;
export type PointRankings = Wire<R['rankings'][200]>;
export type PointRule = Wire<typeof schemas.pointRule>;
export type MyParty = Wire<R['me'][200]>;
export type CheckinResult = Wire<R['checkin'][200]>;
export const ACTIVITY_KINDS = ['general_meeting', 'committee_meeting', 'group_meeting', 'lecture', 'theme_day'] as const satisfies readonly ActivityKind[];
export type VolunteerPost = Wire<typeof schemas.volunteerPost>;

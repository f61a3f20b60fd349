/** Red Alliance (红色联盟): the three lists, projects, stations — shapes shared by the H5 and the console. */
import type { z } from 'zod';
import type * as schemas from '@server/modules/alliance/schemas.js';

export const NEED_CATEGORIES = ['goods', 'service', 'companionship', 'venue', 'tutoring', 'funds'] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];
export const RESOURCE_KINDS = ['goods', 'service', 'volunteer_hours', 'venue', 'funds', 'skills'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const STATION_SERVICES = ['rest', 'water', 'charging', 'restroom', 'express', 'housekeeping', 'entrepreneurship', 'express_agency'] as const;

/** The resource kind that goes with a category by default. */
export const KIND_OF_CATEGORY: Record<NeedCategory, ResourceKind> = {
  goods: 'goods', service: 'service', companionship: 'volunteer_hours', venue: 'venue', tutoring: 'skills', funds: 'funds',
};

// The shapes the server answers: the wire side of server/src/modules/alliance/schemas.ts (types only, nothing bundled).
type Wire<T extends z.ZodType> = z.input<T>;
export type MatchReason = Wire<typeof schemas.matchReason>;
/** The roster entry; the contact's phone masked. */
export type AllianceUnit = Wire<typeof schemas.allianceUnit>;
export type Need = Wire<typeof schemas.need>;
export type Resource = Wire<typeof schemas.resource>;
export type Suggestion = Wire<typeof schemas.suggestion>;
export type MatchingNeed = Wire<typeof schemas.matchingNeed>;
export type ProjectSummary = Wire<typeof schemas.projectSummary>;
export type Milestone = Wire<typeof schemas.milestone>;
export type Project = Wire<typeof schemas.project>;
export type Station = Wire<typeof schemas.station>;
export type ProposalItem = Wire<typeof schemas.proposalItem>;
export type Proposal = Wire<typeof schemas.proposal>;

/** The reasons worth showing first: the strongest contributions. */
export function topReasons(reasons: MatchReason[], n = 2): MatchReason[] {
  return [...reasons].sort((a, b) => b.score * b.weight - a.score * a.weight).slice(0, n);
}

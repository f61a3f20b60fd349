import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { binary, code, day, instant, int, itemsOf, XLSX } from '../../core/response.js';

/**
 * Response schemas of the alliance, three-lists, matching and station routes (see core/response.ts).
 * The enums repeat the services' lists (the web imports this file); tests/api/response-schemas.test.ts checks them.
 */

export const unitKind = z.enum(['community', 'enterprise', 'social_org', 'institution', 'industry']);
export const unitStatus = z.enum(['pending', 'verified', 'rejected']);
export const needCategory = z.enum(['goods', 'service', 'companionship', 'venue', 'tutoring', 'funds']);
export const resourceKind = z.enum(['goods', 'service', 'volunteer_hours', 'venue', 'funds', 'skills']);
export const projectStatus = z.enum(['planned', 'active', 'done', 'cancelled']);
export const stationKind = z.enum(['fengxiaochao', 'xiexiejiao']);
export const stationService = z.enum(['rest', 'water', 'charging', 'restroom', 'express', 'housekeeping', 'entrepreneurship', 'express_agency']);
export const stationStatus = z.enum(['open', 'closed']);

/** The roster entry: the contact's phone masked. */
export const allianceUnit = z.object({
  id: int, name: z.string(), kind: unitKind, kindName: z.string(), isCommitteeUnit: z.boolean(), committeeTerm: z.string().nullable(), committee: z.string(),
  status: unitStatus, tags: z.array(z.string()), contactName: z.string().nullable(), contactPhone: z.string().nullable(), lat: z.number().nullable(), lng: z.number().nullable(),
  record: z.object({ wishesClaimed: int, wishesFulfilled: int, projects: int, volunteerHours: z.number() }),
});

export const projectSummary = z.object({
  id: int, title: z.string(), description: z.string().nullable(), status: projectStatus, budget: z.number().describe('元'), ownerUnit: z.string(),
  partnerCount: int, progress: int.describe('0–100'), createdAt: instant,
});

export const milestone = z.object({ id: int, title: z.string(), weight: int, dueOn: day.nullable(), doneAt: instant.nullable(), note: z.string().nullable() });

export const project = z.object({
  id: int, title: z.string(), description: z.string().nullable(), status: projectStatus, budget: z.number().describe('元'), ownerUnit: z.string(),
  needId: int.nullable(), resourceId: int.nullable(), partners: z.array(z.object({ id: int, name: z.string() })), progress: int.describe('0–100'),
  milestones: z.array(milestone),
});

export const allianceStatsRow = z.object({
  id: int, name: z.string(), resources: int, needsMet: int, projects: int, volunteerHours: z.number(), stationCheckins: int.optional().describe('by=community'),
});

export const station = z.object({
  id: int, name: z.string(), kind: stationKind, kindName: z.string(), lat: z.number(), lng: z.number(), address: z.string(), openingHours: z.string(),
  services: z.array(z.string()), serviceNames: z.array(z.string()), ownerUnit: z.string().nullable(), checkins: int, distanceKm: z.number().nullable(),
});

/** The console's station (GET /api/stations/managed): closed ones too, with the contact on duty and check-ins in the period and in all. */
export const managedStation = z.object({
  id: int, name: z.string(), kind: code(stationKind), kindName: z.string(), status: code(stationStatus), closedReason: z.string().nullable(), closedAt: instant.nullable(),
  regionId: int, communityName: z.string(), streetName: z.string().nullable(), address: z.string(), lat: z.number(), lng: z.number(), openingHours: z.string(),
  services: z.array(z.string()), serviceNames: z.array(z.string()), ownerUnitId: int.nullable(), ownerUnit: z.string().nullable(),
  contactName: z.string().nullable(), contactPhone: z.string().nullable(), description: z.string().nullable(),
  checkins: int.describe('到站人次（from–to）'), checkinsTotal: int, createdAt: instant, updatedAt: instant,
});
export const stationState = z.object({ id: int, status: code(stationStatus), closedReason: z.string().nullable(), closedAt: instant.nullable() });
/** A row of the check-in statistics: a station (communityName, status) or a community (stations, openStations); `months` lines up with the answer's months. */
export const stationStatsRow = z.object({
  id: int, name: z.string(), communityName: z.string().nullable(), status: code(stationStatus).nullable(), stations: int, openStations: int, months: z.array(int), total: int,
});
export const stationStats = z.object({
  by: z.enum(['station', 'community']), from: z.string().describe('YYYY-MM'), to: z.string().describe('YYYY-MM'), months: z.array(z.string()),
  items: z.array(stationStatsRow), totals: z.array(int), total: int,
});

/** A need of the needs list; a wish's story is not repeated here (description only of collective needs). */
export const need = z.object({
  id: int, kind: z.enum(['wish', 'collective']), wishId: int.nullable(), title: z.string(), description: z.string().nullable().optional(), category: needCategory,
  urgency: int, quantity: int, deadline: day.nullable(), value: z.number().describe('元'), status: z.enum(['open', 'matched', 'closed']), communityName: z.string().nullable(),
});

export const resource = z.object({
  id: int, kind: resourceKind, category: needCategory, title: z.string(), description: z.string().nullable(), capacity: int, used: int, remaining: int,
  valueCap: z.number().nullable().describe('元'), availableFrom: day.nullable(), availableUntil: day.nullable(), conditions: z.string().nullable(),
  unitId: int.nullable(), unitName: z.string().nullable(),
});

export const matchReason = z.object({ factor: z.enum(['category', 'distance', 'capacity', 'reliability', 'fairness']), score: z.number(), weight: z.number(), text: z.string() });

export const suggestion = z.object({
  resourceId: int, resourceTitle: z.string(), unitId: int.nullable(), unitName: z.string().nullable(), remaining: int, score: z.number(), reasons: z.array(matchReason),
});

export const matchingNeed = z.object({
  needId: int, wishId: int.nullable(), title: z.string(), category: needCategory, communityName: z.string().nullable(), urgency: int,
  score: z.number(), reasons: z.array(matchReason), resourceId: int,
});

export const proposalItem = z.object({
  wishId: int, wishTitle: z.string(), unitId: int, unitName: z.string(), resourceId: int.nullable(), score: z.number(), acceptedAt: instant.nullable(), outcome: z.string().nullable(),
});
export const proposal = z.object({
  id: int, seasonId: int, status: z.enum(['proposed', 'accepted', 'discarded']), wishes: int, placed: int, cost: z.number(), greedyCost: z.number(), items: z.array(proposalItem),
});

export const allianceResponses = {
  units: { 200: pageOf(allianceUnit) },
  applied: { 201: z.object({ id: int, status: unitStatus }) },
  reviewed: { 200: z.object({ id: int, status: code(unitStatus) }) },
  projects: { 200: pageOf(projectSummary) },
  project: { 200: project },
  projectCreated: { 201: project },
  stats: { 200: itemsOf(allianceStatsRow) },
  statsExport: { 200: binary(XLSX, '联盟统计') },
};

export const stationResponses = {
  stations: { 200: pageOf(station) },
  checkin: { 200: z.object({ stationId: int, checkins: int }) },
  managed: { 200: pageOf(managedStation).extend({ from: day, to: day }) },
  created: { 201: z.object({ id: int }) },
  updated: { 200: z.object({ id: int }) },
  state: { 200: stationState },
  export: { 200: binary(XLSX, '便民服务站（导入模板的列 + 状态与到站人次）') },
  template: { 200: binary(XLSX, '便民服务站导入模板') },
  imported: { 201: z.object({ created: int, updated: int, ids: z.array(int) }) },
  stats: { 200: stationStats },
  statsExport: { 200: binary(XLSX, '便民服务站到站统计') },
};

export const matchingResponses = {
  needs: { 200: pageOf(need) },
  needCreated: { 201: z.object({ id: int, status: code(z.literal('open')) }) },
  resources: { 200: pageOf(resource) },
  resourceOffered: { 201: z.object({ id: int, status: code(z.literal('active')) }) },
  suggestions: {
    200: z.object({ need: z.object({ id: int, title: z.string(), category: needCategory, status: z.enum(['open', 'matched', 'closed']) }), items: z.array(suggestion) }),
  },
  forMe: { 200: itemsOf(matchingNeed) },
  proposed: { 201: proposal },
  proposal: { 200: proposal },
  accepted: { 200: z.object({ claimed: int, skipped: int, proposal }) },
};

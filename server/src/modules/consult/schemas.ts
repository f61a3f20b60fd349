import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { binary, code, day, instant, int, itemsOf, jsonColumn, XLSX } from '../../core/response.js';

/**
 * Response schemas of the consultation, owner-register, vote and elevator routes (see core/response.ts).
 * The enums repeat the services' lists (the web imports this file, which must not pull in
 * server code); tests/api/response-schemas.test.ts checks that they agree.
 */

export const areaSource = z.enum(['registry', 'survey', 'contract']);

/** A room of the owner register: owners by person id only (names and ID numbers stay in people). */
export const ownerRow = z.object({
  roomId: int, roomName: z.string(), floor: int.nullable(), area: z.number().nullable(), areaSource,
  buildingName: z.string().nullable().describe('所在楼栋'), unitName: z.string().nullable().describe('所在单元（无单元的楼栋为空）'),
  ownerPersonIds: z.array(int), voteHolderPersonId: int.nullable(), unsoldDeveloperUnit: z.boolean(),
});

export const consultStage = z.enum(['propose', 'deliberate', 'decide', 'implement', 'supervise', 'evaluate', 'closed']);
export const consultParty = z.enum(['residents_committee', 'owners_committee', 'property_company', 'grid_worker', 'experts']);
export const consultPostKind = z.enum(['post', 'reply', 'expert_qa', 'meeting', 'site_visit', 'decision', 'follow_up', 'evaluation', 'stage']);

export const consultation = z.object({
  id: int, topic: z.string(), description: z.string().nullable(), scopeRegionId: int, scopeName: z.string(),
  stage: consultStage, stageName: z.string(), parties: jsonColumn(z.array(consultParty)), createdAt: instant,
});

export const consultPost = z.object({
  id: int, parentId: int.nullable(), kind: code(consultPostKind), authorName: z.string(), body: z.string(),
  /** Meeting / site visit: time, venue, attendees, minutes; stage: from, to; objections: voteId, objectionId, stage, note. */
  meta: jsonColumn(z.record(z.string(), z.unknown())),
  createdAt: instant,
});

export const voteRule = z.enum(['major', 'ordinary', 'custom']);
export const voteStatus = z.enum(['draft', 'open', 'closed']);
export const voteChoice = z.enum(['agree', 'disagree', 'abstain']);

export const voteSummary = z.object({ id: int, title: z.string(), rule: voteRule, status: voteStatus, secret: z.boolean(), opensAt: instant.nullable(), closesAt: instant.nullable() });

export const consultationDetail = consultation.extend({ posts: z.array(consultPost), votes: z.array(voteSummary) });

export const voteThreshold = z.object({ num: int, den: int, strict: z.boolean() });
export const voteThresholds = z.object({ participation: voteThreshold, consent: voteThreshold });

/** presentVote: the settings; never the secret ballot key. */
export const vote = z.object({
  id: int, consultationId: int, title: z.string(), rule: voteRule, thresholds: voteThresholds, secret: z.boolean(),
  opensAt: instant.nullable(), closesAt: instant.nullable(), status: code(voteStatus), noticeDays: int, closedAt: instant.nullable(), noticeUntil: instant.nullable(),
});

export const voteAbilities = z.object({
  edit: z.boolean(), open: z.boolean(), close: z.boolean(), enterPaperBallot: z.boolean(), castBallot: z.boolean(),
  viewParticipation: z.boolean(), raiseObjection: z.boolean(), moveObjections: z.boolean(),
});

/** The caller's rooms whose vote they hold; how they voted only in an open (not secret) vote. */
export const voteRoom = z.object({ roomId: int, roomName: z.string(), area: z.number(), voted: z.boolean(), choice: voteChoice.optional() });
/** Managers: who voted and how they took part; the choice only in an open (not secret) vote. */
export const voteParticipation = z.object({
  roomId: int, roomName: z.string(), area: z.number(), voted: z.boolean(), channel: z.enum(['h5', 'paper']).nullable(), castAt: instant.nullable(),
  choice: voteChoice.nullable().optional(),
});

export const voteDetail = vote.extend({
  myRooms: z.array(voteRoom),
  participation: z.array(voteParticipation).optional(),
  counts: z.object({ rooms: int, voted: int }),
  abilities: voteAbilities,
});

/** Integers as strings (areas in 0.01 m²): exact, never rounded. */
export const fraction = z.object({ num: z.string().regex(/^\d+$/), den: z.string().regex(/^\d+$/) });
const ratios = <T extends z.ZodType>(t: T) => z.object({ participationArea: t, participationHeads: t, consentArea: t, consentHeads: t });

/** tally(): the four ratios of Civil Code art. 278, the tests against the thresholds, the counts. */
export const tallyResult = z.object({
  passed: z.boolean(), participationPassed: z.boolean(), consentPassed: z.boolean(),
  participationArea: fraction, participationHeads: fraction, consentArea: fraction, consentHeads: fraction,
  percentages: ratios(z.number()).describe('percent, truncated to 4 decimals'),
  tests: ratios(z.boolean()),
  thresholds: voteThresholds,
  counts: z.object({ rooms: int, heads: int, ballots: int, agree: int, disagree: int, abstain: int }),
});

export const voteResult = tallyResult.extend({
  voteId: int, status: voteStatus,
  noticeUntil: instant.nullable().optional(), objectionsOpen: int.optional(), final: z.boolean().optional(), provisional: z.boolean().optional(),
});

export const objectionStage = z.enum(['negotiation', 'community_mediation', 'street_mediation', 'closed']);
export const objectionStep = z.object({ stage: objectionStage, at: z.iso.datetime(), by: z.string(), note: z.string().optional() });
export const objection = z.object({
  id: int, body: z.string(), stage: objectionStage, history: jsonColumn(z.array(objectionStep)), raisedBy: z.string().nullable(), createdAt: instant, updatedAt: instant,
});

export const elevatorStage = z.enum([
  'willingness_survey', 'vote', 'owners_agreement', 'design_notice', 'objection_handling', 'planning_review', 'drawing_review',
  'construction_permit', 'installation_notice', 'construction', 'acceptance', 'use_registration', 'in_service',
]);
export const elevatorGroup = z.enum(['preparing', 'approved', 'under_construction', 'completed']);

export const elevatorListItem = z.object({
  id: int, unitId: int, unitName: z.string(), community: z.string().nullable(), stage: code(elevatorStage), stageName: z.string(), stageGroup: elevatorGroup,
  totalCost: z.number().describe('元'), subsidy: z.number().describe('元'), updatedAt: instant,
});

export const elevatorStageRecord = z.object({
  stage: code(elevatorStage), stageName: z.string(), startedOn: day.nullable(), completedOn: day.nullable(), responsible: z.string().nullable(),
  documents: jsonColumn(z.array(z.object({ name: z.string(), url: z.string().optional() }))), note: z.string().nullable(),
});

/** A room's share of the cost; an owner sees only their own rooms'. */
export const elevatorShare = z.object({
  roomId: int, roomName: z.string(), floor: int.nullable(), area: z.number().nullable(), coefficient: z.number(),
  shareFen: int, share: z.number().describe('元'), ownerPersonIds: z.array(int), unsoldDeveloperUnit: z.boolean(),
});

export const elevatorProject = z.object({
  id: int, unitId: int, unitName: z.string(), stage: code(elevatorStage), stageName: z.string(), stageGroup: elevatorGroup,
  consultationId: int.nullable(), voteId: int.nullable(), totalCost: z.number().describe('元'), subsidy: z.number().describe('元'),
  floorCoefficients: z.record(z.string(), z.number()), stages: z.array(elevatorStageRecord), shares: z.array(elevatorShare),
});

export const elevatorDashboard = z.object({
  total: int, completed: int.optional(), approvedOrUnderConstruction: int.optional(),
  byGroup: z.object({ preparing: int, approved: int, under_construction: int, completed: int }).partial(),
  byStage: z.array(z.object({ stage: elevatorStage, stageName: z.string(), count: int })),
  byCommunity: z.array(z.object({ communityId: int, communityName: z.string(), total: int, completed: int, approvedOrUnderConstruction: int })),
});

export const consultResponses = {
  owners: { 200: pageOf(ownerRow) },
  ownersExport: { 200: binary(XLSX, '业主名册（身份证号脱敏）') },
  ownersTemplate: { 200: binary(XLSX, '业主名册导入模板') },
  ownersImported: { 201: z.object({ imported: int }) },
  ownerUpdated: {
    200: z.object({
      roomId: int, ownerPersonIds: z.array(int), voteHolderPersonId: int.nullable(), area: z.number().optional(), areaSource: areaSource.optional(),
      unsoldDeveloperUnit: z.boolean().optional(),
    }),
  },
  consultations: { 200: pageOf(consultation) },
  consultationCreated: { 201: consultation },
  consultation: { 200: consultationDetail },
  postAdded: { 201: z.object({ id: int, kind: code(consultPostKind), body: z.string(), createdAt: instant }) },
  stage: { 200: z.object({ id: int, stage: consultStage, stageName: z.string() }) },
  voteCreated: { 201: vote },
  vote: { 200: voteDetail },
  voteUpdated: { 200: vote },
  voteOpened: { 200: vote.extend({ rooms: int, heads: int }) },
  ballot: { 200: z.object({ voteId: int, roomId: int, channel: code(z.enum(['h5', 'paper'])), recorded: z.boolean() }) },
  scan: { 201: z.object({ fileId: int }) },
  voteClosed: { 200: tallyResult.extend({ voteId: int, status: code(z.literal('closed')), noticeUntil: z.iso.datetime() }) },
  voteResult: { 200: voteResult },
  objectionRaised: { 201: z.object({ id: int, stage: objectionStage }) },
  objections: { 200: itemsOf(objection) },
  objectionMoved: { 200: z.object({ id: int, stage: objectionStage, history: jsonColumn(z.array(objectionStep)) }) },
};

export const elevatorResponses = {
  list: { 200: pageOf(elevatorListItem) },
  dashboard: { 200: elevatorDashboard },
  created: { 201: elevatorProject },
  detail: { 200: elevatorProject },
  stage: { 200: elevatorProject },
  mine: { 200: itemsOf(elevatorProject) },
};

import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { code, day, instant, int } from '../../core/response.js';

/**
 * Response schemas of the four-party linkage, meeting and assessment routes (see core/response.ts).
 * The enums repeat compound-tables.ts's lists (so that the web can take its types from this file
 * without the server's tables); tests/api/compound-parties.test.ts checks that they agree.
 */

export const partyKind = z.enum(['residents_committee', 'owners_committee', 'property_company', 'grid']);
export const followUpStatus = z.enum(['open', 'done']);
export const rankingComponent = z.enum(['residents', 'checklist', 'requests', 'practical', 'followUps']);

const badge = { partyMember: z.boolean(), badge: z.string().nullable().describe('亮身份：党员显示“共产党员”') };
const member = z.object({
  postId: int, personId: int, name: z.string(), title: z.string(), since: day.nullable(), phone: z.string().nullable().describe('已脱敏，如 138****5678'),
  ...badge, crossAppointed: z.boolean().describe('在本小区两个及以上组织任职（交叉任职）'), accountId: int.nullable().optional().describe('仅工作人员可见'),
});
const party = z.object({
  id: int, kind: code(partyKind), kindName: z.string(), name: z.string(), office: z.string().nullable(), hours: z.string().nullable(),
  organisation: z.object({ id: int, name: z.string() }).nullable(), grid: z.object({ id: int, name: z.string() }).nullable(), members: z.array(member),
});
const parties = z.object({
  compound: z.object({ id: int, name: z.string(), communityName: z.string().nullable() }),
  viewer: code(z.enum(['worker', 'resident'])),
  abilities: z.object({ manage: z.boolean(), meet: z.boolean(), assess: z.boolean(), rate: z.boolean() }),
  groups: z.array(z.object({ kind: code(partyKind), kindName: z.string(), parties: z.array(party) })),
  crossAppointments: z.array(z.object({
    personId: int, name: z.string(), ...badge,
    posts: z.array(z.object({ postId: int, partyId: int, kind: code(partyKind), kindName: z.string(), partyName: z.string(), title: z.string() })),
  })),
  counts: z.object({ parties: int, posts: int, people: int, partyMembers: int, crossAppointed: int }),
});

const followUp = z.object({
  id: int, task: z.string(), dueOn: day, status: code(followUpStatus), statusName: z.string(), overdue: z.boolean(),
  owner: z.object({ accountId: int, name: z.string(), postId: int.nullable(), postTitle: z.string().nullable() }),
  doneAt: instant.nullable(), doneNote: z.string().nullable(),
});
const meeting = z.object({
  id: int, heldOn: day, title: z.string(), place: z.string().nullable(), topics: z.array(z.string()), decisions: z.array(z.string()), guests: z.array(z.string()),
  recordedBy: z.string().nullable(), createdAt: instant,
  attendees: z.array(z.object({ postId: int, name: z.string(), title: z.string(), partyName: z.string(), kind: code(partyKind), kindName: z.string() })),
  followUps: z.array(followUp),
});
const myFollowUp = followUp.extend({ meetingId: int, meetingTitle: z.string(), heldOn: day, compoundId: int, compoundName: z.string() });

const assessment = z.object({
  compound: z.object({ id: int, name: z.string() }), month: z.string(),
  checklist: z.array(z.object({ code: z.string(), name: z.string(), max: int, hint: z.string(), score: int.nullable() })),
  total: int.nullable(), note: z.string().nullable(), assessedBy: z.string().nullable(), assessedAt: instant.nullable(),
  residents: z.object({
    households: int, ratings: int, averageScore: z.number().nullable(),
    distribution: z.array(z.object({ score: int, count: int })),
    comments: z.array(z.object({ score: int, comment: z.string(), at: instant })),
  }),
});

const rankingItem = z.object({
  compoundId: int, name: z.string(), communityName: z.string().nullable(), rank: int.nullable(), score: z.number().nullable(),
  weighted: z.number().nullable().describe('各项加权分（扣分前）'), deduction: z.number(), overdueMatters: int,
  components: z.array(z.object({
    code: code(rankingComponent), name: z.string(), weight: int, effectiveWeight: z.number().describe('缺项按比例折算后的权重（%）'),
    value: z.number().nullable().describe('百分制，一位小数；无数据为 null'), points: z.number().nullable(), basis: z.string(),
  })),
});

/** GET /api/me/grid-worker: whom the resident calls about their home (the phone whole, for a tel: link). */
export const myGridWorker = z.object({
  grid: z.object({ id: int, name: z.string() }).nullable(),
  contacts: z.array(z.object({
    kind: code(z.enum(['grid', 'residents_committee'])).describe('grid 网格员 / residents_committee 居委会（本网格无网格员电话时）'),
    name: z.string(), title: z.string(), phone: z.string(), office: z.string().nullable(), hours: z.string().nullable(),
  })),
});

export const compoundResponses = {
  parties: { 200: parties },
  myGridWorker: { 200: myGridWorker },
  created: { 201: z.object({ id: int }) },
  updated: { 200: z.object({ id: int }) },
  meetings: { 200: pageOf(meeting) },
  followUps: { 200: pageOf(myFollowUp) },
  followUpDone: { 200: z.object({ id: int, status: code(followUpStatus) }) },
  rated: { 201: z.object({ id: int, month: z.string(), score: int }) },
  myRating: { 200: z.object({ month: z.string(), canRate: z.boolean(), rated: z.boolean(), score: int.nullable(), comment: z.string().nullable(), ratedAt: instant.nullable() }) },
  assessed: { 200: z.object({ compoundId: int, month: z.string(), total: int }) },
  assessment: { 200: assessment },
  ranking: {
    200: z.object({
      month: z.string(),
      formula: z.object({
        text: z.string(), notes: z.array(z.string()), weights: z.array(z.object({ code: code(rankingComponent), name: z.string(), weight: int })),
        deductionPerMatter: int, deductionCap: int,
      }),
      ranked: int, items: z.array(rankingItem),
    }),
  },
};

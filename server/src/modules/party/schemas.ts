import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { day, instant, int } from '../../core/response.js';

/** Response schemas of the party routes (see core/response.ts). The enums repeat tables.ts's lists, so that the web can take its types from this file. */

export const memberStatus = z.enum(['probationary', 'full']);
export const transferStatus = z.enum(['pending', 'accepted', 'rejected']);
const ref = z.object({ id: int, name: z.string() });

/** presentMember: ID number and phone masked unless revealed (`masked` says which). */
export const partyMember = z.object({
  id: int, personId: int.nullable(), name: z.string(), sex: z.enum(['M', 'F']), idNumber: z.string(), phone: z.string().nullable(), masked: z.boolean(),
  organisation: ref, status: memberStatus, statusName: z.string(), joinedOn: day, fullOn: day.nullable(), posts: z.array(z.string()),
  reportCommunity: ref.nullable(), reportedOn: day.nullable(),
});

export const partyTransfer = z.object({
  id: int, member: ref, from: ref, to: ref, status: transferStatus, statusName: z.string(), reason: z.string().nullable(),
  requestedAt: instant, decidedAt: instant.nullable(), decisionNote: z.string().nullable(),
});

export const partyResponses = {
  members: { 200: pageOf(partyMember) },
  member: { 200: partyMember },
  memberCreated: { 201: partyMember },
  imported: { 201: z.object({ imported: int }) },
  transfers: { 200: pageOf(partyTransfer) },
  transfer: { 200: partyTransfer },
  transferCreated: { 201: partyTransfer },
};

export const activityKind = z.enum(['general_meeting', 'committee_meeting', 'group_meeting', 'lecture', 'theme_day']);
const photo = z.object({ id: int, url: z.string(), thumbUrl: z.string() });
/** presentActivity: `expected` = members due to attend (the organisation's subtree and invitees), `attended` = signed in. */
export const partyActivity = z.object({
  id: int, organisation: ref, kind: activityKind, kindName: z.string(), topic: z.string(), place: z.string(), startsAt: instant, endsAt: instant,
  hasMinutes: z.boolean(), attended: int, expected: int.optional(),
});
/** The organisation's side gets attendance and the sign-in QR (`checkin.url` is what the QR encodes); an attending member gets neither. */
export const partyActivityDetail = partyActivity.extend({
  minutes: z.string().nullable(), photos: z.array(photo), checkinWindowMinutes: int, myCheckin: z.object({ checkedInAt: instant }).nullable(),
  attendance: z.array(z.object({ memberId: int, name: z.string(), organisation: z.string(), checkedInAt: instant.nullable(), via: z.enum(['qr', 'recorded']).nullable() })).nullable(),
  checkin: z.object({ token: z.string(), expiresAt: instant, url: z.string() }).nullable(),
});
const rateRow = { expected: int, attended: int, rate: z.number().nullable().describe('出勤率（%），无应到时为 null') };
export const pointRuleCode = z.enum(['wish_fulfilled', 'station_service', 'verification_task', 'activity_attendance', 'volunteer_hours', 'service_rated']);
export const pointRule = z.object({ code: pointRuleCode, name: z.string(), points: int, per: z.enum(['event', 'hour']), active: z.boolean(), updatedAt: instant });

const offerStatus = z.enum(['pending', 'accepted', 'declined']);
const volunteerOffer = z.object({
  id: int, memberId: int, name: z.string(), organisation: z.string(), note: z.string().nullable(), status: offerStatus, createdAt: instant,
  hours: z.number().nullable().describe('登记的服务时长（小时）'),
});
/** A 请缨 post: `myOffer` for a member, `offers` for the post organisation's side only. */
export const volunteerPost = z.object({
  id: int, organisation: ref, title: z.string(), description: z.string(), place: z.string(), startsOn: day, endsOn: day, slots: int, accepted: int,
  status: z.enum(['open', 'closed']), myOffer: volunteerOffer.nullable(), offers: z.array(volunteerOffer).nullable(),
});

export const activityResponses = {
  posts: { 200: pageOf(volunteerPost) },
  postCreated: { 201: z.object({ id: int }) },
  offer: { 200: z.object({ id: int, postId: int, memberId: int, status: offerStatus, createdAt: instant }) },
  offerDecided: { 200: z.object({ id: int, status: offerStatus }) },
  offerHours: { 200: z.object({ id: int, hours: z.number(), points: int.describe('本次计入的积分（规则停用时为 0）') }) },
  activities: { 200: pageOf(partyActivity.extend({ checkedIn: z.boolean() })) },
  activity: { 200: partyActivityDetail },
  activityCreated: { 201: partyActivity },
  updated: { 200: z.object({ id: int, ok: z.boolean() }) },
  photos: { 200: z.object({ photos: z.array(photo) }) },
  checkin: { 200: z.object({ activityId: int, topic: z.string(), memberId: int, name: z.string(), checkedInAt: instant, points: int }) },
  stats: {
    200: z.object({
      from: day.nullable(), to: day.nullable(), total: z.object({ activities: int, ...rateRow }),
      organisations: z.array(z.object({ id: int, name: z.string(), activities: int, ...rateRow })),
      members: z.array(z.object({ id: int, name: z.string(), organisation: z.string(), ...rateRow })),
    }),
  },
  ledger: {
    200: z.object({
      member: z.object({ id: int, name: z.string(), organisation: ref }), total: int,
      items: z.array(z.object({
        id: int, rule: z.object({ code: pointRuleCode, name: z.string() }),
        source: z.object({ kind: z.enum(['wish', 'station_service', 'verification_task', 'activity', 'volunteer', 'service_rating']), kindName: z.string(), id: int }),
        points: int, explanation: z.string(), createdAt: instant,
      })),
      ratings: z.object({
        count: int, average: z.number().nullable().describe('平均星级'),
        items: z.array(z.object({
          id: int, source: z.object({ kind: z.enum(['station_service', 'service_request']), kindName: z.string(), id: int }), title: z.string(),
          rating: int, comment: z.string().nullable(), createdAt: instant,
        })),
      }).describe('居民对该党员所做服务的评价'),
    }),
  },
  rankings: {
    200: z.object({
      by: z.enum(['member', 'organisation', 'community']),
      items: z.array(z.object({ rank: int, id: int, name: z.string(), organisation: z.string().nullable(), members: int, points: int })),
    }),
  },
  rules: { 200: z.object({ items: z.array(pointRule) }) },
  me: {
    200: z.object({
      member: z.object({ id: int, name: z.string(), status: memberStatus, joinedOn: day, posts: z.array(z.string()) }),
      organisation: z.object({ id: int, name: z.string(), members: int, leaders: z.array(z.object({ name: z.string(), posts: z.array(z.string()) })) }),
      reportCommunity: ref.nullable(), points: int,
    }),
  },
};

import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { binary, day, instant, int, itemsOf, XLSX } from '../../core/response.js';

/** Response schemas of the wish routes, public and signed-in (see core/response.ts). */

export const wishStatus = z.enum(['pending_review', 'published', 'rejected', 'claimed', 'fulfilled', 'confirmed', 'withdrawn']);
export const wishCategory = z.enum(['goods', 'service', 'companionship']);
/** Categories whose wishes may leave out the estimated value (a visit or a chat costs nothing); the H5 form repeats this list. */
export const VALUE_OPTIONAL_CATEGORIES: readonly z.infer<typeof wishCategory>[] = ['service', 'companionship'];
export const wishTargetGroup = z.enum(['elder', 'child', 'disabled', 'hardship', 'other']);
export const wishChannel = z.enum(['h5', 'visit', 'import', 'wechat']);
export const wishEventKind = z.enum(['submitted', 'published', 'rejected', 'withdrawn', 'edited', 'claimed', 'released', 'revoked', 'reminded', 'fulfilled', 'confirmed']);
const reviewStatus = z.enum(['pending', 'approved', 'rejected']);
const claimStatus = z.enum(['live', 'fulfilled', 'expired', 'revoked', 'withdrawn']);

export const wishPhoto = z.object({ id: int, kind: z.enum(['wish', 'evidence']), url: z.string(), thumbUrl: z.string() });

/** presentPublicWish: the beneficiary as 王某, never a full name, phone or address; free text screened. */
export const publicWish = z.object({
  id: int, code: z.string(), seasonId: int, title: z.string(), story: z.string(),
  category: wishCategory, categoryName: z.string(), targetGroup: wishTargetGroup, targetGroupName: z.string(),
  estimatedValue: z.number().describe('元'),
  status: wishStatus, statusName: z.string(), beneficiary: z.string(), communityId: int, communityName: z.string(),
  claimerName: z.string().nullable(), claimerPartyMember: z.boolean().describe('认领人是党员（亮身份）'), publishedAt: instant.nullable(), claimedAt: instant.nullable(), fulfilledAt: instant.nullable(), confirmedAt: instant.nullable(),
  rating: int.nullable(), thanks: z.string().nullable(), viewCount: int, photos: z.array(wishPhoto),
});

/** A timeline step as the public sees it: reasons only of releases and revocations, free text screened. */
export const publicTimelineEntry = z.object({
  id: int, kind: wishEventKind, at: instant,
  claimerName: z.string().optional(), note: z.string().optional(), photos: int.optional(), rating: int.optional(), thanks: z.string().optional(), reason: z.string().optional(),
});

/** A timeline step as workers in scope and the submitter or beneficiary see it. */
export const wishTimelineEntry = publicTimelineEntry.extend({
  channel: wishChannel.optional(), byWorker: z.boolean().optional(), via: z.enum(['season_assignment']).optional(),
});

export const wishAbilities = z.object({
  read: z.boolean(), readPrivate: z.boolean(), edit: z.boolean(), withdraw: z.boolean(), addPhotos: z.boolean(), review: z.boolean(), revokeClaim: z.boolean(),
  claim: z.boolean(), withdrawClaim: z.boolean(), fulfil: z.boolean(), contact: z.boolean(), confirm: z.boolean(),
});

/** The beneficiary's contact: workers in scope (ID number masked), or the claimer once the claim has stood (no ID number). Each read is logged. */
export const beneficiaryContact = z.object({ personId: int, name: z.string(), phone: z.string().nullable(), address: z.string(), idNumber: z.string().nullable().optional() });

/** GET /api/wishes/:id: what the caller may see (getWish); the private parts only to whom access.ts allows. */
export const wishDetail = publicWish.extend({
  timeline: z.array(wishTimelineEntry),
  reviewStatus,
  reviewReason: z.string().nullable().optional(),
  abilities: wishAbilities.optional(),
  myClaim: z.object({ status: claimStatus, dueAt: instant, contactAvailableAt: z.iso.datetime() }).optional(),
  channel: wishChannel.optional(),
  visit: z.object({ date: day, visitor: z.string().nullable() }).nullable().optional(),
  claimer: z.object({ accountId: int, name: z.string(), partyMember: z.boolean(), dueAt: instant, status: claimStatus }).nullable().optional(),
  beneficiaryContact: beneficiaryContact.nullable().optional(),
});

/** GET /api/public/wishes/:id: the public view, whatever getWish was given. */
export const publicWishDetail = publicWish.extend({ timeline: z.array(publicTimelineEntry) });

/** A row of the workers' list: the beneficiary's name, the phone masked. */
export const workerWish = publicWish.extend({
  beneficiaryName: z.string().nullable(), beneficiaryPhone: z.string().nullable(), channel: wishChannel, reviewStatus, reviewReason: z.string().nullable(), createdAt: instant,
});

export const myWishes = z.object({
  submitted: z.array(publicWish),
  claimed: z.array(publicWish.extend({ myClaimLive: z.boolean(), myClaimStatus: claimStatus, myClaimDueAt: instant })),
});

export const season = z.object({
  id: int, name: z.string(), theme: z.string().nullable(), startsOn: day, endsOn: day, valueCap: z.number().describe('元'), claimDays: int,
  communityIds: z.array(int), current: z.boolean(),
});
export const seasonWithCommunities = season.extend({ communities: z.array(z.object({ id: int, name: z.string() })) });

const counts = { collected: int, published: int, claimed: int, fulfilled: int, confirmed: int };
export const seasonStatsRow = z.object({ communityId: int, communityName: z.string(), ...counts, meanDaysToFulfil: z.number().nullable() });
export const seasonStats = z.object({
  season,
  totals: z.object({ ...counts, pageViews: int }),
  byCommunity: z.array(seasonStatsRow),
  /** Units by name, party members as 王某. */
  topClaimers: z.array(z.object({ name: z.string(), fulfilled: int })),
});

export const cockpitWishBranch = z.object({ communityId: int, communityName: z.string(), total: int, lit: int, claimed: int });

/** The live feed's payload (event "wish"), masked by construction; sent over SSE, declared here for the web's type. */
export const wishLiveEvent = z.object({
  type: wishEventKind, wishId: int, code: z.string(), title: z.string(), status: wishStatus, seasonId: int, category: wishCategory,
  communityId: int, communityName: z.string(), beneficiary: z.string(), claimerName: z.string().nullable(), at: z.iso.datetime(),
});

const stateChange = <S extends z.ZodType>(status: S) => z.object({ id: int, status });

export const wishResponses = {
  created: { 201: z.object({ id: int, code: z.string(), status: wishStatus }) },
  list: { 200: pageOf(workerWish) },
  export: { 200: binary(XLSX, '心愿清单（手机号脱敏）') },
  importTemplate: { 200: binary(XLSX, '心愿征集表模板') },
  imported: { 201: z.object({ imported: int, seasonId: int, ids: z.array(int) }) },
  detail: { 200: wishDetail },
  photos: { 200: z.object({ photos: z.array(wishPhoto) }) },
  reviewed: { 200: stateChange(z.enum(['published', 'rejected'])) },
  withdrawn: { 200: stateChange(wishStatus) },
  contact: { 200: z.object({ contact: beneficiaryContact.nullable() }) },
  claimed: { 200: z.object({ id: int, code: z.string(), status: z.literal('claimed'), dueAt: z.iso.datetime() }) },
  released: { 200: stateChange(z.literal('published')) },
  fulfilled: { 200: stateChange(z.literal('fulfilled')) },
  confirmed: { 200: stateChange(z.literal('confirmed')) },
  mine: { 200: myWishes },
  seasons: { 200: itemsOf(seasonWithCommunities) },
  seasonCreated: { 201: season },
  seasonUpdated: { 200: season },
  seasonStats: { 200: seasonStats },
  cockpit: { 200: itemsOf(cockpitWishBranch) },
};

export const publicWishResponses = {
  wall: { 200: pageOf(publicWish) },
  detail: { 200: publicWishDetail },
  seasons: { 200: itemsOf(seasonWithCommunities) },
  seasonView: { 200: z.object({ seasonId: int, pageViews: int }) },
  file: { 200: binary('image/*', '心愿照片（已去除位置信息；thumb=1 为 WebP 缩略图）') },
  events: { 200: binary('text/event-stream', '事件 "wish"，数据为 WishLiveEvent（JSON，脱敏）') },
};

export const wechatResponses = {
  verify: { 200: binary('text/plain', '原样返回 echostr') },
  message: { 200: binary('application/xml', '被动回复消息（XML；安全模式下加密）；重复投递时为 text/plain "success"') },
};


/** What getWish returns (the server side of wishDetail). */
export type WishDetailResult = z.output<typeof wishDetail>;

import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { binary, code, instant, int, itemsOf, XLSX } from '../../core/response.js';

/**
 * Response schemas of the property routes: positions, rooms and bookings; service requests and
 * Open311 client keys (see core/response.ts). The web imports this file for its types, so the
 * enums repeat the services' lists; tests/api/property-bookings.test.ts and service-requests.test.ts check them.
 */

// ---- positions, rooms, bookings
export const positionLevel = z.enum(['street', 'community', 'compound']);
export const roomKind = z.enum(['service', 'health', 'mediation', 'activity', 'reading', 'meeting', 'other']);
export const whoMayBook = z.enum(['compound_residents', 'any_resident', 'units', 'workers']);
export const bookingStatus = z.enum(['pending', 'confirmed', 'checked_in', 'cancelled', 'rejected', 'expired', 'no_show']);

export const roomRules = z.object({ whoMayBook: code(whoMayBook), advanceDays: int, maxMinutes: int, needsApproval: z.boolean() });
export const room = z.object({ id: int, positionId: int, name: z.string(), kind: code(roomKind), capacity: int, equipment: z.array(z.string()), rules: roomRules, active: z.boolean() });
export const positionPhoto = z.object({ id: int, url: z.string().describe('公开地址'), thumbUrl: z.string() });
export const position = z.object({
  id: int, level: code(positionLevel), name: z.string(), regionId: int, regionName: z.string(), address: z.string(),
  lat: z.number().nullable(), lng: z.number().nullable(), hours: z.string(), opensAt: z.string(), closesAt: z.string(), description: z.string().nullable(), rooms: z.array(room),
  photos: z.array(positionPhoto).describe('阵地照片（公开，至多 9 张）'),
});
/** The console's row: inactive positions and rooms too. */
export const managedPosition = position.extend({ active: z.boolean() });
export const positionDetail = managedPosition.extend({ staff: z.array(z.object({ id: int, name: z.string() })) });
const bookingCode = code(bookingStatus);
export const bookingAbilities = z.object({ read: z.boolean(), cancel: z.boolean(), approve: z.boolean(), reject: z.boolean(), checkin: z.boolean() });
export const booking = z.object({
  id: int, status: bookingCode, roomId: int, roomName: z.string(), positionId: int, positionName: z.string(), bookedBy: int, bookerName: z.string(),
  purpose: z.string(), headcount: int, startsAt: instant, endsAt: instant, decisionNote: z.string().nullable(), cancelReason: z.string().nullable(),
  decidedAt: instant.nullable(), cancelledAt: instant.nullable(), checkedInAt: instant.nullable(), createdAt: instant, abilities: bookingAbilities.optional(),
});
const bookingMoved = z.object({ id: int, status: bookingCode });
export const roomSlots = z.object({
  roomId: int, date: z.string(), opensAt: z.string(), closesAt: z.string(), rules: roomRules,
  busy: z.array(z.object({ startsAt: instant, endsAt: instant, status: bookingCode })),
  slots: z.array(z.object({ startsAt: instant, endsAt: instant, free: z.boolean() })),
});
export const bookingStatsRow = z.object({
  id: int, name: z.string(), positionId: int, positionName: z.string(), bookings: int, noShows: int,
  openHours: z.number(), hoursBooked: z.number(), hoursUsed: z.number(), occupancyPercent: z.number(),
});
export const bookingStats = z.object({ by: z.string(), from: z.string(), to: z.string(), days: int, items: z.array(bookingStatsRow) });
export const roomQr = z.object({ roomId: int, name: z.string(), positionName: z.string(), code: z.string(), url: z.string().describe('二维码内容：签到页地址，带房间密钥') });

export const positionResponses = {
  positions: { 200: pageOf(position) },
  managed: { 200: pageOf(managedPosition) },
  position: { 200: positionDetail },
  created: { 201: z.object({ id: int }) },
  updated: { 200: z.object({ id: int }) },
  qr: { 200: roomQr },
  slots: { 200: roomSlots },
  booked: { 201: bookingMoved },
  moved: { 200: bookingMoved },
  booking: { 200: booking },
  bookings: { 200: pageOf(booking) },
  stats: { 200: bookingStats },
  statsExport: { 200: binary(XLSX, '功能室使用统计') },
  photo: { 200: binary('image/*', '阵地照片（已去除位置信息；thumb=1 为 WebP 缩略图）') },
  photos: { 200: z.object({ photos: z.array(positionPhoto) }) },
  staffCandidates: { 200: itemsOf(z.object({ id: int, name: z.string(), regionName: z.string().describe('账号辖区') })) },
};

// ---- service requests
export const requestStatus = z.enum(['submitted', 'accepted', 'assigned', 'in_progress', 'done', 'rated', 'closed']);
export const requestTeam = z.enum(['property', 'community', 'alliance']);
export const requestOutcome = z.enum(['fixed', 'not_ours', 'duplicate', 'referred']);
export const requestChannel = z.enum(['self', 'on_behalf', 'open311']);
const requestCode = code(requestStatus);

export const attributeDef = z.object({
  code: z.string(), name: z.string(), datatype: z.enum(['string', 'text', 'number', 'datetime', 'singlevaluelist']), required: z.boolean(),
  description: z.string().optional(), values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
export const serviceType = z.object({
  code: z.string(), name: z.string(), group: z.string(), description: z.string().nullable(), slaHours: int, team: code(requestTeam), teamName: z.string(),
  attributes: z.array(attributeDef),
});
/** The console's row of a category: inactive ones too, with what the edit dialog needs. */
export const managedServiceType = serviceType.extend({
  id: int, allianceUnitId: int.nullable(), keywords: z.string().nullable(), active: z.boolean(), sort: int,
});
export const serviceTypeResponses = {
  managed: { 200: itemsOf(managedServiceType) },
  created: { 201: z.object({ id: int, code: z.string() }) },
  updated: { 200: z.object({ id: int, code: z.string() }) },
};
export const requestListItem = z.object({
  id: int, status: requestCode, statusName: z.string(), serviceCode: z.string(), serviceName: z.string(), group: z.string(), team: code(requestTeam), teamName: z.string(),
  description: z.string(), compoundName: z.string().nullable(), slaHours: int, dueAt: instant, overdue: z.boolean(), escalationLevel: int.describe('0 无，1 已升级至社区，2 已升级至街道'),
  assigneeId: int.nullable(), createdAt: instant, updatedAt: instant,
});
export const requestAbilities = z.object({
  read: z.boolean(), readContact: z.boolean(), addPhotos: z.boolean(), accept: z.boolean(), assign: z.boolean(), grab: z.boolean(),
  start: z.boolean(), done: z.boolean(), rate: z.boolean(), close: z.boolean(), reopen: z.boolean(), urge: z.boolean(),
});
export const requestTimelineEntry = z.object({ kind: z.string(), kindName: z.string(), at: instant, actor: z.string(), note: z.string().nullable() });
export const requestDetail = requestListItem.extend({
  attributes: z.record(z.string(), z.union([z.string(), z.number()])),
  location: z.object({ compoundId: int, compoundName: z.string().nullable(), communityName: z.string().nullable(), roomId: int.nullable(), roomName: z.string().nullable(), lat: z.number().nullable(), lng: z.number().nullable() }),
  preferredTime: z.string().nullable(), channel: code(requestChannel),
  requester: z.object({ name: z.string().nullable(), phone: z.string().nullable().describe('脱敏') }).nullable().describe('仅处理人员与报事人本人可见'),
  assignee: z.object({ id: int, name: z.string(), partyMember: z.boolean().describe('亮身份：处理人是党员'), partyOrganisation: z.string().nullable() }).nullable(),
  doneNote: z.string().nullable(), rating: int.nullable(), ratingText: z.string().nullable(), outcome: code(requestOutcome).nullable(), outcomeName: z.string().nullable(),
  duplicateOf: int.nullable(), referredTo: z.string().nullable(), closeNote: z.string().nullable(), urgeCount: int, lastUrgedAt: instant.nullable(), reopenCount: int,
  acceptedAt: instant.nullable(), assignedAt: instant.nullable(), startedAt: instant.nullable(), doneAt: instant.nullable(), ratedAt: instant.nullable(), closedAt: instant.nullable(),
  photos: z.array(z.object({ id: int, kind: code(z.enum(['request', 'done'])) })),
  timeline: z.array(requestTimelineEntry),
  abilities: requestAbilities,
});
const requestMoved = z.object({ id: int, status: requestCode });
/** A member of the request's handling team whom the dispatcher may assign (role codes; the web names them). */
export const requestAssignee = z.object({ id: int, name: z.string(), roles: z.array(z.string()) });
export const requestStatsRow = z.object({
  key: z.string(), volume: int, open: int, done: int, medianHoursToDone: z.number().nullable(), slaMetPercent: z.number().nullable(), rated: int, averageRating: z.number().nullable(),
});
export const requestStats = z.object({ by: z.string(), items: z.array(requestStatsRow) });
/** A compound's service area: a point on the map resolves to the nearest centre (within 3 km). */
export const serviceArea = z.object({ compoundId: int, name: z.string(), lat: z.number(), lng: z.number() });
/** The live channel's event "request" (SSE): a step of a request the caller may read; no description, no person. */
export const requestLiveEvent = z.object({ requestId: int, kind: z.string(), status: requestStatus, at: instant });
export const open311Client = z.object({ id: int, name: z.string(), createdAt: instant, createdBy: z.string().nullable(), revokedAt: instant.nullable() });

export const requestResponses = {
  types: { 200: itemsOf(serviceType) },
  created: { 201: requestMoved },
  list: { 200: pageOf(requestListItem) },
  detail: { 200: requestDetail },
  moved: { 200: requestMoved },
  assigned: { 200: requestMoved.extend({ assigneeId: int }) },
  assignees: { 200: itemsOf(requestAssignee) },
  urged: { 200: requestMoved.extend({ urgeCount: int }) },
  photos: { 200: z.object({ photos: z.array(z.object({ id: int })) }) },
  stats: { 200: requestStats },
  statsExport: { 200: binary(XLSX, '报事统计') },
  key: { 201: z.object({ id: int, name: z.string(), apiKey: z.string().describe('只显示这一次，请妥善保存') }) },
  keys: { 200: pageOf(open311Client) },
  keyRevoked: { 200: open311Client },
  areas: { 200: itemsOf(serviceArea) },
  events: { 200: binary('text/event-stream', '事件 "request"，数据为 {requestId, kind, status, at}（JSON）') },
};

import { z } from 'zod';
import { dbId } from '../../core/http.js';
import { day, int } from '../../core/response.js';
import { regionCounts, regionLevel } from '../regions/schemas.js';
import { publicWish } from '../wishes/schemas.js';
import { COCKPIT_LEVELS } from './region.js';

/** Response schemas of the cockpit routes (see core/response.ts). */

/**
 * The overview. Each module adds its own numbers under a key of its own (its manifest's
 * `cockpit`, e.g. alliance's `stations`); those pass as maps of counts — numbers only.
 */
export const cockpitOverviewCore = z.object({
  scope: z.object({ id: int, name: z.string(), level: regionLevel }).nullable(),
  totals: regionCounts.nullable(),
  breakdown: z.array(z.object({ id: int, name: z.string(), level: regionLevel, residents: int, households: int })),
  at: z.iso.datetime(),
});
export const cockpitOverview = cockpitOverviewCore.catchall(z.record(z.string(), z.number()));

// ---- the drill-down panels: GET /api/cockpit/:level/:regionId/<panel>

export const panelParams = z.object({ level: z.enum(COCKPIT_LEVELS), regionId: dbId });

const shown = z.object({ id: int, name: z.string(), level: regionLevel }).describe('所示区域');
const child = { id: int, name: z.string(), level: regionLevel };
const month = z.string().describe('月份 YYYY-MM（北京时间）');
const counts = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, int])) as Record<K, typeof int>);
const pct = z.number().nullable().describe('按时办结率 %（无办结时为 null）');

const populationNumbers = { persons: int, households: int, elders80: int.describe('80 岁及以上'), eldersAlone: int.describe('独居老人（60 岁及以上、户内仅一人）') };
export const populationPanel = z.object({
  region: shown, ...populationNumbers,
  pyramid: z.array(z.object({ band: z.string(), male: int, female: int })).describe('人口金字塔：5 岁一组'),
  unknownAge: int.describe('无出生日期的人数'),
  trend: z.array(z.object({ month, persons: int })),
  breakdown: z.array(z.object({ ...child, ...populationNumbers })),
  at: z.iso.datetime(),
});
const wishNumbers = { collected: int, claimed: int, fulfilled: int, confirmed: int };
export const wishesPanel = z.object({
  region: shown, ...wishNumbers,
  seasons: z.array(z.object({ id: int, name: z.string(), startsOn: day, ...wishNumbers })).describe('最近 12 个心愿季'),
  breakdown: z.array(z.object({ ...child, ...wishNumbers })),
  feed: z.array(publicWish).describe('最新点亮的心愿（仅本区域）'),
  at: z.iso.datetime(),
});
const allianceNumbers = { units: int, committeeUnits: int, resources: int, projects: int };
export const alliancePanel = z.object({
  region: shown, ...allianceNumbers,
  projectsByStatus: counts(['planned', 'active', 'done', 'cancelled'] as const),
  projectsByProgress: counts(['not_started', 'started', 'over_half', 'done'] as const),
  trend: z.array(z.object({ month, projects: int })),
  breakdown: z.array(z.object({ ...child, ...allianceNumbers })),
  at: z.iso.datetime(),
});
const propertyNumbers = {
  elevators: int, elevatorsCompleted: int, practicalMatters: int, serviceRequests: int, openRequests: int, requestsDone: int, requestsInTime: int, bookings: int, slaMetPercent: pct,
};
export const propertyPanel = z.object({
  region: shown, ...propertyNumbers,
  elevatorsByStage: z.record(z.string(), int), elevatorsByGroup: counts(['preparing', 'approved', 'under_construction', 'completed'] as const),
  practicalMattersByStatus: z.record(z.string(), int),
  trend: z.array(z.object({ month, serviceRequests: int, slaMetPercent: pct, bookings: int })),
  breakdown: z.array(z.object({ ...child, ...propertyNumbers })),
  at: z.iso.datetime(),
});
export const partyPanel = z.object({
  region: shown, organisations: int, organisationsByKind: z.record(z.string(), int),
  members: int.describe('党员数：组织在此区域或双报到到此区域社区的党员（党员名册）'),
  breakdown: z.array(z.object({ ...child, organisations: int })),
  at: z.iso.datetime(),
});
export const brainPanel = z.object({
  region: shown,
  hub: z.object({ departments: int, systems: int, datasets: int, sourcesConnected: int, rowsMovedToday: int, fresh: int, stale: int }).nullable().describe('数据中枢（仅区级）'),
  verificationTasks: counts(['assigned', 'open', 'done', 'confirmed', 'wrongPerson'] as const),
  trend: z.array(z.object({ month, rowsExchanged: int.nullable(), tasksCreated: int, tasksClosed: int })),
  breakdown: z.array(z.object({ ...child, openTasks: int, closedTasks: int })),
  at: z.iso.datetime(),
});

const mapLevel = z.enum(['district', 'street', 'community']);
const lngLat = z.tuple([z.number(), z.number()]).describe('[经度, 纬度]');
export const cockpitMap = z.object({
  root: z.object({ id: int, name: z.string(), level: mapLevel }).nullable().describe('账号范围的区域（区、街道或社区）；范围在社区以下时为 null'),
  regions: z.array(z.object({ id: int, name: z.string(), level: mapLevel, parentId: int.nullable(), center: lngLat })),
  geo: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({
      type: z.literal('Feature'),
      properties: z.object({ id: int, name: z.string(), level: mapLevel, parentId: int.nullable() }),
      geometry: z.union([
        z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(lngLat)) }),
        z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(lngLat))) }),
      ]),
    })),
  }).describe('GeoJSON：区轮廓、街道与社区（示意图，由社区中心点生成）'),
  points: z.array(z.object({
    kind: z.enum(['station', 'position', 'elevator']), id: int, name: z.string(), group: z.string().describe('站点类型、阵地层级或电梯阶段组'),
    lng: z.number(), lat: z.number(), streetId: int.nullable(), communityId: int.nullable(),
  })),
  at: z.iso.datetime(),
});

export const cockpitResponses = {
  overview: { 200: cockpitOverview },
  map: { 200: cockpitMap },
  panels: { overview: populationPanel, wishes: wishesPanel, alliance: alliancePanel, property: propertyPanel, party: partyPanel, brain: brainPanel },
};

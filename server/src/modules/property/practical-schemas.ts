import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { binary, code, day, instant, int, XLSX } from '../../core/response.js';

/**
 * Response schemas of the practical-matter routes (see core/response.ts). The web may import this
 * file for its types, so the enums repeat practical-tables.ts's lists; tests/api/practical-matters.test.ts checks they agree.
 */

export const matterStatus = z.enum(['planned', 'in_progress', 'accepted', 'closed']);
export const matterCategory = z.enum(['renovation', 'charging', 'sewage', 'lighting', 'accessibility', 'parking', 'greening', 'elderly', 'safety', 'other']);
export const unitKind = z.enum(['department', 'street_community', 'property_company', 'alliance_unit']);
export const unitRole = z.enum(['lead', 'partner']);
const statusCode = code(matterStatus);

const photo = z.object({ id: int, url: z.string(), thumbUrl: z.string() });
const place = z.object({ id: int, name: z.string() });
export const practicalListItem = z.object({
  id: int, title: z.string(), category: code(matterCategory), categoryName: z.string(), year: int, status: statusCode, statusName: z.string(),
  overdue: z.boolean().describe('逾期：未验收且已过完成期限，或有里程碑超期未完成'), progress: int.describe('0–100：里程碑加权完成度'),
  budgetFen: int.describe('预算（分）'), spentFen: int.describe('已支出（分）'), startsOn: day.nullable(), dueOn: day,
  regionId: int, regionName: z.string().describe('所属区域（区、街道或社区）'), streetName: z.string().nullable(), compounds: z.array(place).describe('受益小区'),
  surveyAverage: z.number().nullable().describe('满意度均分 1–5'), surveyCount: int, updatedAt: instant,
});
const unit = z.object({ name: z.string(), kind: code(unitKind), kindName: z.string(), role: code(unitRole), roleName: z.string() });
const milestone = z.object({
  id: int, title: z.string(), weight: int, dueOn: day.nullable(), doneAt: instant.nullable(), note: z.string().nullable(), overdue: z.boolean(), photos: z.array(photo).describe('佐证照片'),
});
const survey = z.object({
  open: z.boolean().describe('验收后至结项前开放'), count: int, households: int.describe('受益小区住户数'), average: z.number().nullable(), ratePercent: z.number().nullable().describe('参评率'),
  distribution: z.array(z.object({ score: int, count: int })),
});
export const practicalDetail = practicalListItem.extend({
  summary: z.string().nullable(), startedAt: instant.nullable(), acceptedAt: instant.nullable(), closedAt: instant.nullable(),
  units: z.array(unit), milestones: z.array(milestone), photos: z.object({ before: z.array(photo), after: z.array(photo) }), survey,
});
const abilityKeys = ['manage', 'edit', 'editCoverage', 'addMilestone', 'completeMilestone', 'addPhotos', 'spend', 'start', 'accept', 'close'] as const;
const workerDetail = practicalDetail.extend({
  compoundIds: z.array(int), units: z.array(unit.extend({ allianceUnitId: int.nullable() })),
  spending: z.array(z.object({ id: int, amountFen: int, spentOn: day, note: z.string().nullable(), recordedBy: z.string(), recordedAt: instant })),
  comments: z.array(z.object({ score: int, comment: z.string(), answeredAt: instant })).describe('居民留言（不含住户信息）'),
  createdAt: instant, abilities: z.object(Object.fromEntries(abilityKeys.map((k) => [k, z.boolean()])) as Record<(typeof abilityKeys)[number], z.ZodBoolean>),
});
const money = { budgetFen: int, spentFen: int };
const dashboard = z.object({
  today: day, total: int, overdue: int, averageProgress: int, ...money, surveyAnswers: int, surveyAverage: z.number().nullable(),
  overdueItems: z.array(practicalListItem).describe('逾期事项（最早到期的在前，至多 50 项）'),
  byStatus: z.array(z.object({ status: statusCode, name: z.string(), count: int })),
  byCategory: z.array(z.object({ category: code(matterCategory), name: z.string(), count: int, overdue: int, averageProgress: int, ...money })),
  byStreet: z.array(z.object({
    streetId: int.nullable(), name: z.string(), count: int, overdue: int, averageProgress: int, ...money,
    byStatus: z.object(Object.fromEntries(matterStatus.options.map((s) => [s, int])) as Record<z.infer<typeof matterStatus>, typeof int>),
  })),
});

export const practicalResponses = {
  list: { 200: pageOf(practicalListItem) },
  detail: { 200: practicalDetail },
  workerDetail: { 200: workerDetail },
  photo: { 200: binary('image/*', '实事项目照片（已去除位置信息；thumb=1 为 WebP 缩略图）') },
  dashboard: { 200: dashboard },
  export: { 200: binary(XLSX, '暖心实事清单') },
  created: { 201: z.object({ id: int, status: statusCode }) },
  updated: { 200: z.object({ id: int }) },
  moved: { 200: z.object({ id: int, status: statusCode }) },
  photos: { 200: z.object({ photos: z.array(photo) }) },
  spending: { 200: z.object({ id: int, entryId: int, spentFen: int, budgetFen: int, overBudget: z.boolean() }) },
  mySurvey: {
    200: z.object({
      matterId: int, open: z.boolean(), eligible: z.boolean().describe('本户住在受益小区'), answered: z.boolean().describe('本户已参评'), canAnswer: z.boolean(),
      mine: z.object({ score: int, comment: z.string().nullable(), answeredAt: instant }).nullable().describe('本人的答卷'),
    }),
  },
  answered: { 201: z.object({ matterId: int, score: int, count: int, average: z.number() }) },
};


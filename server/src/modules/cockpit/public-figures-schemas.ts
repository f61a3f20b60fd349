import { z } from 'zod';
import { day, instant, int } from '../../core/response.js';

/**
 * The response schema of GET /api/public/figures: district-wide counts only, nothing that
 * names a person or a place smaller than the district. The web imports this file for its types.
 */

const seasonFigures = z.object({
  id: int, name: z.string(), startsOn: day, endsOn: day,
  collected: int.describe('征集心愿数（含待审核、未通过、撤回）'),
  fulfilled: int.describe('已圆梦（含已确认）'),
  pageViews: int.describe('心愿季页面浏览（每位访客每天计一次）'),
  wishViews: int.describe('本季心愿页面浏览（每位访客每天计一次）'),
});

export const publicFigures = z.object({
  wishes: z.object({
    collected: int, fulfilled: int, views: int.describe('心愿季与心愿页面浏览合计'),
    seasons: z.array(seasonFigures).describe('按开始日期从早到晚'),
  }),
  alliance: z.object({
    units: int.describe('已认证成员单位'), committeeUnits: int.describe('其中委员单位'),
    projects: int.describe('共建项目（不含已取消）'), projectsActive: int, projectsDone: int,
  }),
  elevators: z.object({
    completed: int.describe('已投入使用'), approvedOrUnderConstruction: int.describe('已获批或施工中'), preparing: int.describe('意愿征询、业主表决中'),
  }),
  practicalMatters: z.object({ total: int, planned: int, inProgress: int, accepted: int, closed: int }),
  at: instant.describe('统计时间（缓存至多 30 秒）'),
});

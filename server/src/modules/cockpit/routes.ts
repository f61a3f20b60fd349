import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireAuth } from '../../core/auth/plugin.js';
import { readDbFor } from '../../core/read-replica.js';
import { cockpitMap } from './map.js';
import { cockpitOverview } from './overview.js';
import { PANELS, type PanelName } from './panels.js';
import { cockpitRegion } from './region.js';
import type { z } from 'zod';
import { cockpitResponses as res, panelParams } from './schemas.js';

export async function cockpitRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/cockpit/overview', {
    config: { permission: 'cockpit:read' },
    schema: { tags: ['cockpit'], summary: '驾驶舱：区域树的实时计数（街道、社区、小区、户、居民）及按街道分布', response: res.overview },
  }, async (req) => cockpitOverview(readDbFor(req), requireAuth(req), app.modules.flatMap((m) => (m.cockpit ? [m.cockpit] : []))));

  r.get('/api/cockpit/map', {
    config: { permission: 'cockpit:read' },
    schema: { tags: ['cockpit'], summary: '驾驶舱地图：账号范围内的区、街道、社区区域（GeoJSON，离线绘制）与站点、服务阵地、加装电梯点位', response: res.map },
  }, async (req) => cockpitMap(readDbFor(req), requireAuth(req)));

  // The drill-down: one page set at three levels; every number counts the region in the URL only.
  const summaries: Record<PanelName, string> = {
    overview: '人口：人数、户数、年龄金字塔、80 岁以上与独居老人，12 个月趋势，按下级区域分布',
    wishes: '微心愿：征集/认领/圆梦/确认（最近 12 季），按下级区域分布，最新点亮（仅本区域）',
    alliance: '红色联盟：成员单位、资源、共建项目（按状态与进度），12 个月趋势，按下级区域分布',
    property: '红色物业：加装电梯（按阶段）、暖心实事（按状态）、服务工单与按时办结率、功能室预约',
    party: '智慧党建：党组织（按类型）与党员数，按下级区域分布',
    brain: '红色大脑：接入数据源、交换行数、核查任务（在办/办结），12 个月趋势',
  };
  // Aggregates: read from the replica when there is one (core/read-replica.ts).
  const opts = <P extends PanelName>(panel: P) => ({
    config: { permission: 'cockpit:read' as const },
    schema: { tags: ['cockpit'], summary: `驾驶舱（区/街道/社区）：${summaries[panel]}`, params: panelParams, response: { 200: res.panels[panel] } },
  });
  const region = (req: FastifyRequest, p: z.infer<typeof panelParams>) => cockpitRegion(readDbFor(req), requireAuth(req), p.level, p.regionId);
  r.get('/api/cockpit/:level/:regionId/overview', opts('overview'), async (req) => PANELS.overview.served(readDbFor(req), await region(req, req.params)));
  r.get('/api/cockpit/:level/:regionId/wishes', opts('wishes'), async (req) => PANELS.wishes.served(readDbFor(req), await region(req, req.params)));
  r.get('/api/cockpit/:level/:regionId/alliance', opts('alliance'), async (req) => PANELS.alliance.served(readDbFor(req), await region(req, req.params)));
  r.get('/api/cockpit/:level/:regionId/property', opts('property'), async (req) => PANELS.property.served(readDbFor(req), await region(req, req.params)));
  r.get('/api/cockpit/:level/:regionId/party', opts('party'), async (req) => PANELS.party.served(readDbFor(req), await region(req, req.params)));
  r.get('/api/cockpit/:level/:regionId/brain', opts('brain'), async (req) => PANELS.brain.served(readDbFor(req), await region(req, req.params)));
}

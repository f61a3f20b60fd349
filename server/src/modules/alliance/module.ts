import { defineModule } from '../../core/module.js';
import { allianceRoutes, matchingRoutes } from './routes.js';
import { seedAlliance } from './seed.js';
import { stationServiceRoutes } from './station-services-routes.js';
import { stationRoutes } from './stations-routes.js';
import { seedStationHistory } from './stations-seed.js';
import { stationUse } from './stations.js';

const permissions = { 'alliance:manage': '审核联盟单位、管理共建项目', 'station:manage': '管理便民服务站（锋小巢、歇歇脚）：新建、修改、关闭与重新开放、导入导出、到站统计' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** The Red Alliance (红色联盟): member units, the three lists and matching, co-building projects, convenience stations. */
export const allianceModule = defineModule({
  name: 'alliance',
  routes: [allianceRoutes, matchingRoutes, stationRoutes, stationServiceRoutes],
  permissions,
  grants: { street_worker: ['alliance:manage', 'station:manage'], community_worker: ['alliance:manage', 'station:manage'] },
  tables: ['alliance_units', 'coop_projects', 'coop_milestones', 'stations', 'station_checkins', 'station_services', 'region_points', 'needs', 'resources', 'assignment_proposals', 'assignment_items'],
  cockpit: async (db, scopePath) => ({ stations: await stationUse(db, scopePath) }),
  async seed(tx, demo) {
    await seedAlliance(tx, demo.rng, {
      streets: demo.streets, communities: demo.communities, unitDemoOrgId: demo.orgs['E-SZ'], unitDemoName: '盐南数智科技有限公司',
      createdBy: await demo.accountId('community.luming'),
    });
    await seedStationHistory(tx);
  },
});

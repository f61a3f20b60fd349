import { defineModule } from '../../core/module.js';
import { allianceRoutes, matchingRoutes } from './routes.js';
import { seedAlliance } from './seed.js';
import { stationUse } from './service.js';

const permissions = { 'alliance:manage': '审核联盟单位、管理共建项目' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** The Red Alliance (红色联盟): member units, the three lists and matching, co-building projects, convenience stations. */
export const allianceModule = defineModule({
  name: 'alliance',
  routes: [allianceRoutes, matchingRoutes],
  permissions,
  grants: { street_worker: ['alliance:manage'], community_worker: ['alliance:manage'] },
  tables: ['alliance_units', 'coop_projects', 'coop_milestones', 'stations', 'station_checkins', 'region_points', 'needs', 'resources', 'assignment_proposals', 'assignment_items'],
  cockpit: async (db, scopePath) => ({ stations: await stationUse(db, scopePath) }),
  async seed(tx, demo) {
    await seedAlliance(tx, demo.rng, {
      streets: demo.streets, communities: demo.communities, unitDemoOrgId: demo.orgs['E-SZ'], unitDemoName: '盐南数智科技有限公司',
      createdBy: await demo.accountId('community.luming'),
    });
  },
});

import { defineModule } from '../../core/module.js';
import { regionRoutes } from './routes.js';

const permissions = { 'region:read': '查看区域', 'region:write': '维护区域' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** District → street → community → compound → building → unit → room, and grids. */
export const regionsModule = defineModule({
  name: 'regions',
  routes: [regionRoutes],
  permissions,
  grants: {
    street_worker: ['region:read', 'region:write'], community_worker: ['region:read'], grid_worker: ['region:read'],
    property_staff: ['region:read'], owners_committee: ['region:read'],
  },
  tables: ['regions', 'grids', 'grid_regions', 'grid_workers'],
});

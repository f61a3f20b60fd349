import { defineModule } from '../../core/module.js';
import { cockpitRoutes } from './routes.js';

const permissions = { 'cockpit:read': '查看驾驶舱' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** The big screen's overview; each module adds its own numbers through its manifest's `cockpit`. */
export const cockpitModule = defineModule({
  name: 'cockpit',
  routes: [cockpitRoutes],
  permissions,
  grants: { street_worker: ['cockpit:read'], community_worker: ['cockpit:read'] },
  tables: [],
});

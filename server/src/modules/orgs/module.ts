import { defineModule } from '../../core/module.js';
import { orgRoutes } from './routes.js';

const permissions = { 'org:read': '查看组织', 'org:write': '维护组织' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Party organisations, enterprises and social organisations. */
export const orgsModule = defineModule({
  name: 'orgs',
  routes: [orgRoutes],
  permissions,
  grants: { street_worker: ['org:read'], community_worker: ['org:read'], alliance_unit: ['org:read'], party_member: ['org:read'] },
  tables: ['organisations'],
});

import { defineModule } from '../../core/module.js';
import { accountRoutes } from './accounts-routes.js';
import { authRoutes } from './auth-routes.js';
import { notificationRoutes } from './notifications-routes.js';
import { peopleRoutes } from './routes.js';

const permissions = {
  'people:read': '查看人员', 'people:write': '维护人员', 'people:unmask': '查看完整个人信息',
  'account:read': '查看账号', 'account:write': '管理账号与角色',
  'auth:policy': '设置登录安全策略',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Persons and households (the population registry), accounts, roles, sign-in and sessions. */
export const peopleModule = defineModule({
  name: 'people',
  routes: [authRoutes, peopleRoutes, accountRoutes, notificationRoutes],
  permissions,
  grants: {
    street_worker: ['people:read', 'people:write', 'people:unmask', 'account:read'],
    community_worker: ['people:read', 'people:write', 'people:unmask'],
    grid_worker: ['people:read'],
  },
  tables: ['households', 'persons', 'roles', 'accounts', 'account_roles', 'sessions', 'sms_codes', 'sign_in_policy', 'sign_in_challenges'],
});

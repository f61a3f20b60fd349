import { defineModule } from '../../core/module.js';
import { auditRoutes } from './routes.js';

const permissions = { 'audit:read': '查看审计日志' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Reading the audit chain and the personal-data access log (written by core/audit.ts). */
export const auditModule = defineModule({ name: 'audit', routes: [auditRoutes], permissions, grants: {}, tables: [] });

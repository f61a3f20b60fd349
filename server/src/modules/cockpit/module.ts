import { defineModule } from '../../core/module.js';
import { publicFiguresRoutes } from './public-figures.js';
import { populationWorker } from './population.js';
import { cockpitRoutes } from './routes.js';

const permissions = { 'cockpit:read': '查看驾驶舱' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** The big screen's overview; each module adds its own numbers through its manifest's `cockpit`. */
export const cockpitModule = defineModule({
  name: 'cockpit',
  routes: [cockpitRoutes, publicFiguresRoutes],
  permissions,
  grants: { street_worker: ['cockpit:read'], community_worker: ['cockpit:read'] },
  tables: [],
  // Keeps the drill-down's population counts warm (see population.ts).
  workers: [populationWorker],
});

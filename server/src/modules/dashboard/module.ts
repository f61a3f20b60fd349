import { defineModule } from '../../core/module.js';
import { dashboardRoutes } from './routes.js';

/** The console home's to-do list: counts of what waits for the caller, read from the modules' tables. */
export const dashboardModule = defineModule({ name: 'dashboard', routes: [dashboardRoutes], permissions: {}, grants: {}, tables: [] });

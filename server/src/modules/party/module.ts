import { defineModule } from '../../core/module.js';
import { memberFigures } from './figures.js';
import { partyRoutes } from './routes.js';
import { seedParty } from './seed.js';

const permissions = {
  'party:read': '查看辖区党员名册与组织关系转接',
  'party:manage': '维护党员名册（登记、导入、双报到登记）、发起与接收组织关系转接',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Smart party-building (智慧党建): the member register, organisation relation transfers and 双报到. */
export const partyModule = defineModule({
  name: 'party',
  routes: [partyRoutes],
  permissions,
  grants: {
    street_worker: ['party:read', 'party:manage'],
    community_worker: ['party:read', 'party:manage'],
  },
  tables: ['party_members', 'party_transfers'],
  cockpit: async (db, scopePath) => ({ party: await memberFigures(db, scopePath) }),
  seed: seedParty,
});

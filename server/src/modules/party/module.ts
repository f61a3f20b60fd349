import { defineModule } from '../../core/module.js';
import { readActivityFile } from './activities.js';
import { partyActivityRoutes } from './activities-routes.js';
import { memberFigures } from './figures.js';
import { sweepActivityReminders } from './reminders.js';
import { partyRoutes } from './routes.js';
import { seedParty } from './seed.js';

const permissions = {
  'party:read': '查看辖区党员名册与组织关系转接',
  'party:manage': '维护党员名册（登记、导入、双报到登记）、发起与接收组织关系转接，安排组织生活、填写会议记录',
  'party:rules': '设定党员积分规则（区级）',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Smart party-building (智慧党建): the member register, transfers and 双报到; organisation life with QR sign-in; points. */
export const partyModule = defineModule({
  name: 'party',
  routes: [partyRoutes, partyActivityRoutes],
  permissions,
  grants: {
    street_worker: ['party:read', 'party:manage'],
    community_worker: ['party:read', 'party:manage'],
  },
  tables: ['party_members', 'party_transfers', 'party_activities', 'party_activity_invitees', 'party_activity_photos', 'party_attendance', 'party_point_rules', 'party_points',
    'party_volunteer_posts', 'party_volunteer_offers', 'party_service_ratings'],
  // Reminders before an activity (once per activity: a conditional update on reminded_at).
  sweeps: [{ name: 'party activity reminders', everyMs: 60_000, run: (deps) => sweepActivityReminders(deps) }],
  fileReaders: [readActivityFile],
  cockpit: async (db, scopePath) => ({ party: await memberFigures(db, scopePath) }),
  seed: seedParty,
});

import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSession } from '@shared/session';
import { t } from './i18n';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    permission?: string;
    title?: string;
    /** The side-menu entry a page without its own entry belongs to (detail pages). */
    menu?: string;
  }
}

/** Groups of the side menu: their members are shown together, under the group's title, where the first one stands. */
export const menuGroups = { brain: { title: 'menu.brain', icon: 'Cpu' }, party: { title: 'menu.party', icon: 'Flag' } } as const;

/** The side menu, in order; each page is its own chunk. */
export const menu = [
  { name: 'home', path: '', title: 'menu.home', icon: 'HomeFilled', component: () => import('./views/DashboardView.vue') },
  { name: 'regions', path: 'regions', title: 'menu.regions', icon: 'MapLocation', permission: 'region:read', component: () => import('./views/RegionsView.vue') },
  { name: 'orgs', path: 'orgs', title: 'menu.orgs', icon: 'OfficeBuilding', permission: 'org:read', component: () => import('./views/OrgsView.vue') },
  { name: 'wishes', path: 'wishes', title: 'menu.wishes', icon: 'Present', permission: 'wish:read', component: () => import('./views/WishesView.vue') },
  { name: 'seasons', path: 'seasons', title: 'menu.seasons', icon: 'Calendar', permission: 'wish:read', component: () => import('./views/SeasonsView.vue') },
  { name: 'consultations', path: 'consultations', title: 'menu.consultations', icon: 'ChatDotRound', permission: 'consult:read', component: () => import('./views/ConsultationsView.vue') },
  { name: 'owners', path: 'owners', title: 'menu.owners', icon: 'Tickets', permission: 'consult:read', component: () => import('./views/OwnersView.vue') },
  { name: 'elevators', path: 'elevators', title: 'menu.elevators', icon: 'Sort', permission: 'consult:read', component: () => import('./views/ElevatorsView.vue') },
  { name: 'positions', path: 'positions', title: 'menu.positions', icon: 'OfficeBuilding', permission: 'property:manage', component: () => import('./views/PositionsView.vue') },
  { name: 'bookings', path: 'bookings', title: 'menu.bookings', icon: 'Calendar', permission: 'property:manage', component: () => import('./views/BookingsView.vue') },
  { name: 'booking-stats', path: 'bookings/stats', title: 'menu.bookingStats', icon: 'Finished', permission: 'property:manage', component: () => import('./views/BookingStatsView.vue') },
  { name: 'requests', path: 'requests', title: 'menu.requests', icon: 'Tickets', permission: 'request:handle', component: () => import('./views/RequestsView.vue') },
  { name: 'request-stats', path: 'requests/stats', title: 'menu.requestStats', icon: 'Document', permission: 'request:dispatch', component: () => import('./views/RequestStatsView.vue') },
  { name: 'practical-matters', path: 'practical-matters', title: 'menu.practicalMatters', icon: 'Finished', permission: 'practical:manage', component: () => import('./views/PracticalMattersView.vue') },
  { name: 'practical-dashboard', path: 'practical-dashboard', title: 'menu.practicalDashboard', icon: 'Document', permission: 'practical:manage', component: () => import('./views/PracticalDashboardView.vue') },
  { name: 'compounds', path: 'compounds', title: 'menu.compounds', icon: 'OfficeBuilding', permission: 'compound:read', component: () => import('./views/CompoundsView.vue') },
  { name: 'compound-ranking', path: 'compounds/ranking', title: 'menu.compoundRanking', icon: 'Flag', permission: 'compound:read', component: () => import('./views/CompoundRankingView.vue') },
  { name: 'service-types', path: 'service-types', title: 'menu.serviceTypes', icon: 'Document', permission: 'service-type:manage', component: () => import('./views/ServiceTypesView.vue') },
  { name: 'open311-keys', path: 'open311-keys', title: 'menu.open311Keys', icon: 'Key', permission: 'open311:keys', component: () => import('./views/Open311KeysView.vue') },
  { name: 'alliance-lists', path: 'alliance/lists', title: 'menu.allianceLists', icon: 'Connection', permission: 'alliance:manage', component: () => import('./views/AllianceListsView.vue') },
  { name: 'alliance-units', path: 'alliance/units', title: 'menu.allianceUnits', icon: 'Flag', permission: 'alliance:manage', component: () => import('./views/AllianceUnitsView.vue') },
  { name: 'alliance-assignment', path: 'alliance/assignment', title: 'menu.allianceAssignment', icon: 'Finished', permission: 'alliance:manage', component: () => import('./views/AllianceAssignmentView.vue') },
  { name: 'notices', path: 'notices', title: 'menu.notices', icon: 'Document', permission: 'notice:manage', component: () => import('./views/NoticesView.vue') },
  { name: 'stations', path: 'stations', title: 'menu.stations', icon: 'MapLocation', permission: 'station:manage', component: () => import('./views/StationsView.vue') },
  // Red Brain (红色大脑): one group in the side menu.
  { name: 'brain-registry', path: 'brain/registry', title: 'menu.brainRegistry', icon: 'OfficeBuilding', group: 'brain', permission: 'brain:use', component: () => import('./views/BrainRegistryView.vue') },
  { name: 'brain-catalogue', path: 'brain/datasets', title: 'menu.brainCatalogue', icon: 'Coin', group: 'brain', permission: 'brain:use', component: () => import('./views/BrainCatalogueView.vue') },
  { name: 'brain-connectors', path: 'brain/connectors', title: 'menu.brainConnectors', icon: 'Connection', group: 'brain', permission: 'brain:manage', component: () => import('./views/BrainConnectorsView.vue') },
  { name: 'brain-approvals', path: 'brain/approvals', title: 'menu.brainApprovals', icon: 'Stamp', group: 'brain', permission: 'brain:use', component: () => import('./views/BrainApprovalsView.vue') },
  { name: 'brain-match-jobs', path: 'brain/match-jobs', title: 'menu.brainMatchJobs', icon: 'Sort', group: 'brain', permission: 'brain:manage', component: () => import('./views/BrainMatchJobsView.vue') },
  { name: 'brain-exchange-log', path: 'brain/exchange-log', title: 'menu.brainExchangeLog', icon: 'Document', group: 'brain', permission: 'brain:manage', component: () => import('./views/BrainExchangeLogView.vue') },
  // Smart party-building (智慧党建): one group in the side menu.
  { name: 'party-members', path: 'party/members', title: 'menu.partyMembers', icon: 'User', group: 'party', permission: 'party:read', component: () => import('./views/PartyMembersView.vue') },
  { name: 'party-transfers', path: 'party/transfers', title: 'menu.partyTransfers', icon: 'Sort', group: 'party', permission: 'party:read', component: () => import('./views/PartyTransfersView.vue') },
  { name: 'party-activities', path: 'party/activities', title: 'menu.partyActivities', icon: 'Calendar', group: 'party', permission: 'party:read', component: () => import('./views/PartyActivitiesView.vue') },
  { name: 'party-posts', path: 'party/posts', title: 'menu.partyPosts', icon: 'Flag', group: 'party', permission: 'party:read', component: () => import('./views/PartyPostsView.vue') },
  { name: 'party-points', path: 'party/points', title: 'menu.partyPoints', icon: 'Coin', group: 'party', permission: 'party:read', component: () => import('./views/PartyPointsView.vue') },
  // Verification tasks from the hub's matches, worked by streets, communities and grids: outside the brain group.
  { name: 'verification-tasks', path: 'verification-tasks', title: 'menu.verificationTasks', icon: 'Finished', permission: 'task:verify', component: () => import('./views/VerificationTasksView.vue') },
  { name: 'people', path: 'people', title: 'menu.people', icon: 'User', permission: 'people:read', component: () => import('./views/PeopleView.vue') },
  { name: 'accounts', path: 'accounts', title: 'menu.accounts', icon: 'Key', permission: 'account:read', component: () => import('./views/AccountsView.vue') },
  { name: 'audit', path: 'audit', title: 'menu.audit', icon: 'Document', permission: 'audit:read', component: () => import('./views/AuditView.vue') },
] as const;

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: 'auth.login' } },
  // A print page: no menu or header around the cards.
  { path: '/wishes/cards', name: 'wish-cards', component: () => import('./views/WishCardsView.vue'), meta: { permission: 'wish:read', title: 'menu.wishCards' } },
  {
    path: '/',
    component: () => import('./layout/AdminLayout.vue'),
    children: [
      ...menu.map((m) => ({
        path: m.path, name: m.name, component: m.component,
        meta: { title: m.title, permission: 'permission' in m ? m.permission : undefined },
      })),
      // Detail pages under the consultation and elevator menus.
      { path: 'consultations/:id(\\d+)', name: 'consultation', component: () => import('./views/ConsultationView.vue'), meta: { title: 'menu.consultation', permission: 'consult:read', menu: 'consultations' } },
      { path: 'votes/:id(\\d+)/result', name: 'vote-result', component: () => import('./views/VoteResultView.vue'), meta: { title: 'menu.voteResult', permission: 'consult:read', menu: 'consultations' } },
      { path: 'elevators/:id(\\d+)', name: 'elevator', component: () => import('./views/ElevatorView.vue'), meta: { title: 'menu.elevator', permission: 'consult:read', menu: 'elevators' } },
      { path: 'positions/:id(\\d+)', name: 'position', component: () => import('./views/PositionView.vue'), meta: { title: 'menu.position', permission: 'property:manage', menu: 'positions' } },
      { path: 'requests/:id(\\d+)', name: 'request', component: () => import('./views/RequestView.vue'), meta: { title: 'menu.request', permission: 'request:handle', menu: 'requests' } },
      { path: 'practical-matters/:id(\\d+)', name: 'practical-matter', component: () => import('./views/PracticalMatterView.vue'), meta: { title: 'menu.practicalMatter', permission: 'practical:manage', menu: 'practical-matters' } },
      { path: 'compounds/:regionId(\\d+)', name: 'compound', component: () => import('./views/CompoundView.vue'), meta: { title: 'menu.compound', permission: 'compound:read', menu: 'compounds' } },
      { path: 'brain/datasets/:id(\\d+)', name: 'brain-dataset', component: () => import('./views/BrainDatasetView.vue'), meta: { title: 'menu.brainDataset', permission: 'brain:use', menu: 'brain-catalogue' } },
      { path: 'brain/match-jobs/:id(\\d+)', name: 'brain-match-job', component: () => import('./views/BrainMatchJobView.vue'), meta: { title: 'menu.brainMatchJob', permission: 'brain:manage', menu: 'brain-match-jobs' } },
      { path: 'brain/persons/:id(\\d+)', name: 'brain-person', component: () => import('./views/BrainPersonView.vue'), meta: { title: 'menu.brainPerson', permission: 'brain:manage', menu: 'brain-match-jobs' } },
      { path: 'alliance/projects/:id(\\d+)', name: 'alliance-project', component: () => import('./views/AllianceProjectView.vue'), meta: { title: 'menu.allianceProject', permission: 'alliance:manage', menu: 'alliance-lists' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('./views/StatusView.vue'), props: { kind: 'forbidden' }, meta: { title: 'admin.forbidden' } },
      { path: ':pathMatch(.*)*', name: 'notFound', component: () => import('./views/StatusView.vue'), props: { kind: 'notFound' }, meta: { title: 'admin.notFound' } },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const session = useSession();
  try {
    await session.ensureLoaded();
  } catch {
    // Server unreachable: let the login page say so when it is used.
  }
  if (to.meta.public) {
    if (to.name === 'login' && session.me) return typeof to.query.redirect === 'string' ? to.query.redirect : { name: 'home' };
    return true;
  }
  if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (to.meta.permission && !session.can(to.meta.permission)) return { name: 'forbidden' };
  return true;
});

router.afterEach((to) => {
  const page = to.meta.title ? t(to.meta.title) : '';
  document.title = [page, `${t('app.name')} · ${t('admin.title')}`].filter(Boolean).join(' - ');
});

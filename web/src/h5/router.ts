import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '@shared/session';
import { t } from './i18n';

/** The H5 is served at / and at /m/; keep whichever base the page was opened under. */
const base = /^\/m(\/|$)/.test(location.pathname) ? '/m/' : '/';

declare module 'vue-router' {
  interface RouteMeta { public?: boolean; title?: string; permission?: string }
}

export const router = createRouter({
  history: createWebHistory(base),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: 'auth.login' } },
    {
      path: '/',
      component: () => import('./views/TabsLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: 'h5.tabHome' } },
        // The wish wall and a wish's page are public: anyone with the link (or the QR code) may look.
        { path: 'wishes', name: 'wishes', component: () => import('./views/WishWallView.vue'), meta: { public: true, title: 'wishH5.wallTitle' } },
        { path: 'me', name: 'me', component: () => import('./views/MeView.vue'), meta: { title: 'h5.tabMe' } },
      ],
    },
    { path: '/wishes/new', name: 'wish-new', component: () => import('./views/NewWishView.vue'), meta: { permission: 'wish:submit', title: 'wishH5.newTitle' } },
    { path: '/wishes/:id(\\d+)', name: 'wish', component: () => import('./views/WishDetailView.vue'), meta: { public: true, title: 'wishH5.detailTitle' } },
    // 有事好商量: my consultations, their record and votes, and my elevator share (residents take part through the rooms they own).
    { path: '/consult', name: 'consults', component: () => import('./views/ConsultListView.vue'), meta: { title: 'h5.consult' } },
    { path: '/consult/:id(\\d+)', name: 'consult', component: () => import('./views/ConsultDetailView.vue'), meta: { title: 'h5.consult' } },
    { path: '/votes/:id(\\d+)', name: 'vote', component: () => import('./views/VoteView.vue'), meta: { title: 'h5.consult' } },
    { path: '/elevator', name: 'elevator', component: () => import('./views/ElevatorView.vue'), meta: { title: 'h5.myElevator' } },
    // 红色联盟: my resources and the needs that fit them; a joint project's public page; the service-station map.
    { path: '/alliance', name: 'alliance', component: () => import('./views/AllianceView.vue'), meta: { title: 'h5.alliance' } },
    { path: '/projects/:id(\\d+)', name: 'project', component: () => import('./views/ProjectView.vue'), meta: { public: true, title: 'h5.projects' } },
    { path: '/stations', name: 'stations', component: () => import('./views/StationsView.vue'), meta: { public: true, title: 'h5.stations' } },
    // 公开数据: the district's figures for anyone (also a panel on the home page).
    { path: '/figures', name: 'figures', component: () => import('./views/FiguresView.vue'), meta: { public: true, title: 'figH5.title' } },
    // 红色物业: positions and their rooms (public to look at), my bookings and check-in at the door's QR code; service requests and their handling.
    { path: '/positions', name: 'positions', component: () => import('./views/PositionsView.vue'), meta: { public: true, title: 'h5.booking' } },
    { path: '/rooms/:id(\\d+)', name: 'room', component: () => import('./views/RoomView.vue'), meta: { public: true, title: 'h5.booking' } },
    { path: '/bookings', name: 'bookings', component: () => import('./views/BookingsView.vue'), meta: { title: 'h5.booking' } },
    { path: '/bookings/:id(\\d+)', name: 'booking', component: () => import('./views/BookingView.vue'), meta: { title: 'h5.booking' } },
    // What a room's door QR code opens: /checkin?room=ID&code=… (the server's GET /api/rooms/:id/qr).
    { path: '/checkin', name: 'checkin', component: () => import('./views/CheckinView.vue'), meta: { title: 'h5.booking' } },
    { path: '/requests', name: 'requests', component: () => import('./views/RequestsView.vue'), meta: { title: 'h5.repair' } },
    { path: '/requests/new', name: 'request-new', component: () => import('./views/RequestNewView.vue'), meta: { title: 'h5.repair' } },
    { path: '/requests/queue', name: 'request-queue', component: () => import('./views/RequestQueueView.vue'), meta: { permission: 'request:handle', title: 'h5.repair' } },
    { path: '/requests/:id(\\d+)', name: 'request', component: () => import('./views/RequestView.vue'), meta: { title: 'h5.repair' } },
    // 暖心实事: the public list and each matter's public page (the survey form on it needs a signed-in resident).
    { path: '/practical-matters', name: 'practical-matters', component: () => import('./views/PracticalMattersView.vue'), meta: { public: true, title: 'pmH5.title' } },
    { path: '/practical-matters/:id(\\d+)', name: 'practical-matter', component: () => import('./views/PracticalMatterView.vue'), meta: { public: true, title: 'pmH5.title' } },
    // 四方联动: my compound's four parties and the monthly rating (/compound finds mine; /compound/:regionId names one).
    { path: '/compound/:regionId(\\d+)?', name: 'compound', component: () => import('./views/CompoundView.vue'), meta: { title: 'compH5.title' } },
    // 核查任务: the grid worker's verification tasks from the Red Brain's record linkage.
    { path: '/tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { permission: 'task:verify', title: 'h5.tasks' } },
    { path: '/tasks/:id(\\d+)', name: 'task', component: () => import('./views/TaskView.vue'), meta: { permission: 'task:verify', title: 'h5.tasks' } },
    // 智慧党建 for members: my organisation, activities and points; the activity's QR code opens /party/checkin?token=…
    { path: '/party', name: 'party', component: () => import('./views/PartyView.vue'), meta: { title: 'partyH5.title' } },
    { path: '/party/points', name: 'party-points', component: () => import('./views/PartyPointsView.vue'), meta: { title: 'partyH5.ledger' } },
    { path: '/station-services', name: 'station-services', component: () => import('./views/StationServicesView.vue'), meta: { title: 'h5.stations' } },
    { path: '/party/posts', name: 'party-posts', component: () => import('./views/PartyPostsView.vue'), meta: { title: 'partyH5.posts' } },
    { path: '/party/checkin', name: 'party-checkin', component: () => import('./views/PartyCheckinView.vue'), meta: { title: 'partyH5.checkinTitle' } },
    // 社区公告: the notices over my home, and one notice (opening it marks it read).
    { path: '/notices', name: 'notices', component: () => import('./views/NoticesView.vue'), meta: { title: 'h5.notices' } },
    { path: '/notices/:id(\\d+)', name: 'notice', component: () => import('./views/NoticeView.vue'), meta: { title: 'h5.notices' } },
    { path: '/messages', name: 'messages', component: () => import('./views/MessagesView.vue'), meta: { title: 'wishH5.messages' } },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
  // The wish wall restores its own scroll position (its cards load after the page).
  scrollBehavior: (to, _from, saved) => (to.name === 'wishes' ? false : saved ?? { top: 0 }),
});

router.beforeEach(async (to) => {
  const session = useSession();
  try {
    await session.ensureLoaded();
  } catch { /* offline: the login page will say so */ }
  if (to.meta.public) return to.name === 'login' && session.me ? { name: 'home' } : true;
  if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (to.meta.permission && !session.can(to.meta.permission)) return { name: 'wishes' };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title && to.name !== 'home' ? `${t(to.meta.title)} · ${t('app.name')}` : t('app.name');
});

import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '@shared/session';
import { t } from './i18n';

/** The H5 is served at / and at /m/; keep whichever base the page was opened under. */
const base = /^\/m(\/|$)/.test(location.pathname) ? '/m/' : '/';

declare module 'vue-router' {
  interface RouteMeta { public?: boolean; title?: string }
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
        { path: 'me', name: 'me', component: () => import('./views/MeView.vue'), meta: { title: 'h5.tabMe' } },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const session = useSession();
  try {
    await session.ensureLoaded();
  } catch { /* offline: the login page will say so */ }
  if (to.meta.public) return to.name === 'login' && session.me ? { name: 'home' } : true;
  if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title && to.name !== 'home' ? `${t(to.meta.title)} · ${t('app.name')}` : t('app.name');
});

import { createApp } from 'vue';
import { createPinia } from 'pinia';
// Styles of Vant's functional APIs (showToast, showDialog), which the component resolver cannot see.
import 'vant/es/toast/style/index';
import 'vant/es/dialog/style/index';
import './styles.css';
import './elder.css';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { configureApi } from '@shared/api';
import { useSession } from '@shared/session';

const app = createApp(App);
app.use(createPinia()).use(i18n).use(router);

configureApi({
  onUnauthorized: () => {
    useSession().clear();
    const current = router.currentRoute.value;
    if (current.name !== 'login') router.replace({ name: 'login', query: { redirect: current.fullPath } });
  },
});

app.mount('#app');

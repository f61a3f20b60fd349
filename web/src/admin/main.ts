import { createApp } from 'vue';
import { createPinia } from 'pinia';
// Styles of the functional APIs (ElMessage, ElMessageBox), which the component resolver cannot see.
import 'element-plus/es/components/base/style/css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import './styles.css';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { installSessionHandling } from './notify';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router);
installSessionHandling(router);
app.mount('#app');

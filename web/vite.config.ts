import { fileURLToPath, URL } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver, VantResolver } from 'unplugin-vue-components/resolvers';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * One multi-page build, three apps:
 *   index.html        → resident H5 (Vant), served at / and /m/
 *   admin/index.html  → admin console (Element Plus), served at /admin/
 *   screen/index.html → cockpit big screen (ECharts), served at /screen/
 * Components from Element Plus and Vant are imported on demand (with their CSS) by
 * unplugin-vue-components, so the H5 never pulls Element Plus and vice versa.
 */
/** Dev server only: deep links of the admin and screen apps get their own index.html (the build is served by Fastify). */
function multiPageFallback(): Plugin {
  return {
    name: 'redcom-mpa-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '/';
        const accept = req.headers.accept ?? '';
        if (req.method === 'GET' && accept.includes('text/html')) {
          if (/^\/admin(\/|$)/.test(url) && !/\.\w+($|\?)/.test(url)) req.url = '/admin/index.html';
          else if (/^\/screen(\/|$)/.test(url) && !/\.\w+($|\?)/.test(url)) req.url = '/screen/index.html';
        }
        next();
      });
    },
  };
}

/**
 * Vant's icon font lists a copy on at.alicdn.com after its inline (data:) one; drop it, so the H5 never
 * reaches a third-party host and passes the server's Content-Security-Policy (font-src 'self' data:).
 */
function dropVantFontCdn(): Plugin {
  return {
    name: 'redcom-vant-font-cdn',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/].*\.css$/.test(id.split('?')[0]) || !code.includes('at.alicdn.com')) return null;
      return { code: code.replace(/,\s*url\((["']?)\/\/at\.alicdn\.com[^)]*\)\s*format\((["'])woff\2\)/g, ''), map: null };
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: here('./public'),
  plugins: [
    multiPageFallback(),
    dropVantFontCdn(),
    vue(),
    Components({
      dirs: [],
      dts: here('./src/components.d.ts'),
      resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver({ importStyle: 'css' })],
    }),
  ],
  resolve: {
    alias: { '@shared': here('./src/shared') },
  },
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.API_URL ?? 'http://127.0.0.1:3100', changeOrigin: false } },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: ['es2020', 'chrome87', 'safari14'],
    chunkSizeWarningLimit: 500,
    rolldownOptions: {
      input: {
        h5: here('./index.html'),
        admin: here('./admin/index.html'),
        screen: here('./screen/index.html'),
      },
      output: {
        // Element Plus style entries are all called css.mjs / style/index.mjs; give their chunks a clearer name.
        chunkFileNames: (chunk) => `assets/${['css', 'style', 'index'].includes(chunk.name) ? 'ui' : chunk.name}-[hash].js`,
        codeSplitting: {
          groups: [
            // Shared by every app and rarely changing: cache it once.
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|@intlify|vue-i18n)[\\/]/, priority: 30 },
            { name: 'zrender', test: /node_modules[\\/](zrender|tslib)[\\/]/, priority: 20 },
            { name: 'echarts', test: /node_modules[\\/]echarts[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});

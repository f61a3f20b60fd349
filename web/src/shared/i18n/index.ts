import { createI18n } from 'vue-i18n';
import { configureApi } from '../api';
import { common } from './common';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

const KEY = 'rc_locale';

/** Simplified Chinese unless the user picked English before (remembered per browser, shared by the three apps). */
export function storedLocale(): Locale {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

type Tree = { [k: string]: string | Tree };
export type Messages = Record<Locale, Tree>;

/** The English tree a Chinese one asks for: the same keys, every text a string. */
export type EnglishOf<Z> = { [K in keyof Z]: Z[K] extends string ? string : EnglishOf<Z[K]> };
/**
 * A message file's two locales, checked against each other: naming it fails the type
 * check (vue-tsc) when the English lacks a Chinese key or has one the Chinese lacks.
 * Types only, so the bundles do not grow.
 */
export type Paired<M extends { 'zh-CN': EnglishOf<M['en']>; en: EnglishOf<M['zh-CN']> }> = M;

function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = typeof v === 'object' && typeof cur === 'object' ? merge(cur, v) : v;
  }
  return out;
}

type Compiled = { [k: string]: ((ctx: { named: (k: string) => unknown }) => string) | Compiled };

/**
 * Messages become message functions here, so vue-i18n's message compiler can be left
 * out of the bundles (__INTLIFY_DROP_MESSAGE_COMPILER__): "{name}" placeholders are all
 * the syntax the messages use.
 */
function compileTree(tree: Tree): Compiled {
  const out: Compiled = {};
  for (const [k, v] of Object.entries(tree)) {
    out[k] = typeof v === 'string'
      ? (ctx) => v.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = ctx.named(name);
        return value == null ? '' : String(value);
      })
      : compileTree(v);
  }
  return out;
}

/** One vue-i18n instance (Composition API) with the common messages plus the app's own. */
export function createAppI18n(app: Messages) {
  const locale = storedLocale();
  const i18n = createI18n({
    legacy: false,
    globalInjection: true,
    locale,
    fallbackLocale: 'zh-CN',
    messages: {
      'zh-CN': compileTree(merge(common['zh-CN'], app['zh-CN'])),
      en: compileTree(merge(common.en, app.en)),
    } as any,
    missingWarn: false,
    fallbackWarn: false,
  });
  configureApi({
    locale: () => i18n.global.locale.value,
    networkError: () => i18n.global.t('common.networkError'),
  });
  document.documentElement.lang = locale;
  return i18n;
}

type AppI18n = ReturnType<typeof createAppI18n>;

/**
 * Adds messages to a running app: a lazily loaded part (the micro-wish pages) brings
 * its own words, so they stay out of the first download.
 */
export function extendMessages(i18n: AppI18n, ...parts: Messages[]) {
  for (const loc of ['zh-CN', 'en'] as Locale[]) {
    const tree = parts.reduce<Tree>((acc, p) => merge(acc, p[loc]), {});
    i18n.global.mergeLocaleMessage(loc, compileTree(tree) as any);
  }
}

export function setLocale(i18n: AppI18n, locale: Locale) {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try { localStorage.setItem(KEY, locale); } catch { /* ignore */ }
}

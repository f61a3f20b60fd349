import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Security headers on every response (API, web apps, errors, SSE, XML), through @fastify/helmet's
 * onRequest hook: it sets them on the raw response, so hijacked streams (SSE) carry them too.
 *
 * The Content-Security-Policy fits the three built apps: vite emits only external module scripts,
 * so scripts are 'self' with no 'unsafe-inline' or 'unsafe-eval'. Style *elements* are 'self' as well;
 * style *attributes* need 'unsafe-inline' because ECharts tooltips and Element Plus/Vant popups write
 * inline `style="…"` into markup (style-src-attr; style-src keeps it only for browsers without CSP 3,
 * which otherwise would drop every positioned popup). Images may be data: (QR codes drawn by the apps,
 * Swagger UI's icons) and blob: (photo previews before upload). Fonts: 'self' and data: (Vant's inline icon
 * font; the build drops its CDN fallback).
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'style-src-elem': ["'self'"],
  'style-src-attr': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'self'"],
  'form-action': ["'self'"],
  // Not upgrade-insecure-requests: a district may serve the product over plain HTTP on its LAN, where upgraded requests would fail.
  'upgrade-insecure-requests': null,
};

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  // Browsers heed it over HTTPS only; no includeSubDomains, which would bind a district's sibling hosts.
  strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
  // Photos and files are for the apps on this origin; Open311 clients fetch them server-side.
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
};

/** Swagger UI (/api/docs) writes <style> elements from its bundle; its pages alone allow inline style elements. */
const DOCS_POLICY = { ...CONTENT_SECURITY_POLICY, 'style-src-elem': ["'self'", "'unsafe-inline'"] };

export async function installSecurityHeaders(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, helmet: { contentSecurityPolicy: { useDefaults: false, directives: DOCS_POLICY } } } as typeof route.config;
  });
  // The same helmet options; the plugin's types come from helmet's CommonJS declarations, ours from its ESM ones.
  await app.register(fastifyHelmet, OPTIONS as FastifyHelmetOptions);
}

const setHeaders = helmet(OPTIONS);
/** The same headers for the few answers Fastify gives before any hook runs (a URL that is not valid UTF-8). */
export const applySecurityHeaders = (req: IncomingMessage, res: ServerResponse) => setHeaders(req, res, () => {});

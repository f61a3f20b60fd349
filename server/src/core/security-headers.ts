import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Security headers on every response (API, web apps, errors, SSE, XML), set by the first onRequest
 * hook on the raw response, so hijacked streams (SSE) carry them too. The headers are helmet's,
 * computed once at start: @fastify/helmet builds a new helmet middleware (and parses the policy)
 * on every request, which cost the public pages' cache hits a measurable share of their time.
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

/** The headers helmet sets with these options, as [name, value] pairs, recorded once. */
function headersOf(options: HelmetOptions): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = { setHeader: (name: string, value: string) => { headers.push([name, String(value)]); }, removeHeader: () => {} };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

const HEADERS = headersOf(OPTIONS);
const DOCS_HEADERS = headersOf({ ...OPTIONS, contentSecurityPolicy: { useDefaults: false, directives: DOCS_POLICY } });

/** Sets the headers on a raw response (also for the few answers Fastify gives before any hook runs: a URL that is not valid UTF-8). */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse) {
  for (const [name, value] of req.url?.startsWith('/api/docs') ? DOCS_HEADERS : HEADERS) res.setHeader(name, value);
}

export function installSecurityHeaders(app: FastifyInstance) {
  app.addHook('onRequest', (req, reply, done) => { applySecurityHeaders(req.raw, reply.raw); done(); });
}

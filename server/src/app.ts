import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { DbHandle } from './core/db.js';
import { frameworkErrors, installErrorHandling } from './core/errors.js';
import { loadSecretKey, secretBox, type SecretBox } from './core/secret-box.js';
import { GUARDED_PREFIXES, installAuth, isGuardedUrl } from './core/auth/plugin.js';
import { sharedSecret } from './core/auth/secrets.js';
import { installInputGuard } from './core/input-guard.js';
import { fileRoutes } from './core/file-access.js';
import type { ModuleManifest } from './core/module.js';
import { MODULES } from './modules/index.js';
import multipart from '@fastify/multipart';
import { EventBus } from './core/events.js';
import { diskStore, MAX_IMAGE_BYTES, type FileStore } from './core/files.js';
import { declaresSuccess, systemResponses } from './core/response.js';
import { migrationFiles, readiness } from './core/migrate.js';
import { createMetrics, installMetrics, type Metrics } from './core/metrics.js';
import { installResponseCache } from './core/response-cache.js';
import { invalidatePublicPagesOnEvents } from './modules/public-pages.js';
import { installReadYourWrites } from './core/read-replica.js';
import { applySecurityHeaders, installSecurityHeaders } from './core/security-headers.js';
import { installRateLimits } from './core/rate-limit.js';

declare module 'fastify' {
  interface FastifyInstance {
    dbh: DbHandle;
    config: Config;
    secrets: SecretBox;
    /** Cross-instance events (LISTEN/NOTIFY). */
    events: EventBus;
    /** Uploaded files (DATA_DIR/files). */
    files: FileStore;
    /** The module manifests (modules/index.ts): routes, permissions, sweeps, file readers, cockpit numbers. */
    modules: ModuleManifest[];
    /** Prometheus metrics (core/metrics.ts). */
    metrics: Metrics;
    /** Every route with its access rule, for the permission tests and docs. */
    routeList: { method: string; url: string; public: boolean; permission?: string; hasBody: boolean; hasResponse: boolean }[];
  }
}

export interface BuildOptions {
  config: Config;
  dbh: DbHandle;
  /** A pino logger; tests run without one. */
  logger?: FastifyBaseLogger;
}

/** Builds the whole HTTP app; used by `redcom serve` and by the tests through app.inject. */
export async function buildApp({ config, dbh, logger }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY); otherwise the peer is the client.
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    // JSON bodies: the largest a form sends is a list of 10,000 ids (~80 kB). Files come as multipart,
    // bounded per route by readMultipart (10 MB an image or sheet); webhooks set their own bodyLimit.
    bodyLimit: 256 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    frameworkErrors: (err, req, reply) => { applySecurityHeaders(req.raw, reply.raw); return frameworkErrors(err, req, reply); },
  });
  app.decorate('dbh', dbh);
  app.decorate('config', config);
  app.decorate('routeList', []);
  app.decorate('modules', MODULES);
  app.decorate('events', new EventBus(dbh));
  app.decorate('files', diskStore(path.join(config.dataDir, 'files')));
  app.decorate('secrets', secretBox(loadSecretKey(config)));
  app.decorate('metrics', createMetrics(dbh, app.events));
  app.addHook('onClose', async () => { await app.events.close(); });
  app.addHook('onRoute', (route) => {
    const cfg = (route.config ?? {}) as { public?: boolean; permission?: string };
    const hasBody = !!(route.schema as { body?: unknown } | undefined)?.body;
    for (const method of [route.method].flat()) app.routeList.push({ method, url: route.url, public: !!cfg.public, permission: cfg.permission, hasBody, hasResponse: declaresSuccess(route.schema) });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Callback-style hooks on every response's path: an async hook costs a promise per request.
  app.addHook('onSend', (req, reply, payload, done) => { reply.header('x-request-id', req.id); done(null, payload); });
  if (!config.trustProxy.length) {
    // Behind an unconfigured proxy every client would share the proxy's address (and its sign-in limit): say so once.
    let warned = false;
    app.addHook('onRequest', async (req) => {
      if (warned || !req.headers['x-forwarded-for']) return;
      warned = true;
      req.log.warn({ peer: req.ip }, 'X-Forwarded-For ignored: TRUST_PROXY is not set, so the TCP peer is taken as the client. Set TRUST_PROXY to the proxy addresses if this server is behind one.');
    });
  }

  // First, so that responses refused by any later hook (auth, CSRF, limits) carry the headers too.
  installSecurityHeaders(app);
  // The secret signs the visitor cookie (view counts); the same on every instance.
  await app.register(cookie, { secret: config.cookieSecret ?? await sharedSecret(dbh.db, 'cookie') });
  await app.register(multipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 9 } });
  installErrorHandling(app);
  installMetrics(app, config, app.metrics);
  installReadYourWrites(app, config.replicaStickySeconds);
  installAuth(app, dbh.db);
  installInputGuard(app);
  // Before the modules' routes: it wraps the public GETs that declare `responseCache`.
  installResponseCache(app, config.responseCache);
  await invalidatePublicPagesOnEvents(app);
  await installRateLimits(app);

  await app.register(swagger, {
    openapi: {
      info: { title: '红色社区 Red Community API', version: '0.1.0', description: 'Errors: {"error":{"code","message","fields"}}; lists: ?page=&pageSize= → {items,total,page,pageSize}.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'rc_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (the recursive trees) become components, so their $refs resolve.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true, response: systemResponses.openapi } }, async () => app.swagger());

  // Readiness for load balancers: answered from a one-second memo, so probes and benchmarks do not queue on the database.
  const migrations = migrationFiles();
  let ready: { at: number; value: ReturnType<typeof readiness> } | null = null;
  app.get('/api/health', {
    config: { public: true }, schema: { tags: ['system'], summary: '就绪检查：数据库可达且迁移为最新时 200，否则 503', response: systemResponses.health },
  }, async (_req, reply) => {
    if (!ready || Date.now() - ready.at > 1000) ready = { at: Date.now(), value: readiness(dbh.db, migrations) };
    const r = await ready.value;
    return reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ok' : 'unavailable', db: dbh.kind, database: r.database, migrations: r.migrations });
  });

  for (const m of MODULES) for (const routes of m.routes) await app.register(routes);
  await app.register(fileRoutes(MODULES.flatMap((m) => m.fileReaders ?? [])));
  const unguarded = app.routeList.filter((r) => !r.public && !isGuardedUrl(r.url));
  if (unguarded.length) throw new Error(`routes outside the guarded prefixes (${GUARDED_PREFIXES.join(', ')}): ${unguarded.map((r) => `${r.method} ${r.url}`).join(', ')}`);

  serveWebApps(app, config.webDist);
  return app;
}

/** The three built web apps: /admin/, /screen/ and the resident H5 at /; each falls back to its index.html. */
function serveWebApps(app: FastifyInstance, dist: string) {
  if (!fs.existsSync(dist)) return;
  app.register(fastifyStatic, {
    root: dist, prefix: '/', wildcard: false, index: ['index.html'],
    // Hashed build assets never change; the HTML entry points must always be revalidated.
    setHeaders: (reply, file) => reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const apps: [string, string][] = [['/admin', 'admin/index.html'], ['/screen', 'screen/index.html'], ['/m', 'index.html']];
  for (const [prefix, file] of apps) {
    app.get(prefix, (_req, reply) => reply.redirect(prefix + '/'));
    app.get(`${prefix}/*`, (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      const candidate = path.join(dist, prefix, rel);
      if (rel && candidate.startsWith(path.join(dist, prefix)) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        return reply.sendFile(path.relative(dist, candidate));
      }
      return reply.sendFile(prefix === '/m' ? 'index.html' : file);
    });
  }
  app.get('/*', (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    if (rel.startsWith('api/')) return reply.callNotFound();
    const candidate = path.join(dist, rel);
    if (rel && candidate.startsWith(dist) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return reply.sendFile(rel);
    return reply.sendFile('index.html');
  });
}

import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Config } from '../config.js';
import type { DbHandle } from './db.js';
import { AppError, notFound } from './errors.js';
import type { EventBus } from './events.js';

/**
 * Prometheus metrics (GET /metrics): request latency per route and status, the database pool,
 * event-loop lag and the process (prom-client's defaults), sweep durations and outcomes, live
 * event subscribers (SSE clients) and the short caches' hits and misses. Each app has its own
 * registry (tests build many apps in one process); the process metrics and the cache counters are
 * the process's, shared by its apps. Not public in production: METRICS_TOKEN must be set and sent
 * as a bearer token, otherwise /metrics answers 404 there.
 */
export interface Metrics {
  registry: client.Registry;
  sweeps: client.Histogram<'sweep' | 'outcome'>;
}

let processRegistry: client.Registry | null = null;
const processMetrics = () => {
  if (!processRegistry) {
    processRegistry = new client.Registry();
    client.collectDefaultMetrics({ register: processRegistry, prefix: 'redcom_' });
    processRegistry.registerMetric(cacheLookups);
  }
  return processRegistry;
};

const cacheLookups = new client.Counter({
  name: 'redcom_cache_lookups_total', help: 'Lookups in the short in-memory caches of identical-for-everyone reads, by cache and result (hit|miss)',
  labelNames: ['cache', 'result'] as const, registers: [],
});
/** Counts a lookup in one of the short caches (the ratio hit / (hit + miss) is the cache hit ratio). */
export const countCacheLookup = (cache: string, hit: boolean) => cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' });

export function createMetrics(dbh: DbHandle, events: EventBus): Metrics {
  const registry = new client.Registry();
  new client.Gauge({
    name: 'redcom_db_connections', help: 'Database connections by state (in_use, idle, waiting for one; PGlite has one connection)', labelNames: ['state'] as const, registers: [registry],
    collect() { const s = dbh.poolStats(); this.set({ state: 'in_use' }, s.inUse); this.set({ state: 'idle' }, s.idle); this.set({ state: 'waiting' }, s.waiting); },
  });
  new client.Gauge({
    name: 'redcom_event_subscribers', help: 'Live event subscribers per channel: each SSE client is one (a cache invalidation listener may be one more)', labelNames: ['channel'] as const, registers: [registry],
    collect() { this.reset(); for (const [channel, n] of events.subscriberCounts()) this.set({ channel }, n); },
  });
  const sweeps = new client.Histogram({
    name: 'redcom_sweep_duration_seconds', help: 'Background sweeps: how long each tick took, by sweep and outcome (ok|error|skipped: another instance holds the sweep)', labelNames: ['sweep', 'outcome'] as const,
    buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60], registers: [registry],
  });
  return { registry: client.Registry.merge([registry, processMetrics()]), sweeps: sweeps as Metrics['sweeps'] };
}

/** Times every request by its route pattern (not its URL, so ids do not explode the label set), and serves /metrics. */
export function installMetrics(app: FastifyInstance, config: Config, metrics: Metrics) {
  const http = new client.Histogram({
    name: 'redcom_http_request_duration_seconds', help: 'HTTP requests: latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [],
  });
  metrics.registry.registerMetric(http);
  app.addHook('onResponse', (req, reply, done) => {
    http.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    // A 404 rather than no route, so the web apps' fallback does not answer it with a page.
    if (config.production && !config.metricsToken) throw notFound();
    if (config.metricsToken && req.headers.authorization !== `Bearer ${config.metricsToken}`) throw new AppError(401, 'unauthenticated');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

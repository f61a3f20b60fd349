import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { countCacheLookup } from './metrics.js';
import { readsOwnWrites, replicaCaughtUp } from './read-replica.js';

/**
 * A response cache for public reads that are identical for everyone (the wish wall, stations,
 * projects, positions, practical matters, Open311 lists): the serialised body of a 200 and a
 * strong ETag, keyed by the normalised URL (path + sorted query), per app instance, in memory.
 *
 * A route opts in with `config.responseCache` naming the namespaces its answer is made from.
 * Entries are dropped
 *  - when an event crossing instances (LISTEN/NOTIFY, core/events.ts) says a namespace changed —
 *    `invalidateOn` maps an event to namespaces (modules/public-pages.ts has the map) — so a change
 *    shows on every instance's pages within the notification's delivery, milliseconds;
 *  - on this instance at once, when a write request here succeeds (every namespace: the write's
 *    own event may still be on its way, and its writer reads next);
 *  - after `maxAgeMs` in any case, the bound for a change that no event announces.
 * A computation that started before an invalidation of its namespaces is not stored.
 *
 * What depends on the caller still happens on a hit: the route's `perCaller` (a view count, the
 * visitor cookie) runs for every successful request, hit or miss. Only bodies are kept, never
 * headers, so no caller's cookie is replayed to another. Signed-in callers are served from the
 * cache only where the route says its answer does not depend on who asks (`signedIn: true`).
 */
export interface ResponseCacheRule {
  /** Namespaces the answer is made from; the first names the cache in /metrics (`response_<ns>`). */
  ns: [string, ...string[]];
  /** The answer never depends on who asks, so signed-in callers may share it too. Default: anonymous callers only. */
  signedIn?: boolean;
  /** Work for this caller on every successful request, hit or miss (runs before the response is sent). */
  perCaller?: (req: FastifyRequest, reply: FastifyReply) => void;
  /** The oldest an answer may be served without an event saying it changed. */
  maxAgeMs?: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer this GET from the response cache (core/response-cache.ts). */
    responseCache?: ResponseCacheRule;
    /** A write that changes no cached page (a view record): it does not empty this instance's cache. */
    leavesPublicPages?: boolean;
  }
  interface FastifyInstance {
    responseCache: ResponseCache;
  }
}

interface Entry { body: Buffer; type: string; etag: string; ns: string[]; at: number; maxAgeMs: number }
interface Pending { key: string; rule: ResponseCacheRule; generations: number[] }

const DEFAULT_MAX_AGE_MS = 30_000;
const pendingOf = new WeakMap<FastifyRequest, Pending>();

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;
  private generations = new Map<string, number>();
  /** Every invalidation moves this, so "everything" also counts as a change of every namespace. */
  private epoch = 0;

  constructor(readonly maxEntries = 5000, readonly maxBytes = 64 * 1024 * 1024, readonly maxBodyBytes = 1024 * 1024) {}

  get size() { return this.entries.size; }

  /** The cached bodies (for tests that check what is kept). */
  bodies(): IterableIterator<string> { return [...this.entries.values()].map((e) => e.body.toString('utf8')).values(); }

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at >= e.maxAgeMs) { this.remove(key, e); return undefined; }
    // Least recently used goes first: a hit moves the entry to the end.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** Stamps of the namespaces now, to compare at store time (see `set`). */
  stamp(ns: string[]): number[] { return [this.epoch, ...ns.map((n) => this.generations.get(n) ?? 0)]; }

  /** Stores an answer unless one of its namespaces was invalidated since `stamp` was taken. */
  set(key: string, e: Entry, stamp: number[]) {
    const now = this.stamp(e.ns);
    if (now.some((g, i) => g !== stamp[i])) return;
    const size = e.body.length;
    if (size > this.maxBodyBytes) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, e);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(k, v);
    }
  }

  /** Drops the answers made from any of these namespaces ('*': every answer). */
  invalidate(ns: readonly string[] | '*') {
    if (ns === '*') {
      this.epoch++;
      this.entries.clear();
      this.bytes = 0;
      return;
    }
    if (!ns.length) return;
    for (const n of ns) this.generations.set(n, (this.generations.get(n) ?? 0) + 1);
    for (const [k, e] of this.entries) if (e.ns.some((n) => ns.includes(n))) this.remove(k, e);
  }

  private remove(key: string, e: Entry) {
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }
}

/** The path and the query with its parameters sorted: `?b=1&a=2` and `?a=2&b=1` are one page. */
export function normalisedUrl(url: string) {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  params.sort();
  const query = params.toString();
  return query ? `${url.slice(0, q)}?${query}` : url.slice(0, q);
}

const etagOf = (body: string) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** If-None-Match against a strong ETag (weak comparison, as RFC 9110 asks for GET). */
function notModified(header: string | undefined, etag: string) {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Installs the cache on an app: wraps each GET route that declares `responseCache` (so call this
 * before the modules' routes are registered) and empties the instance's cache after its writes.
 */
export function installResponseCache(app: FastifyInstance, enabled = true, cache = new ResponseCache()) {
  app.decorate('responseCache', cache);
  if (!enabled) return;

  app.addHook('onRoute', (route) => {
    const rule = (route.config as { responseCache?: ResponseCacheRule } | undefined)?.responseCache;
    if (!rule || [route.method].flat().some((m) => m !== 'GET')) return;
    const metric = `response_${rule.ns[0]}`;
    // The lookup is the route's first own hook, after the app's (the caller is known by then) and before
    // validation: a hit's URL was validated when its answer was made, so a hit costs no schema work.
    const lookup = async (req: FastifyRequest, reply: FastifyReply) => {
      // HEAD shares the GET route's hooks; it neither reads nor fills the cache. A caller who has just
      // written reads the primary, past a cache that may hold the replica's older page (core/read-replica.ts).
      if (req.method !== 'GET' || (req.auth && !rule.signedIn) || readsOwnWrites(req)) return;
      const key = normalisedUrl(req.url);
      const hit = cache.get(key);
      countCacheLookup(metric, !!hit);
      if (!hit) { pendingOf.set(req, { key, rule, generations: cache.stamp(rule.ns) }); return; }
      rule.perCaller?.(req, reply);
      reply.header('etag', hit.etag).header('cache-control', 'no-cache');
      if (notModified(req.headers['if-none-match'], hit.etag)) return reply.code(304).send();
      return reply.type(hit.type).send(hit.body);
    };
    const own = route.onRequest;
    route.onRequest = own ? [lookup, ...(Array.isArray(own) ? own : [own])] : [lookup];
    if (!rule.perCaller) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      const result = await handler.call(this, req, reply);
      rule.perCaller!(req, reply); // after a successful answer only (a thrown error skips it)
      return result;
    } as RouteHandlerMethod;
  });

  // A miss's serialised body is stored here, after every other onSend hook of the app has run.
  app.addHook('onSend', (req, reply, payload, done) => {
    const pending = pendingOf.get(req);
    if (!pending || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload);
    pendingOf.delete(req);
    const etag = etagOf(payload);
    const type = String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8');
    // Kept as bytes: a hit is then written without encoding the text again (measured: most of a hit's CPU is the write).
    cache.set(pending.key, { body: Buffer.from(payload), type, etag, ns: pending.rule.ns, at: Date.now(), maxAgeMs: pending.rule.maxAgeMs ?? DEFAULT_MAX_AGE_MS }, pending.generations);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (notModified(req.headers['if-none-match'], etag)) { reply.code(304); return done(null, ''); }
    done(null, payload);
  });

  // This instance's own writes show at once to the next read here, whatever their event's delay.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (WRITES.has(req.method) && reply.statusCode < 400 && !req.routeOptions.config?.leavesPublicPages) cache.invalidate('*');
    done(null, payload);
  });
}

/**
 * Drops the namespaces an event names, on every event of `channel` (every instance hears every
 * event); with a read replica once more when the replica has replayed the change, so that a read
 * of the replica in between does not keep the old page.
 */
export async function invalidateOn(app: FastifyInstance, channel: string, namespaces: (payload: unknown) => readonly string[] | '*') {
  await app.events.subscribe(channel, (payload) => {
    const ns = namespaces(payload);
    app.responseCache.invalidate(ns);
    if (app.dbh.readDb !== app.dbh.db) void replicaCaughtUp(app.dbh).then(() => app.responseCache.invalidate(ns));
  });
}

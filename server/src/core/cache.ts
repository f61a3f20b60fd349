import type { Db } from './db.js';
import { countCacheLookup } from './metrics.js';

/**
 * Short caches of computed values (cockpit panels, wall orders, public figures), per database
 * handle and per named cache. A cache, not state: every instance computes on its own and nothing
 * is lost on restart. A key must say everything the value depends on — never who asks, unless the
 * caller's scope was checked before the lookup. Each lookup is counted in /metrics under the
 * cache's name (redcom_cache_lookups_total{cache, result}).
 */
interface Entry { at: number; value: Promise<unknown> }

/** Entries kept per named cache; the oldest written goes first beyond it. */
const MAX_ENTRIES = 1000;

const caches = new WeakMap<Db, Map<string, Map<string, Entry>>>();

function cacheOf(db: Db, name: string) {
  let byName = caches.get(db);
  if (!byName) caches.set(db, (byName = new Map()));
  let cache = byName.get(name);
  if (!cache) byName.set(name, (cache = new Map()));
  return cache;
}

function store(cache: Map<string, Entry>, key: string, entry: Entry) {
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** The cached value if younger than `ttlMs`, otherwise a fresh computation (shared by concurrent callers). */
export function cached<T>(db: Db, name: string, key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  const cache = cacheOf(db, name);
  const hit = cache.get(key);
  const fresh = !!hit && Date.now() - hit.at < ttlMs;
  countCacheLookup(name, fresh);
  if (fresh) return hit!.value as Promise<T>;
  const value = compute();
  const entry = { at: Date.now(), value };
  store(cache, key, entry);
  // Only this computation's entry: a newer one written meanwhile stays.
  value.catch(() => { if (cache.get(key) === entry) cache.delete(key); });
  return value;
}

/**
 * Like `cached`, but once a value exists a stale one is served while a single refresh runs
 * behind it: only the first request after start waits for the computation.
 */
export function cachedStale<T>(db: Db, name: string, key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  const cache = cacheOf(db, name);
  const hit = cache.get(key);
  if (!hit) return cached(db, name, key, ttlMs, compute);
  const fresh = Date.now() - hit.at < ttlMs;
  countCacheLookup(name, fresh);
  if (!fresh) {
    const next = compute();
    // The old value stays until the new one is ready; the stamp moves now so that one refresh runs, not one per request.
    hit.at = Date.now();
    next.then((v) => store(cache, key, { at: Date.now(), value: Promise.resolve(v) }), () => { hit.at = 0; });
  }
  return hit.value as Promise<T>;
}

/** Forgets every value of one named cache (e.g. when an event says they are out of date). */
export function forget(db: Db, name: string) {
  caches.get(db)?.get(name)?.clear();
}

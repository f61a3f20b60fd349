import type { Db } from '../../core/db.js';

/**
 * Short caches of computed panels, per database handle. A cache, not state: every instance
 * recomputes on its own and nothing is lost on restart. Keys carry the panel and the region
 * shown; a panel's value depends on nothing else (the region was checked against the caller's
 * scope before the lookup), so a cached value never reaches a caller who may not see that region.
 */
const caches = new WeakMap<Db, Map<string, { at: number; value: Promise<unknown> }>>();

/** The cached value if younger than `ttlMs`, otherwise a fresh computation (shared by concurrent callers). */
export function cached<T>(db: Db, key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < ttlMs) return hit.value as Promise<T>;
  const value = compute();
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  return value;
}

/**
 * Like `cached`, but once a value exists a stale one is served while a single refresh runs
 * behind it: only the first request after start waits for the computation.
 */
export function cachedStale<T>(db: Db, key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (!hit) return cached(db, key, ttlMs, compute);
  if (Date.now() - hit.at >= ttlMs) {
    const next = compute();
    // The old value stays until the new one is ready; the stamp moves now so that one refresh runs, not one per request.
    hit.at = Date.now();
    next.then((v) => cache.set(key, { at: Date.now(), value: Promise.resolve(v) }), () => { hit.at = 0; });
  }
  return hit.value as Promise<T>;
}

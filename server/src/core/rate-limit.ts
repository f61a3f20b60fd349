import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import { clientNetwork } from './auth/throttle.js';
import { AppError } from './errors.js';

/**
 * Request-rate limits (@fastify/rate-limit, counted in each instance's memory). Sign-in, the
 * current-password check, SMS codes (per phone and address) and WeChat bind attempts are limited
 * elsewhere, in the database (core/auth/throttle.ts, people/sms-sign-in.ts), because they must hold
 * across instances; these limits stop floods.
 *
 * - Every public API route (config.public), per client address: RATE_LIMIT_PUBLIC_PER_MIN a minute
 *   (default 600; 0 = off, for benchmarks from one address). /api/health is never limited.
 * - Routes that issue a code to a signed-in person (WeChat bind codes) take
 *   `config: { rateLimit: codeSendLimit }`: a few per account, or per address without a session.
 *
 * The client address is Fastify's req.ip, which believes X-Forwarded-For only from TRUST_PROXY;
 * an IPv6 client is counted by its /64 as the sign-in throttle does.
 */

const UNLIMITED = new Set(['/api/health']);

/** One person's code requests: 5 per 10 minutes per account (per address before sign-in). */
export const codeSendLimit: RateLimitOptions = {
  max: 5,
  timeWindow: 10 * 60_000,
  // After authentication, so a signed-in caller is counted as an account, not as the address it shares.
  hook: 'preHandler',
  keyGenerator: (req: FastifyRequest) => (req.auth ? `account:${req.auth.accountId}` : clientNetwork(req.ip)),
};

/**
 * Call after installResponseCache: a public route's limit is put in front of all its own hooks, so a
 * page answered from the cache is counted too.
 */
export async function installRateLimits(app: FastifyInstance) {
  const perMinute = app.config.rateLimitPublicPerMin;
  await app.register(rateLimit, {
    global: false,
    max: perMinute || 1,
    timeWindow: 60_000,
    keyGenerator: (req) => clientNetwork(req.ip),
    // Answered in the app's error shape; the plugin has already set Retry-After (seconds).
    errorResponseBuilder: (_req, ctx) => new AppError(429, 'rate_limited', 'rate_limited', { seconds: Math.max(1, Math.ceil(ctx.ttl / 1000)) }),
  });
  if (!perMinute) return;
  // One handler, so every public route counts against the same per-address store.
  const publicLimit = app.rateLimit();
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { public?: boolean; rateLimit?: RateLimitOptions | false };
    if (!config.public || config.rateLimit !== undefined || UNLIMITED.has(route.url)) return;
    route.onRequest = [publicLimit, ...[route.onRequest ?? []].flat()];
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db.js';
import { AppError, forbidden, unauthenticated } from '../errors.js';
import { can, type Permission } from './roles.js';
import { resolveSession } from './resolve-session.js';
import './context.js';

export const SESSION_COOKIE = 'rc_session';
/**
 * Where the API is mounted (Open311 will add /open311/). Every route under these
 * needs a session unless it is marked public; app.ts refuses to start with a module
 * route anywhere else, so a new prefix cannot slip past the guard.
 */
export const GUARDED_PREFIXES = ['/api/', '/open311/'];
export const isGuardedUrl = (url: string) => GUARDED_PREFIXES.some((p) => url.startsWith(p));
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller on every /api request and enforces each route's
 * `config.public` / `config.permission`. Cookie-authenticated writes must carry
 * the session's X-CSRF-Token; bearer-token clients need none.
 */
export function installAuth(app: FastifyInstance, db: Db) {
  app.decorateRequest('auth', null);

  app.addHook('onRequest', async (req) => {
    if (!isGuardedUrl(req.url)) return;
    const header = req.headers.authorization;
    let token: string | undefined;
    let via: 'cookie' | 'bearer' = 'bearer';
    if (header?.startsWith('Bearer ')) token = header.slice(7).trim();
    else if (req.cookies?.[SESSION_COOKIE]) { token = req.cookies[SESSION_COOKIE]; via = 'cookie'; }
    if (!token) return;
    const session = await resolveSession(db, token, via);
    if (!session) return;
    const { csrfToken, ...auth } = session;
    if (via === 'cookie' && !SAFE.has(req.method) && req.headers['x-csrf-token'] !== csrfToken) {
      throw new AppError(403, 'csrf');
    }
    req.auth = auth;
  });

  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { public?: boolean; permission?: Permission };
    if (!isGuardedUrl(route.url) || route.url.startsWith('/api/docs') || config.public) return;
    const guard = async (req: FastifyRequest) => {
      if (!req.auth) throw unauthenticated();
      if (config.permission && !can(req.auth.permissions, config.permission)) throw forbidden();
    };
    // Run before validation so an anonymous caller learns nothing about the body's shape.
    const existing = route.preValidation;
    route.preValidation = existing ? [guard, ...(Array.isArray(existing) ? existing : [existing])] : [guard];
  });
}

export function requireAuth(req: FastifyRequest) {
  if (!req.auth) throw unauthenticated();
  return req.auth;
}

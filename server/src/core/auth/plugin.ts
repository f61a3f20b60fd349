import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db.js';
import { AppError, forbidden, unauthenticated } from '../errors.js';
import { can } from './roles.js';
import { resolveSession } from './sessions.js';
import './context.js';

export const SESSION_COOKIE = 'rc_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller on every /api request and enforces each route's
 * `config.public` / `config.permission`. Cookie-authenticated writes must carry
 * the session's X-CSRF-Token; bearer-token clients need none.
 */
export function installAuth(app: FastifyInstance, db: Db) {
  app.decorateRequest('auth', null);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
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
    const config = (route.config ?? {}) as { public?: boolean; permission?: string };
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs') || config.public) return;
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

import type { Actor } from '../audit.js';
import type { Permission } from './roles.js';

/** Who is asking, resolved once per request from the session. */
export interface AuthContext {
  accountId: number;
  username: string;
  displayName: string;
  personId: number | null;
  organisationId: number | null;
  roles: string[];
  permissions: Set<string>;
  /** Data scope: region id and its materialised path; null = no region data at all. */
  scope: { regionId: number; path: string } | null;
  sessionId: number;
  via: 'cookie' | 'bearer';
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Permission code required (declared by a module); absent = any signed-in account. */
    permission?: Permission;
  }
}

export function actorFromRequest(req: { auth: AuthContext | null; ip: string; id: string }): Actor {
  return {
    id: req.auth?.accountId ?? null,
    name: req.auth?.username ?? null,
    role: req.auth?.roles[0] ?? null,
    ip: req.ip,
    requestId: req.id,
  };
}

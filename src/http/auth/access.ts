// Who may call what, enforced for every route from this one place. Each route declares
// `config.access`: 'public', or the lowest role allowed. A route under /api without one refuses to
// register, so no route can be forgotten. An API token is also held to its scopes: each route needs one
// (`config.scope`, else derived from method + rule: GET is `read`, a change open to Contributors is
// `write`, one that needs an Administrator or the Owner is `admin`), and a route marked `session` (token
// management) is closed to tokens altogether, so a token can never mint another.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../crypto/index.ts';
import type { Db, Role } from '../../db/index.ts';
import type { TokenScope } from '../../contracts/index.ts';
import { DomainError } from '../../lib/index.ts';
import { ROLE_RANK } from '../../services/index.ts';
import { findTokenPrincipal, type TokenPrincipal } from './api-tokens.ts';
import { findSession, SESSION_COOKIE, type SessionPrincipal } from './sessions.ts';

export type Access = 'public' | Role;
/** What an API token needs for a route; `session` means a signed-in session only, never a token. */
export type RouteScope = TokenScope | 'session';
export type Principal = SessionPrincipal | TokenPrincipal;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The token scope the route needs, when method + rule do not say it (see requiredScope). */
    scope?: RouteScope;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every /api route with its access rule, for docs and for the tests generated from it. */
    routeTable: RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  scope: RouteScope;
}

/** The scope a token needs: the route's own, else GET/HEAD `read`, a change for Administrators or the
 * Owner `admin`, any other change `write`. */
export function requiredScope(method: string, access: Access, declared?: RouteScope): RouteScope {
  if (declared) return declared;
  if (SAFE_METHODS.has(method)) return 'read';
  return access !== 'public' && ROLE_RANK[access] >= ROLE_RANK.administrator ? 'admin' : 'write';
}

/** Every scope includes `read`; `write` and `admin` must be held themselves. */
export function scopeAllows(scopes: readonly TokenScope[], needed: RouteScope): boolean {
  if (needed === 'session') return false;
  // Every scope can read: write and admin tokens that could change data but not see it would be of no use.
  return scopes.includes(needed) || (needed === 'read' && scopes.length > 0);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAccessControl(app: FastifyInstance, db: Db): void {
  app.decorateRequest('principal', null);
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        table.push({ method, url: route.url, access, scope: requiredScope(method, access, route.config?.scope) });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined) return;
    request.principal = await authenticate(request, db);
    if (access === 'public') return;
    const principal = request.principal;
    if (!principal)
      throw new DomainError('unauthenticated', 'sign in, or send an API token as "Authorization: Bearer vbt_…"');
    if (principal.kind === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !constantTimeEqual(sent, principal.csrfToken)) {
        throw new DomainError('csrf_failed', 'missing or wrong X-CSRF-Token header; reload the page and try again');
      }
    }
    if (ROLE_RANK[principal.role] < ROLE_RANK[access]) {
      throw new DomainError('forbidden', `this needs the ${access} role or higher; you are ${principal.role}`);
    }
    if (principal.kind === 'token') {
      const needed = requiredScope(request.method, access, request.routeOptions.config?.scope);
      if (needed === 'session')
        throw new DomainError('forbidden', 'API tokens cannot do this; sign in to manage API tokens');
      if (!scopeAllows(principal.scopes, needed)) {
        throw new DomainError(
          'forbidden',
          `this needs an API token with the ${needed} scope; this one has ${principal.scopes.join(', ') || 'none'}`,
        );
      }
    }
  });
}

async function authenticate(request: FastifyRequest, db: Db): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await findTokenPrincipal(db.kysely, match[1]) : null;
    if (!principal) throw new DomainError('unauthenticated', 'the API token is invalid, expired or revoked');
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? findSession(db.kysely, cookie) : null;
}

/** The signed-in principal of a route that is not public (the hook above guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated', 'sign in first');
  return request.principal;
}

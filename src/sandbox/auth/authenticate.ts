// Token authentication as GitLab's API does it: Bearer (OAuth or PAT), PRIVATE-TOKEN, or the
// access_token / private_token query parameters; then the scope check for the route.
import type { AuthNeed, Ctx } from '../http/router.ts';
import { HttpError, json, unauthorized } from '../http/reply.ts';
import type { Store } from '../state/store.ts';
import type { UserRecord } from '../state/types.ts';

export const EXPIRED = 'Token is expired. You can either do re-authorization or token refresh.';
export const REVOKED = 'Token was revoked. You have to re-authorize from the user.';
const INSUFFICIENT = 'The request requires higher privileges than provided by the access token.';

export interface TokenOwner {
  user: UserRecord;
  scopes: string[];
}

function invalidToken(description: string): HttpError {
  return new HttpError(
    json(
      401,
      { error: 'invalid_token', error_description: description },
      {
        'www-authenticate': `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"`,
      },
    ),
  );
}

/** Finds the presented token; throws GitLab's 401 for expired, revoked or unknown tokens. */
export function tokenOwner(store: Store, presented: string): TokenOwner {
  const now = store.now();
  const oauth = store.data.oauthTokens.find((t) => t.accessToken === presented);
  if (oauth) {
    if (oauth.revokedAt !== null && oauth.revokedAt <= now) throw invalidToken(REVOKED);
    if (oauth.createdAt + oauth.expiresIn * 1000 <= now) throw invalidToken(EXPIRED);
    const user = store.user(oauth.userId);
    if (!user) throw unauthorized();
    return { user, scopes: oauth.scopes };
  }
  const pat = store.data.personalTokens.find((t) => t.token === presented);
  if (pat) {
    if (pat.revoked) throw invalidToken(REVOKED);
    if (pat.expiresAt !== null && pat.expiresAt <= now) throw invalidToken(EXPIRED);
    const user = store.user(pat.userId);
    if (!user) throw unauthorized();
    return { user, scopes: pat.scopes };
  }
  throw unauthorized();
}

export function presentedToken(ctx: Pick<Ctx, 'headers' | 'input'>): string | null {
  const authz = ctx.headers.authorization;
  if (typeof authz === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
    if (m?.[1]) return m[1];
  }
  const pt = ctx.headers['private-token'];
  if (typeof pt === 'string' && pt.length > 0) return pt;
  const q = ctx.input.access_token ?? ctx.input.private_token;
  return typeof q === 'string' && q.length > 0 ? q : null;
}

function insufficientScope(scope: string): HttpError {
  return new HttpError(
    json(
      403,
      { error: 'insufficient_scope', error_description: INSUFFICIENT, scope },
      {
        'www-authenticate': `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="${INSUFFICIENT}", scope="${scope}"`,
      },
    ),
  );
}

/** Sets ctx.user / ctx.scopes, enforcing what the route needs. */
export function authenticate(ctx: Ctx, need: AuthNeed): void {
  if (need === 'none' || need === 'session') return;
  const token = presentedToken(ctx);
  if (!token) {
    if (need === 'optional') return;
    throw unauthorized();
  }
  const owner = tokenOwner(ctx.rt.store, token);
  ctx.user = owner.user;
  ctx.scopes = owner.scopes;
  const s = owner.scopes;
  if (need === 'write' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) {
    if (!s.includes('api')) throw insufficientScope('api');
  } else if (need === 'user') {
    if (!s.some((x) => x === 'api' || x === 'read_api' || x === 'read_user'))
      throw insufficientScope('api read_api read_user');
  } else if (!s.some((x) => x === 'api' || x === 'read_api')) {
    throw insufficientScope('api read_api');
  }
}

// OAuth 2 against a GitLab instance (a Doorkeeper provider): authorization code + PKCE S256, token
// exchange, refresh (GitLab rotates both tokens), revoke. Hand-written over the injected fetch because
// the flow is four small form posts and it must go through the SSRF-guarded transport.
import { createHash, randomBytes } from 'node:crypto';
import { describeGitlabBody, GitlabError, unreachable } from './errors.ts';

export const OAUTH_SCOPE = 'api';

export interface OAuthApp {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** null when GitLab sent no expires_in. */
  expiresAt: Date | null;
}

export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url'); // 64 chars of [A-Za-z0-9-_]
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export function authorizeUrl(app: OAuthApp, state: string, challenge: string): string {
  const params = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: 'code',
    state,
    scope: OAUTH_SCOPE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${app.baseUrl}/oauth/authorize?${params.toString()}`;
}

async function tokenRequest(fetchFn: typeof fetch, app: OAuthApp, form: Record<string, string>): Promise<TokenSet> {
  let response: Response;
  try {
    response = await fetchFn(`${app.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: app.redirectUri,
        ...form,
      }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw unreachable(app.baseUrl, error, 'the token request');
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok || !body || typeof body.access_token !== 'string') {
    const failure = response.status >= 500 ? 'server' : response.status === 429 ? 'rate_limited' : 'unauthorized';
    throw new GitlabError(
      failure,
      `GitLab refused the token request (${response.status}): ${describeGitlabBody(body) || 'no detail'}`,
      response.status,
    );
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in);
  const createdAt = typeof body.created_at === 'number' ? body.created_at * 1000 : Date.now();
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    expiresAt:
      Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Math.min(createdAt, Date.now()) + expiresIn * 1000) : null,
  };
}

export function exchangeCode(fetchFn: typeof fetch, app: OAuthApp, code: string, verifier: string): Promise<TokenSet> {
  return tokenRequest(fetchFn, app, { grant_type: 'authorization_code', code, code_verifier: verifier });
}

export function refreshTokens(fetchFn: typeof fetch, app: OAuthApp, refreshToken: string): Promise<TokenSet> {
  return tokenRequest(fetchFn, app, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** Revoke a token at GitLab. Best effort: a token GitLab no longer knows is as good as revoked. */
export async function revokeToken(
  fetchFn: typeof fetch,
  app: Omit<OAuthApp, 'redirectUri'>,
  token: string,
): Promise<boolean> {
  try {
    const response = await fetchFn(`${app.baseUrl}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, token }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

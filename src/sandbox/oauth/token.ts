// POST /oauth/token (authorization_code with PKCE, refresh_token with rotation), POST /oauth/revoke,
// GET /oauth/token/info, GET /oauth/userinfo. Doorkeeper's error bodies.
import { createHash, randomBytes } from 'node:crypto';
import { presentedToken } from '../auth/authenticate.ts';
import { avatarUrl } from '../entities/basic.ts';
import { str } from '../http/params.ts';
import { HttpError, type Reply, json } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import { recordSecret } from '../ledger.ts';
import type { OAuthAppRecord, OAuthTokenRecord } from '../state/types.ts';

export const ACCESS_TOKEN_TTL = 7200;
export const CODE_TTL_MS = 10 * 60_000;

const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
const INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.';

export function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError(
    json(status, { error, error_description: description }, { 'cache-control': 'no-store', pragma: 'no-cache' }),
  );
}

const invalidGrant = () => oauthError(400, 'invalid_grant', INVALID_GRANT);
const missingParam = (name: string) => oauthError(400, 'invalid_request', `Missing required parameter: ${name}.`);

/** Client credentials from HTTP Basic or the body; confidential apps must present the secret. */
function authenticateClient(ctx: Ctx): OAuthAppRecord {
  let id = str(ctx.input, 'client_id');
  let secret = str(ctx.input, 'client_secret');
  const basic = /^Basic\s+(.+)$/i.exec(String(ctx.headers.authorization ?? ''));
  if (basic?.[1]) {
    const [u, p] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    id = decodeURIComponent(u ?? '');
    secret = decodeURIComponent(p ?? '');
  }
  const app = ctx.rt.store.data.oauthApps.find((a) => a.uid === id);
  if (!app) throw oauthError(401, 'invalid_client', INVALID_CLIENT);
  if (app.confidential && app.secret !== secret) throw oauthError(401, 'invalid_client', INVALID_CLIENT);
  return app;
}

export function issueToken(ctx: Ctx, appId: number, userId: number, scopes: string[]): OAuthTokenRecord {
  const store = ctx.rt.store;
  const record: OAuthTokenRecord = {
    id: store.nextId('oauthToken'),
    appId,
    userId,
    accessToken: randomBytes(32).toString('hex'),
    refreshToken: randomBytes(32).toString('hex'),
    scopes,
    createdAt: store.now(),
    expiresIn: ACCESS_TOKEN_TTL,
    revokedAt: null,
  };
  store.data.oauthTokens.push(record);
  recordSecret('gitlab-access-token', record.accessToken);
  recordSecret('gitlab-refresh-token', record.refreshToken);
  return record;
}

function tokenReply(t: OAuthTokenRecord): Reply {
  return json(
    200,
    {
      access_token: t.accessToken,
      token_type: 'bearer', // as doc/api/oauth2.md shows it
      expires_in: t.expiresIn,
      refresh_token: t.refreshToken,
      scope: t.scopes.join(' '),
      created_at: Math.floor(t.createdAt / 1000),
    },
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}

function verifyPkce(challenge: string, method: 'plain' | 'S256', verifier: string): boolean {
  if (method === 'plain') return challenge === verifier;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

function token(ctx: Ctx): Reply {
  const store = ctx.rt.store;
  const grantType = str(ctx.input, 'grant_type');
  if (!grantType) throw missingParam('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw oauthError(
      400,
      'unsupported_grant_type',
      'The authorization grant type is not supported by the authorization server.',
    );
  }
  const app = authenticateClient(ctx);
  const now = store.now();
  if (grantType === 'authorization_code') {
    const code = str(ctx.input, 'code');
    if (!code) throw missingParam('code');
    const redirectUri = str(ctx.input, 'redirect_uri');
    if (!redirectUri) throw missingParam('redirect_uri');
    const grant = store.data.oauthGrants.find((g) => g.code === code);
    if (!grant || grant.used || grant.appId !== app.id || grant.createdAt + CODE_TTL_MS <= now) throw invalidGrant();
    if (grant.redirectUri !== redirectUri) throw invalidGrant();
    if (grant.codeChallenge && grant.codeChallengeMethod) {
      const verifier = str(ctx.input, 'code_verifier');
      if (!verifier) throw missingParam('code_verifier');
      if (!verifyPkce(grant.codeChallenge, grant.codeChallengeMethod, verifier)) throw invalidGrant();
    }
    grant.used = true;
    return tokenReply(issueToken(ctx, app.id, grant.userId, grant.scopes));
  }
  const refresh = str(ctx.input, 'refresh_token');
  if (!refresh) throw missingParam('refresh_token');
  const old = store.data.oauthTokens.find((t) => t.refreshToken === refresh);
  // Rotation: the old pair dies at once, so a second refresh with the same token loses.
  if (!old || old.appId !== app.id || (old.revokedAt !== null && old.revokedAt <= now)) throw invalidGrant();
  old.revokedAt = now;
  return tokenReply(issueToken(ctx, app.id, old.userId, old.scopes));
}

function revoke(ctx: Ctx): Reply {
  const app = authenticateClient(ctx);
  const value = str(ctx.input, 'token');
  if (!value) throw missingParam('token');
  const t = ctx.rt.store.data.oauthTokens.find((x) => x.accessToken === value || x.refreshToken === value);
  if (t) {
    if (t.appId !== app.id) throw oauthError(403, 'unauthorized_client', 'You are not authorized to revoke this token');
    if (t.revokedAt === null) t.revokedAt = ctx.rt.store.now();
  }
  return json(200, {});
}

function findAccessToken(ctx: Ctx): OAuthTokenRecord {
  const value = presentedToken(ctx);
  const t = value ? ctx.rt.store.data.oauthTokens.find((x) => x.accessToken === value) : undefined;
  const now = ctx.rt.store.now();
  if (!t) throw oauthError(401, 'invalid_token', 'The access token is invalid');
  if (t.revokedAt !== null && t.revokedAt <= now)
    throw oauthError(401, 'invalid_token', 'The access token was revoked');
  if (t.createdAt + t.expiresIn * 1000 <= now) throw oauthError(401, 'invalid_token', 'The access token expired');
  return t;
}

function tokenInfo(ctx: Ctx): Reply {
  const t = findAccessToken(ctx);
  const app = ctx.rt.store.data.oauthApps.find((a) => a.id === t.appId);
  const left = Math.max(0, Math.floor((t.createdAt + t.expiresIn * 1000 - ctx.rt.store.now()) / 1000));
  return json(200, {
    resource_owner_id: t.userId,
    scope: t.scopes,
    expires_in: left,
    application: { uid: app?.uid ?? null },
    created_at: Math.floor(t.createdAt / 1000),
    scopes: t.scopes,
    expires_in_seconds: left,
  });
}

function userInfo(ctx: Ctx): Reply {
  const t = findAccessToken(ctx);
  const u = ctx.rt.store.user(t.userId);
  if (!u) throw oauthError(401, 'invalid_token', 'The access token is invalid');
  return json(200, {
    sub: String(u.id),
    sub_legacy: createHash('sha256').update(String(u.id)).digest('hex'),
    name: u.name,
    nickname: u.username,
    preferred_username: u.username,
    email: u.email,
    email_verified: true,
    website: '',
    profile: `${ctx.rt.url}/${u.username}`,
    picture: avatarUrl(ctx.rt.url, u),
    groups: [],
  });
}

export const tokenRoutes: Route[] = [
  { method: 'POST', pattern: '/oauth/token', auth: 'none', handler: token },
  { method: 'POST', pattern: '/oauth/revoke', auth: 'none', handler: revoke },
  { method: 'GET', pattern: '/oauth/token/info', auth: 'none', handler: tokenInfo },
  { method: 'GET', pattern: '/oauth/userinfo', auth: 'none', handler: userInfo },
];

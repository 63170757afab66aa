import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, pkcePair } from '../testing/helpers.ts';

const REDIRECT = 'http://localhost:9999/callback';
let sb: Sandbox;
let auto: Sandbox;

beforeAll(async () => {
  [sb, auto] = await Promise.all([
    startSandbox({ redirectUris: [REDIRECT], rateLimits: 'off' }),
    startSandbox({ redirectUris: [REDIRECT], rateLimits: 'off', autoApprove: 'bob' }),
  ]);
});
afterAll(async () => {
  await Promise.all([sb.close(), auto.close()]);
});

function authorizeUrl(s: Sandbox, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: s.oauthApplication.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    state: 'xyz',
    scope: 'api',
    ...extra,
  });
  return `${s.url}/oauth/authorize?${q}`;
}

async function signIn(s: Sandbox, username = 'alice'): Promise<string> {
  const user = s.users.find((u) => u.username === username)!;
  const res = await fetch(`${s.url}/users/sign_in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: user.password, redirect_to: '/' }),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Runs the browser part of the flow as a signed-in person who clicks Authorize; returns the code. */
async function getCode(s: Sandbox, challenge?: { challenge: string; method: string }): Promise<string> {
  const cookie = await signIn(s);
  const extra: Record<string, string> = challenge
    ? { code_challenge: challenge.challenge, code_challenge_method: challenge.method }
    : {};
  const consent = await fetch(authorizeUrl(s, extra), { headers: { cookie }, redirect: 'manual' });
  if (consent.status === 302) {
    // Already authorized for these scopes: GitLab approves without asking again.
    return new URL(consent.headers.get('location')!).searchParams.get('code')!;
  }
  expect(consent.status).toBe(200);
  const html = await consent.text();
  expect(html).toContain('Authorize Vulnbridge');
  const form = new URLSearchParams({
    client_id: s.oauthApplication.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    state: 'xyz',
    scope: 'api',
    decision: 'approve',
    ...extra,
  });
  const approved = await fetch(`${s.url}/oauth/authorize`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  expect(approved.status).toBe(302);
  const location = new URL(approved.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('xyz');
  return location.searchParams.get('code')!;
}

function exchange(s: Sandbox, form: Record<string, string>) {
  return api(s, '/oauth/token', {
    form: {
      client_id: s.oauthApplication.clientId,
      client_secret: s.oauthApplication.clientSecret,
      redirect_uri: REDIRECT,
      ...form,
    },
  });
}

describe('authorize', () => {
  it('sends a person who is not signed in to the sign-in page, then back', async () => {
    const res = await fetch(authorizeUrl(sb), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.pathname).toBe('/users/sign_in');
    expect(loc.searchParams.get('redirect_to')).toContain('/oauth/authorize?');
    const page = await fetch(loc, { redirect: 'manual' });
    expect(await page.text()).toContain('name="password"');
  });

  it('rejects a wrong password on the sign-in page', async () => {
    const res = await fetch(`${sb.url}/users/sign_in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=alice&password=nope',
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('Invalid login or password.');
  });

  it('shows an error page (no redirect) for an unknown client or redirect URI', async () => {
    const cookie = await signIn(sb);
    const unknown = await fetch(authorizeUrl(sb, { client_id: 'nope' }), { headers: { cookie }, redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('invalid_client');
    const badUri = await fetch(authorizeUrl(sb, { redirect_uri: 'http://evil.example/cb' }), {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(badUri.status).toBe(400);
    expect(await badUri.text()).toContain('invalid_redirect_uri');
  });

  it('redirects with OAuth errors for a bad scope, response type or PKCE method, and on deny', async () => {
    const cookie = await signIn(sb);
    const cases: [Record<string, string>, string][] = [
      [{ scope: 'api sudo' }, 'invalid_scope'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge: 'abc', code_challenge_method: 'S512' }, 'invalid_request'],
    ];
    for (const [extra, error] of cases) {
      const res = await fetch(authorizeUrl(sb, extra), { headers: { cookie }, redirect: 'manual' });
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location')!);
      expect(loc.searchParams.get('error')).toBe(error);
      expect(loc.searchParams.get('state')).toBe('xyz');
    }
    const pkce = new URL(
      (
        await fetch(authorizeUrl(sb, { code_challenge: 'abc', code_challenge_method: 'S512' }), {
          headers: { cookie },
          redirect: 'manual',
        })
      ).headers.get('location')!,
    );
    expect(pkce.searchParams.get('error_description')).toBe('The code challenge method must be plain or S256.');
    const deny = await fetch(`${sb.url}/oauth/authorize`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: sb.oauthApplication.clientId,
        redirect_uri: REDIRECT,
        response_type: 'code',
        state: 's1',
        decision: 'deny',
      }),
      redirect: 'manual',
    });
    const loc = new URL(deny.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('s1');
  });

  it('asks for consent the first time only (a confidential app already authorized is approved at once)', async () => {
    const s = await startSandbox({ redirectUris: [REDIRECT], rateLimits: 'off' });
    try {
      const cookie = await signIn(s);
      expect((await fetch(authorizeUrl(s), { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
      const code = await getCode(s);
      expect((await exchange(s, { grant_type: 'authorization_code', code })).status).toBe(200);
      const second = await fetch(authorizeUrl(s), { headers: { cookie }, redirect: 'manual' });
      expect(second.status).toBe(302);
      expect(new URL(second.headers.get('location')!).searchParams.get('code')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await s.close();
    }
  });

  it('auto-approves for scripted runs', async () => {
    const res = await fetch(authorizeUrl(auto), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const tok = await exchange(auto, { grant_type: 'authorization_code', code });
    expect(tok.status).toBe(200);
    const me = await api(auto, '/user', { bearer: tok.body.access_token });
    expect(me.body.username).toBe('bob');
  });
});

describe('token endpoint', () => {
  it('exchanges a code with PKCE S256 for the documented token response', async () => {
    const pair = pkcePair('S256');
    const code = await getCode(sb, { challenge: pair.challenge, method: 'S256' });
    const res = await exchange(sb, { grant_type: 'authorization_code', code, code_verifier: pair.verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual([
      'access_token',
      'created_at',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect(res.body.token_type.toLowerCase()).toBe('bearer');
    expect(res.body.expires_in).toBe(7200);
    expect(res.body.scope).toBe('api');
    expect(Math.abs(res.body.created_at - Date.now() / 1000)).toBeLessThan(60);
    const me = await api(sb, '/user', { bearer: res.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('alice');
    expect((await api(sb, `/user?access_token=${res.body.access_token}`)).body.username).toBe('alice');
    // A code is single-use.
    const again = await exchange(sb, { grant_type: 'authorization_code', code, code_verifier: pair.verifier });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('accepts plain PKCE and refuses a wrong verifier, a missing verifier and a wrong redirect URI', async () => {
    const plain = pkcePair('plain');
    const code = await getCode(sb, { challenge: plain.challenge, method: 'plain' });
    expect((await exchange(sb, { grant_type: 'authorization_code', code, code_verifier: plain.verifier })).status).toBe(
      200,
    );

    const s256 = pkcePair('S256');
    const code2 = await getCode(sb, { challenge: s256.challenge, method: 'S256' });
    const missing = await exchange(sb, { grant_type: 'authorization_code', code: code2 });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: code_verifier.',
    });
    const wrong = await exchange(sb, {
      grant_type: 'authorization_code',
      code: code2,
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect(wrong.body.error_description).toMatch(/^The provided authorization grant is invalid/);

    const code3 = await getCode(sb);
    const badRedirect = await exchange(sb, {
      grant_type: 'authorization_code',
      code: code3,
      redirect_uri: 'http://localhost:9999/other',
    });
    expect(badRedirect.body.error).toBe('invalid_grant');
  });

  it('refuses bad client credentials with 401 invalid_client and unknown grant types with 400', async () => {
    const res = await api(sb, '/oauth/token', {
      form: {
        grant_type: 'authorization_code',
        code: 'x',
        client_id: sb.oauthApplication.clientId,
        client_secret: 'wrong',
        redirect_uri: REDIRECT,
      },
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    const grant = await exchange(sb, { grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
  });

  it('rotates on refresh: the old refresh token then fails, so a concurrent duplicate loses', async () => {
    const code = await getCode(sb);
    const first = (await exchange(sb, { grant_type: 'authorization_code', code })).body;
    const [a, b] = await Promise.all([
      exchange(sb, { grant_type: 'refresh_token', refresh_token: first.refresh_token }),
      exchange(sb, { grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 400]);
    const loser = a.status === 400 ? a : b;
    const winner = a.status === 200 ? a : b;
    expect(loser.body.error).toBe('invalid_grant');
    expect(winner.body.refresh_token).not.toBe(first.refresh_token);
    expect(winner.body.access_token).not.toBe(first.access_token);
    // The old access token died with the rotation; the new one works.
    const old = await api(sb, '/user', { bearer: first.access_token });
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_token');
    expect((await api(sb, '/user', { bearer: winner.body.access_token })).status).toBe(200);
  });

  it('still refreshes after the access token expired; an expired token gets 401 invalid_token', async () => {
    const code = await getCode(sb);
    const tok = (await exchange(sb, { grant_type: 'authorization_code', code })).body;
    sb.admin.expireToken(tok.access_token);
    const res = await api(sb, '/projects', { bearer: tok.access_token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: 'invalid_token',
      error_description: 'Token is expired. You can either do re-authorization or token refresh.',
    });
    const refreshed = await exchange(sb, { grant_type: 'refresh_token', refresh_token: tok.refresh_token });
    expect(refreshed.status).toBe(200);
  });

  it('expires access tokens after 2 hours of sandbox time', async () => {
    const s = await startSandbox({ redirectUris: [REDIRECT], rateLimits: 'off', autoApprove: true });
    try {
      const code = new URL(
        (await fetch(authorizeUrl(s), { redirect: 'manual' })).headers.get('location')!,
      ).searchParams.get('code')!;
      const tok = (await exchange(s, { grant_type: 'authorization_code', code })).body;
      s.admin.advanceClock(7199_000);
      expect((await api(s, '/user', { bearer: tok.access_token })).status).toBe(200);
      s.admin.advanceClock(2_000);
      expect((await api(s, '/user', { bearer: tok.access_token })).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});

describe('revoke, token info, authorized applications', () => {
  it('reports token info in the documented shape', async () => {
    const tok = (await exchange(sb, { grant_type: 'authorization_code', code: await getCode(sb) })).body;
    const res = await api(sb, '/oauth/token/info', { bearer: tok.access_token });
    expect(res.status).toBe(200);
    expect(res.body.resource_owner_id).toBe(sb.store.data.users[0]!.id);
    expect(res.body.scope).toEqual(['api']);
    expect(res.body.scopes).toEqual(['api']);
    expect(res.body.application).toEqual({ uid: sb.oauthApplication.clientId });
    expect(res.body.expires_in).toBeGreaterThan(7100);
    expect(res.body.expires_in_seconds).toBe(res.body.expires_in);
    expect((await api(sb, '/oauth/token/info', { bearer: 'nope' })).status).toBe(401);
  });

  it('revokes a token with /oauth/revoke (200 {}), after which the API says it was revoked', async () => {
    const tok = (await exchange(sb, { grant_type: 'authorization_code', code: await getCode(sb) })).body;
    const res = await api(sb, '/oauth/revoke', {
      form: {
        client_id: sb.oauthApplication.clientId,
        client_secret: sb.oauthApplication.clientSecret,
        token: tok.access_token,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const after = await api(sb, '/user', { bearer: tok.access_token });
    expect(after.status).toBe(401);
    expect(after.body.error_description).toBe('Token was revoked. You have to re-authorize from the user.');
    expect((await exchange(sb, { grant_type: 'refresh_token', refresh_token: tok.refresh_token })).body.error).toBe(
      'invalid_grant',
    );
  });

  it('lists the app under User Settings > Applications and lets the user revoke it', async () => {
    const s = await startSandbox({ redirectUris: [REDIRECT], rateLimits: 'off' });
    try {
      const tok = (await exchange(s, { grant_type: 'authorization_code', code: await getCode(s) })).body;
      const cookie = await signIn(s);
      const page = await (await fetch(`${s.url}/-/user_settings/applications`, { headers: { cookie } })).text();
      expect(page).toContain('Vulnbridge');
      expect(s.admin.authorizedApplications('alice')).toHaveLength(1);
      const appId = s.store.data.oauthApps[0]!.id;
      const revoke = await fetch(`${s.url}/oauth/authorized_applications/${appId}/revoke`, {
        method: 'POST',
        headers: { cookie },
        redirect: 'manual',
      });
      expect(revoke.status).toBe(302);
      expect(s.admin.authorizedApplications('alice')).toHaveLength(0);
      expect((await api(s, '/user', { bearer: tok.access_token })).status).toBe(401);
      expect((await exchange(s, { grant_type: 'refresh_token', refresh_token: tok.refresh_token })).body.error).toBe(
        'invalid_grant',
      );
    } finally {
      await s.close();
    }
  });

  it('revokes a grant from the admin API', async () => {
    const tok = (await exchange(sb, { grant_type: 'authorization_code', code: await getCode(sb) })).body;
    const res = await api(sb, '/-/sandbox/grants/revoke', { body: { username: 'alice' } });
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBeGreaterThan(0);
    expect((await api(sb, '/user', { bearer: tok.access_token })).status).toBe(401);
  });
});

describe('token kinds and scopes', () => {
  it('accepts PRIVATE-TOKEN, Bearer PAT and ?private_token; rejects unknown tokens with 401 {"message"}', async () => {
    const t = sb.users[0]!.token;
    expect((await api(sb, '/user', { token: t })).status).toBe(200);
    expect((await api(sb, '/user', { bearer: t })).status).toBe(200);
    expect((await api(sb, `/user?private_token=${t}`)).status).toBe(200);
    const bad = await api(sb, '/user', { token: 'glpat-nope' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ message: '401 Unauthorized' });
    expect((await api(sb, '/user')).body).toEqual({ message: '401 Unauthorized' });
  });

  it('lets read_api read but answers 403 insufficient_scope on writes', async () => {
    const readOnly = sb.admin.createToken('alice', ['read_api']);
    expect((await api(sb, '/projects?membership=true', { token: readOnly })).status).toBe(200);
    const res = await api(sb, `/projects/${encodeURIComponent('acme/platform/security/juice-shop')}/issues`, {
      token: readOnly,
      body: { title: 'x' },
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api',
    });
    const userOnly = sb.admin.createToken('alice', ['read_user']);
    expect((await api(sb, '/user', { token: userOnly })).status).toBe(200);
    expect((await api(sb, '/projects', { token: userOnly })).status).toBe(403);
  });
});

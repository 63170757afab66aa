// Connect GitLab, against the sandbox over real HTTP: OAuth with PKCE and state bound to the session,
// access tokens, token lifecycle (refresh, single flight, revoked grant → reconnect), disconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/jobs/index.ts';
import { connectionGroupKey, TokenProvider } from '../../src/gitlab/index.ts';
import { parseEnv } from '../../src/config/index.ts';
import { Client } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import { authorizeViaOAuth, createGitlabHarness, type GitlabHarness, HUB_URL, newTarget } from './support.ts';

describe.each(DIALECTS)('connect GitLab on %s', (dialect) => {
  let g: GitlabHarness;
  beforeAll(async () => {
    g = await createGitlabHarness(dialect);
  });
  afterAll(async () => g?.close());

  const tokensOf = (username: string) =>
    g.sandbox.store.data.oauthTokens.filter((t) => t.userId === g.sandbox.store.userByName(username)?.id);

  it('lists the sandbox instance with the redirect URI and scope to register', async () => {
    const { instances } = (await g.org.members.reader.get('/api/gitlab/instances')).json();
    expect(instances).toEqual([
      expect.objectContaining({
        id: g.instanceId,
        baseUrl: g.sandbox.url,
        kind: 'self-managed',
        redirectUri: `${HUB_URL}/api/integrations/gitlab/oauth/callback`,
        scope: 'api',
      }),
    ]);
  });

  it('connects through OAuth with PKCE, stores the tokens sealed, and shows who is connected', async () => {
    const owner = g.org.owner;
    const targetId = await newTarget(owner);
    const start = await owner.post(`/api/targets/${targetId}/gitlab/authorize`, { instanceId: g.instanceId });
    const url = new URL(start.json().authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${g.sandbox.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      scope: 'api',
      code_challenge_method: 'S256',
      client_id: g.sandbox.oauthApplication.clientId,
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const oauthCookie = start.cookies.find((c) => c.name === 'vb_oauth');
    expect(oauthCookie).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/api/integrations/gitlab/oauth/callback',
    });

    const gitlab = await fetch(url, { redirect: 'manual' });
    const back = new URL(gitlab.headers.get('location') ?? '');
    const callback = await owner.request('GET', `${back.pathname}${back.search}`);
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe(`/targets/${targetId}/integrations?gitlab=connected`);

    const { connection } = (await owner.get(`/api/targets/${targetId}/gitlab`)).json();
    expect(connection).toMatchObject({
      authKind: 'oauth',
      status: 'connected',
      baseUrl: g.sandbox.url,
      user: { username: 'alice', name: 'Alice Appsec' },
    });
    const stored = await g.h.t.db.kysely
      .selectFrom('gitlab_connections')
      .selectAll()
      .where('target_id', '=', targetId)
      .executeTakeFirstOrThrow();
    const issued = tokensOf('alice').at(-1)!;
    expect(JSON.stringify(stored)).not.toContain(issued.accessToken);
    expect(JSON.stringify(stored)).not.toContain(issued.refreshToken);
    expect(stored.access_token_enc).toMatch(/^v1\./);
    expect(Date.parse(stored.expires_at ?? '') - Date.now()).toBeGreaterThan(100 * 60_000);
    // The hub now appears under the user's authorized applications in GitLab.
    expect(g.sandbox.admin.authorizedApplications('alice').length).toBeGreaterThan(0);
  });

  it('refuses a callback whose state does not match, or that comes to another session', async () => {
    const owner = g.org.owner;
    const targetId = await newTarget(owner);
    const start = await owner.post(`/api/targets/${targetId}/gitlab/authorize`, { instanceId: g.instanceId });
    const gitlab = await fetch(start.json().authorizeUrl, { redirect: 'manual' });
    const back = new URL(gitlab.headers.get('location') ?? '');
    const forged = new URL(back);
    forged.searchParams.set('state', 'forged-state');
    const other = new Client(g.h.app);
    await other.signIn(
      (
        await g.h.t.db.kysely
          .selectFrom('users')
          .select('email')
          .where('name', '=', 'administrator')
          .executeTakeFirstOrThrow()
      ).email,
    );
    other.jar = new Map(owner.jar); // the attacker even has the OAuth cookie
    const wrongSession = await other.request('GET', `${back.pathname}${back.search}`);
    expect(String(wrongSession.headers.location)).toContain('gitlab_error=');
    const wrongState = await owner.request('GET', `${forged.pathname}${forged.search}`);
    expect(String(wrongState.headers.location)).toContain('gitlab_error=');
    expect((await owner.get(`/api/targets/${targetId}/gitlab`)).json().connection).toBeNull();
  });

  it('connects with a personal access token, and refuses a bad one with a clear message', async () => {
    const owner = g.org.owner;
    const targetId = await newTarget(owner);
    const bad = await owner.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: g.sandbox.url,
      token: 'glpat-not-a-real-token',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/refused this token/);
    const token = g.sandbox.admin.createToken('carol');
    const ok = await owner.post(`/api/targets/${targetId}/gitlab/token`, { baseUrl: g.sandbox.url, token });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().connection).toMatchObject({ authKind: 'access_token', user: { username: 'carol' } });
    expect(ok.body).not.toContain(token);
    const ssrf = await owner.post(`/api/targets/${targetId}/gitlab/token`, { baseUrl: 'http://10.0.0.7', token });
    expect(ssrf.statusCode).toBe(400);
  });

  it('refreshes an access token GitLab expired, transparently', async () => {
    const owner = g.org.owner;
    const targetId = await newTarget(owner);
    await authorizeViaOAuth(owner, targetId, g.instanceId);
    const before = tokensOf('alice').at(-1)!;
    g.sandbox.admin.expireToken(before.accessToken);
    const projects = await owner.get(`/api/targets/${targetId}/gitlab/projects`);
    expect(projects.statusCode, projects.body).toBe(200);
    expect(projects.json().projects.length).toBeGreaterThan(0);
    const after = tokensOf('alice').at(-1)!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect((await owner.get(`/api/targets/${targetId}/gitlab`)).json().connection.status).toBe('connected');
  });

  it('two processes refreshing the same connection at once make one refresh call, and both get a valid token', async () => {
    const owner = g.org.owner;
    const targetId = await newTarget(owner);
    await authorizeViaOAuth(owner, targetId, g.instanceId);
    const row = await g.h.t.db.kysely
      .selectFrom('gitlab_connections')
      .selectAll()
      .where('target_id', '=', targetId)
      .executeTakeFirstOrThrow();
    await g.h.t.db.kysely
      .updateTable('gitlab_connections')
      .set({ expires_at: new Date(Date.now() + 60_000).toISOString() })
      .where('id', '=', row.id)
      .execute();
    const env = parseEnv({
      DATABASE_URL: g.h.t.url,
      PUBLIC_URL: HUB_URL,
      GITLAB_ALLOWED_HOSTS: new URL(g.sandbox.url).host,
    });
    const providers = [0, 1].map(() => new TokenProvider({ db: g.h.t.db.kysely, box: g.h.secretBox, env, fetch }));
    const refreshesBefore = g.sandbox.store.data.oauthTokens.length;
    const [a, b] = await Promise.all(providers.map((p) => p.accessToken(row.id)));
    expect(a).toBe(b);
    expect(providers[0]!.refreshCalls + providers[1]!.refreshCalls).toBe(1);
    expect(g.sandbox.store.data.oauthTokens.length).toBe(refreshesBefore + 1);
    const info = await fetch(`${g.sandbox.url}/oauth/token/info`, { headers: { authorization: `Bearer ${a}` } });
    expect(info.status).toBe(200);
  });

  it('marks the connection "reconnect needed" when the grant is revoked, pauses its jobs, and resumes them after reconnecting', async () => {
    const owner = g.org.owner;
    const targetId = await newTarget(owner);
    await authorizeViaOAuth(owner, targetId, g.instanceId);
    const job = await enqueue(g.h.t.db.kysely, {
      task: 'noop',
      payload: {},
      groupKey: connectionGroupKey(targetId),
      organizationId: g.org.id,
    });
    g.sandbox.admin.revokeGrant('alice');
    const refused = await owner.get(`/api/targets/${targetId}/gitlab/projects`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('reconnect_needed');
    const { connection } = (await owner.get(`/api/targets/${targetId}/gitlab`)).json();
    expect(connection.status).toBe('reconnect_needed');
    const paused = await g.h.t.db.kysely
      .selectFrom('jobs')
      .select('state')
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(paused.state).toBe('paused');
    const { location } = await authorizeViaOAuth(owner, targetId, g.instanceId);
    expect(location).toContain('gitlab=connected');
    expect((await owner.get(`/api/targets/${targetId}/gitlab`)).json().connection.status).toBe('connected');
    const resumed = await g.h.t.db.kysely
      .selectFrom('jobs')
      .select('state')
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(resumed.state).toBe('queued');
  });

  it('disconnect revokes the token at GitLab and deletes it here', async () => {
    const owner = g.org.owner;
    const targetId = await newTarget(owner);
    await authorizeViaOAuth(owner, targetId, g.instanceId);
    const token = tokensOf('alice').at(-1)!.accessToken;
    expect(
      (await fetch(`${g.sandbox.url}/api/v4/user`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    expect((await owner.delete(`/api/targets/${targetId}/gitlab`)).statusCode).toBe(204);
    expect(
      (await fetch(`${g.sandbox.url}/api/v4/user`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    expect(
      await g.h.t.db.kysely.selectFrom('gitlab_connections').select('id').where('target_id', '=', targetId).execute(),
    ).toEqual([]);
  });

  it('never writes a token to the logs or API responses', async () => {
    const everything = g.logs.join('\n');
    expect(everything.length).toBeGreaterThan(0);
    for (const t of g.sandbox.store.data.oauthTokens) {
      expect(everything).not.toContain(t.accessToken);
      expect(everything).not.toContain(t.refreshToken);
    }
    for (const t of g.sandbox.store.data.personalTokens) expect(everything).not.toContain(t.token);
  });
});

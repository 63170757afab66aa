import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/crypto/index.ts';
import { issueSetupCode } from '../../src/services/index.ts';
import { Client, createOrg, createTestApp, PASSWORD, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

describe.each(DIALECTS)('sign-in, sessions and tokens on %s', (dialect) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp(dialect);
  });
  afterAll(async () => h?.close());

  it('sets up the first Owner once, then refuses a second set-up', async () => {
    const anonymous = new Client(h.app);
    expect((await anonymous.get('/api/setup')).json()).toEqual({ needsSetup: true });
    const setupCode = await issueSetupCode(h.t.db.kysely);
    const weak = await anonymous.post('/api/setup', {
      setupCode,
      organizationName: 'Acme',
      name: 'Ann',
      email: 'ann@example.com',
      password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('password') });
    const ok = await anonymous.post('/api/setup', {
      setupCode,
      organizationName: 'Acme',
      name: 'Ann',
      email: 'Ann@Example.com',
      password: PASSWORD,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      user: { email: 'ann@example.com', name: 'Ann' },
      organization: { name: 'Acme' },
      role: 'owner',
    });
    const cookie = ok.cookies.find((c) => c.name === 'vb_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const stored = await h.t.db.kysely.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).toContain(sha256(cookie?.value ?? ''));
    expect(stored.map((s) => s.id)).not.toContain(cookie?.value);
    expect((await anonymous.get('/api/auth/session')).statusCode).toBe(200);
    expect((await new Client(h.app).get('/api/setup')).json()).toEqual({ needsSetup: false });
    const again = await new Client(h.app).post('/api/setup', {
      setupCode,
      organizationName: 'Evil',
      name: 'Eve',
      email: 'eve@example.com',
      password: PASSWORD,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_set_up');
  });

  it('rotates the session on sign-in and kills it on sign-out', async () => {
    const client = new Client(h.app);
    await client.signIn('ann@example.com');
    const first = client.cookie;
    await client.signIn('ann@example.com');
    expect(client.cookie).not.toBe(first);
    const stale = new Client(h.app);
    stale.cookie = first;
    expect((await stale.get('/api/auth/session')).statusCode).toBe(401);
    const kept = client.cookie;
    expect((await client.post('/api/auth/sign-out')).statusCode).toBe(204);
    const replay = new Client(h.app);
    replay.cookie = kept;
    expect((await replay.get('/api/targets')).statusCode).toBe(401);
  });

  it('expires sessions that are past their end or idle too long', async () => {
    const client = new Client(h.app);
    await client.signIn('ann@example.com');
    await h.t.db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 25 * 3600_000).toISOString() })
      .execute();
    expect((await client.get('/api/auth/session')).statusCode).toBe(401);
  });

  it('refuses cookie-authenticated writes without the right CSRF token', async () => {
    const client = new Client(h.app);
    await client.signIn('ann@example.com');
    const missing = await client.request(
      'POST',
      '/api/targets',
      { name: 'X', baseUrl: 'https://x.example' },
      { 'x-csrf-token': '' },
    );
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf_failed');
    const wrong = await client.request(
      'POST',
      '/api/targets',
      { name: 'X', baseUrl: 'https://x.example' },
      { 'x-csrf-token': 'nope' },
    );
    expect(wrong.statusCode).toBe(403);
    expect(await h.t.db.kysely.selectFrom('targets').selectAll().execute()).toEqual([]);
    expect((await client.post('/api/targets', { name: 'X', baseUrl: 'https://x.example' })).statusCode).toBe(201);
  });

  it('slows brute force: after six wrong passwords even the right one is refused with 429 and Retry-After', async () => {
    const client = new Client(h.app);
    for (let i = 0; i < 5; i++)
      expect((await client.signIn('ann@example.com', 'wrong password!!')).statusCode).toBe(401);
    const sixth = await client.signIn('ann@example.com', 'wrong password!!');
    expect(sixth.statusCode).toBe(401);
    const blocked = await client.signIn('ann@example.com', PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error.code).toBe('too_many_attempts');
    await h.t.db.kysely.deleteFrom('login_throttle').execute();
    expect((await client.signIn('ann@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('answers the same for an unknown email as for a wrong password', async () => {
    const unknown = await new Client(h.app).signIn('nobody@example.com', PASSWORD);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toEqual({ code: 'invalid_credentials', message: 'the email or password is wrong' });
  });

  it('authenticates API tokens, scopes them to a role, and refuses them once revoked', async () => {
    const org = await createOrg(h.app, h.t);
    const created = await org.members.contributor.post('/api/tokens', { name: 'ci', role: 'reader' });
    expect(created.statusCode).toBe(201);
    const { secret, token } = created.json();
    expect(secret).toMatch(/^vbt_/);
    expect(JSON.stringify(await h.t.db.kysely.selectFrom('api_tokens').selectAll().execute())).not.toContain(secret);
    const ci = new Client(h.app);
    ci.bearer = secret;
    expect((await ci.get('/api/targets')).statusCode).toBe(200);
    const write = await ci.post('/api/targets', { name: 'T', baseUrl: 'https://t.example' });
    expect(write.statusCode).toBe(403);
    expect((await org.members.contributor.post('/api/tokens', { name: 'too much', role: 'owner' })).statusCode).toBe(
      403,
    );
    expect((await org.members.contributor.delete(`/api/tokens/${token.id}`)).statusCode).toBe(204);
    expect((await ci.get('/api/targets')).statusCode).toBe(401);
    const bogus = new Client(h.app);
    bogus.bearer = 'vbt_not-a-token';
    expect((await bogus.get('/api/targets')).json().error.code).toBe('unauthenticated');
  });

  it('refuses an unauthenticated call to every route but health, set-up, sign-in and an invitation link', async () => {
    const anonymous = new Client(h.app);
    const routes = h.app.routeTable;
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, 'some-id');
      const response = await anonymous.request(
        route.method,
        url,
        route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      );
      if (route.access === 'public') {
        expect([200, 400, 409], `${route.method} ${route.url}`).toContain(response.statusCode);
      } else {
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(response.json().error.code).toBe('unauthenticated');
      }
    }
    const publicRoutes = routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([
      'GET /api/health',
      'GET /api/setup',
      'POST /api/auth/sign-in',
      'POST /api/invitations/accept',
      'POST /api/invitations/preview',
      'POST /api/setup',
    ]);
  });

  it('sends security headers, JSON errors for unknown routes, and limits body size', async () => {
    const health = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json()).toEqual({ status: 'ok', database: dialect });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['content-security-policy']).toContain("default-src 'self'");
    expect(health.headers['x-frame-options']).toBe('SAMEORIGIN');
    const missing = await h.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const huge = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
  });

  it('serves the OpenAPI description at /api/docs', async () => {
    const spec = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    const paths = Object.keys(spec.json().paths);
    expect(paths).toContain('/api/targets/{targetId}');
    expect(spec.json().paths['/api/targets'].post.requestBody).toBeDefined();
  });
});

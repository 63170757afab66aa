// API token scopes, on both dialects. Generated from the route table: every route is called with a token
// of each single scope (of an Owner, so the role never stands in the way); where the scope is not enough
// the answer is 403 and nothing in the organization changed. A token cannot list, create or revoke
// tokens; revoked and expired tokens get 401; last use is recorded and shown; audit names the scopes.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenScope } from '../../src/contracts/index.ts';
import { newId, nowIso } from '../../src/db/index.ts';
import { scopeAllows } from '../../src/http/auth/access.ts';
import { claimJobs, enqueue, failJob } from '../../src/jobs/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { Client, createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

const SCOPES: TokenScope[] = ['read', 'write', 'admin'];
const BODIES: Record<string, unknown> = {
  'POST /api/targets': { name: 'made by a token', baseUrl: 'https://token.example' },
  'PATCH /api/targets/:targetId': { name: 'renamed by a token' },
  'PATCH /api/members/:userId': { role: 'reader' },
  'POST /api/members': { email: 'new@example.com', name: 'New', password: 'a long enough password', role: 'reader' },
  'PUT /api/settings': { slaDays: { critical: 1, high: 2, medium: 3, low: 4, info: null } },
  'POST /api/gitlab/instances': {
    name: 'Other',
    baseUrl: 'https://gitlab.other.example',
    clientId: 'c',
    clientSecret: 's',
  },
  'POST /api/targets/:targetId/gitlab/authorize': { instanceId: 'gitlab.com' },
  'POST /api/targets/:targetId/gitlab/token': { baseUrl: 'https://gitlab.example.com', token: 'glpat-xxxxxxxxxxxx' },
  'PUT /api/scans/:scanId/gitlab/project': { projectId: 1 },
  'POST /api/scans/:scanId/pushes': { vulnerabilityId: 'x' },
  'POST /api/findings/:findingId/comments': { body: 'hello' },
  'POST /api/tokens': { name: 'minted by a token', role: 'owner', scopes: ['read', 'write', 'admin'] },
};

describe.each(DIALECTS)('API token scopes on %s', (dialect) => {
  let h: TestApp;
  let org: Org;
  const ids: Record<string, string> = {};
  const bearers = {} as Record<TokenScope, Client>;
  let everything: Client;

  const tokenClient = (secret: string) => {
    const client = new Client(h.app);
    client.bearer = secret;
    return client;
  };
  const makeToken = async (owner: Client, body: Record<string, unknown>) => {
    const created = await owner.post('/api/tokens', body);
    expect(created.statusCode, created.body).toBe(201);
    return created.json() as { secret: string; token: { id: string; scopes: TokenScope[]; lastUsedAt: string | null } };
  };

  async function snapshot() {
    const db = h.t.db.kysely;
    const of = async (table: string) => {
      const { rows } = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table)} where organization_id = ${org.id}`.execute(db);
      return rows.map((r) => JSON.stringify(r)).sort();
    };
    const tokens = await of('api_tokens');
    return JSON.stringify(
      {
        targets: await of('targets'),
        memberships: await of('memberships'),
        tokens: tokens.map((t) => t.replace(/"last_used_at":("[^"]*"|null)/, '')),
        scans: await of('scans'),
        comments: await of('comments'),
        pushItems: await of('push_items'),
        jobs: await of('jobs'),
        instances: await of('gitlab_instances'),
        settings: await of('organization_settings'),
        identities: await of('finding_identities'),
        users: await db.selectFrom('users').select(['id', 'email', 'disabled_at']).orderBy('id').execute(),
      },
      null,
      1,
    );
  }

  beforeAll(async () => {
    h = await createTestApp(dialect);
    org = await createOrg(h.app, h.t);
    const target = await org.owner.post('/api/targets', { name: 'Shop', baseUrl: 'https://shop.example' });
    ids.targetId = target.json().target.id;
    const members = (await org.owner.get('/api/members')).json().members as { userId: string; role: string }[];
    ids.userId = members.find((m) => m.role === 'contributor')?.userId ?? '';
    ids.tokenId = (await makeToken(org.members.reader, { name: 'someone else’s' })).token.id;
    const job = await enqueue(h.t.db.kysely, { task: 'noop', payload: {}, organizationId: org.id, maxAttempts: 1 });
    const [claimed] = await claimJobs(h.t.db.kysely, h.t.db.dialect, { workerId: 'w', limit: 1, leaseMs: 1000 });
    if (claimed) await failJob(h.t.db.kysely, claimed, 'boom');
    ids.jobId = job.id;
    const [imported] = await importReport(h.t.db, {
      organizationId: org.id,
      actorUserId: null,
      target: { id: ids.targetId ?? '' },
      file: {
        bytes: readFileSync(new URL('../fixtures/reports/zap-anubissbe-1.json', import.meta.url)),
        name: 'zap.json',
      },
    });
    ids.scanId = imported?.scanId ?? '';
    ids.instanceId = (
      await org.owner.post('/api/gitlab/instances', {
        name: 'GitLab',
        baseUrl: 'https://gitlab.acme.example',
        clientId: 'client',
        clientSecret: 'secret',
      })
    ).json().instance.id;
    const finding = await h.t.db.kysely
      .selectFrom('findings')
      .select(['id', 'vulnerability_id', 'public_id'])
      .where('scan_id', '=', ids.scanId ?? '')
      .executeTakeFirstOrThrow();
    ids.findingId = finding.id;
    ids.vulnerabilityId = finding.vulnerability_id;
    ids.pushId = newId();
    ids.itemId = newId();
    await h.t.db.kysely
      .insertInto('pushes')
      .values({
        id: ids.pushId,
        organization_id: org.id,
        target_id: ids.targetId ?? '',
        scan_id: ids.scanId ?? '',
        vulnerability_id: finding.vulnerability_id,
        project_link_id: 'x',
        project_id: 1,
        options: '{}',
        requested_by: null,
        created_at: nowIso(),
      })
      .execute();
    await h.t.db.kysely
      .insertInto('push_items')
      .values({
        id: ids.itemId,
        organization_id: org.id,
        push_id: ids.pushId,
        finding_id: finding.id,
        public_id: finding.public_id,
        state: 'failed',
        tracked_issue_id: null,
        error: 'x',
        job_id: null,
        updated_at: nowIso(),
      })
      .execute();
    for (const scope of SCOPES)
      bearers[scope] = tokenClient(
        (await makeToken(org.owner, { name: `only ${scope}`, role: 'owner', scopes: [scope] })).secret,
      );
    everything = tokenClient(
      (await makeToken(org.owner, { name: 'everything', role: 'owner', scopes: SCOPES })).secret,
    );
  });
  afterAll(async () => h?.close());

  it('gives every route a scope: GET read, changes write, Administrator changes admin, token management session only', () => {
    const scopeOf = (method: string, url: string) =>
      h.app.routeTable.find((r) => r.method === method && r.url === url)?.scope;
    expect(scopeOf('GET', '/api/targets')).toBe('read');
    expect(scopeOf('GET', '/api/jobs')).toBe('read');
    expect(scopeOf('POST', '/api/targets')).toBe('write');
    expect(scopeOf('POST', '/api/targets/:targetId/scans')).toBe('write');
    expect(scopeOf('POST', '/api/findings/:findingId/comments')).toBe('write');
    expect(scopeOf('POST', '/api/scans/:scanId/pushes')).toBe('write');
    expect(scopeOf('PUT', '/api/settings')).toBe('admin');
    expect(scopeOf('PATCH', '/api/members/:userId')).toBe('admin');
    expect(scopeOf('POST', '/api/gitlab/instances')).toBe('admin');
    expect(scopeOf('POST', '/api/jobs/:jobId/retry')).toBe('admin');
    for (const method of ['GET', 'POST']) expect(scopeOf(method, '/api/tokens')).toBe('session');
    expect(scopeOf('DELETE', '/api/tokens/:tokenId')).toBe('session');
    for (const route of h.app.routeTable)
      expect(['read', 'write', 'admin', 'session'], `${route.method} ${route.url}`).toContain(route.scope);
  });

  for (const scope of SCOPES) {
    it(`a ${scope}-only token gets 403 on every route its scope does not cover, and nothing changes`, async () => {
      const client = bearers[scope];
      const before = await snapshot();
      let refused = 0;
      for (const route of h.app.routeTable.filter((r) => r.access !== 'public' && !scopeAllows([scope], r.scope))) {
        const url = route.url.replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? 'no-such-id');
        const body =
          BODIES[`${route.method} ${route.url}`] ??
          (route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
        const response = await client.request(route.method, url, body);
        expect(response.statusCode, `${scope} ${route.method} ${route.url}: ${response.body}`).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
        refused++;
      }
      expect(refused).toBeGreaterThanOrEqual(scope === 'read' ? 10 : 5);
      expect(await snapshot()).toBe(before);
    });

    it(`a ${scope}-only token passes the scope check on every route its scope covers`, async () => {
      for (const route of h.app.routeTable.filter(
        (r) => r.access !== 'public' && scopeAllows([scope], r.scope) && r.method === 'GET',
      )) {
        const url = route.url.replace(/:(\w+)/g, 'no-such-id');
        if (route.url === '/api/events') continue; // a stream that stays open
        const response = await bearers[scope].request(route.method, url);
        const refusal = response.statusCode === 403 ? String(response.json().error.message) : '';
        expect(refusal, `${scope} ${route.method} ${route.url}`).not.toMatch(/scope|API tokens cannot/);
      }
    });
  }

  it('every scope reads; write writes, admin administers; a token with every scope does all three', async () => {
    expect((await bearers.write.get('/api/targets')).statusCode).toBe(200);
    expect((await bearers.admin.get('/api/targets')).statusCode).toBe(200);
    expect(
      (await bearers.admin.post('/api/targets', { name: 'Not by admin', baseUrl: 'https://admin.example' })).statusCode,
    ).toBe(403);
    const made = await everything.post('/api/targets', { name: 'Made by CI', baseUrl: 'https://ci.example' });
    expect(made.statusCode, made.body).toBe(201);
    const wrote = await bearers.write.patch(`/api/targets/${made.json().target.id}`, { name: 'Renamed by CI' });
    expect(wrote.statusCode, wrote.body).toBe(200);
    expect((await bearers.admin.request('GET', '/api/jobs')).statusCode).toBe(200);
    expect((await bearers.read.request('GET', '/api/jobs')).statusCode).toBe(200);
    expect((await everything.get('/api/jobs')).statusCode).toBe(200);
  });

  it('a token cannot list, create or revoke tokens, whatever its scopes and role', async () => {
    const before = await h.t.db.kysely.selectFrom('api_tokens').select(['id', 'revoked_at']).orderBy('id').execute();
    const minted = await everything.post('/api/tokens', { name: 'minted', role: 'owner', scopes: SCOPES });
    expect(minted.statusCode, minted.body).toBe(403);
    expect(minted.json().error.message).toMatch(/sign in/);
    expect((await everything.get('/api/tokens')).statusCode).toBe(403);
    expect((await everything.delete(`/api/tokens/${ids.tokenId}`)).statusCode).toBe(403);
    expect(await h.t.db.kysely.selectFrom('api_tokens').select(['id', 'revoked_at']).orderBy('id').execute()).toEqual(
      before,
    );
  });

  it('only the Owner creates an Owner token; scopes are chosen at creation, read when left out, and audited', async () => {
    expect(
      (await org.members.administrator.post('/api/tokens', { name: 'x', role: 'owner', scopes: ['read'] })).statusCode,
    ).toBe(403);
    expect((await org.members.contributor.post('/api/tokens', { name: 'x', role: 'administrator' })).statusCode).toBe(
      403,
    );
    expect((await org.owner.post('/api/tokens', { name: 'x', scopes: [] })).statusCode).toBe(400);
    expect((await org.owner.post('/api/tokens', { name: 'x', scopes: ['root'] })).statusCode).toBe(400);
    const plain = await makeToken(org.members.contributor, { name: 'default' });
    expect(plain.token.scopes).toEqual(['read']);
    const chosen = await makeToken(org.members.administrator, {
      name: 'ci',
      role: 'contributor',
      scopes: ['write', 'read'],
    });
    expect(chosen.token).toMatchObject({ role: 'contributor', scopes: ['read', 'write'] });
    expect((await org.members.administrator.delete(`/api/tokens/${chosen.token.id}`)).statusCode).toBe(204);
    const audit = await h.t.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_id', '=', chosen.token.id)
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['api_token.created', 'api_token.revoked']);
    for (const event of audit)
      expect(JSON.parse(event.details)).toMatchObject({ name: 'ci', role: 'contributor', scopes: ['read', 'write'] });
  });

  it('a token is still capped by its member’s role', async () => {
    const reader = tokenClient((await makeToken(org.members.reader, { name: 'reader', scopes: SCOPES })).secret);
    expect((await reader.get('/api/targets')).statusCode).toBe(200);
    expect((await reader.post('/api/targets', { name: 'no', baseUrl: 'https://no.example' })).statusCode).toBe(403);
    expect((await reader.request('PUT', '/api/settings', BODIES['PUT /api/settings'])).statusCode).toBe(403);
  });

  it('refuses revoked and expired tokens with 401 on every kind of route', async () => {
    const revoked = await makeToken(org.owner, { name: 'to revoke', role: 'owner', scopes: SCOPES });
    const expired = await makeToken(org.owner, { name: 'to expire', role: 'owner', scopes: SCOPES, expiresInDays: 1 });
    expect((await tokenClient(expired.secret).get('/api/targets')).statusCode).toBe(200);
    expect((await org.owner.delete(`/api/tokens/${revoked.token.id}`)).statusCode).toBe(204);
    await h.t.db.kysely
      .updateTable('api_tokens')
      .set({ expires_at: nowIso(-1000) })
      .where('id', '=', expired.token.id)
      .execute();
    for (const secret of [revoked.secret, expired.secret]) {
      const client = tokenClient(secret);
      for (const [method, url, body] of [
        ['GET', '/api/targets'],
        ['POST', '/api/targets', { name: 'n', baseUrl: 'https://n.example' }],
        ['PUT', '/api/settings', BODIES['PUT /api/settings']],
        ['GET', '/api/tokens'],
      ] as const) {
        const response = await client.request(method, url, body);
        expect(response.statusCode, `${method} ${url}`).toBe(401);
        expect(response.json().error.code).toBe('unauthenticated');
      }
    }
  });

  it('records last use at most once a minute and shows it in the tokens list', async () => {
    const { secret, token } = await makeToken(org.members.contributor, { name: 'last used', scopes: ['read'] });
    expect(token.lastUsedAt).toBeNull();
    const client = tokenClient(secret);
    await client.get('/api/targets');
    const listed = (await org.members.contributor.get('/api/tokens')).json().tokens as {
      id: string;
      lastUsedAt: string | null;
      scopes: string[];
    }[];
    const first = listed.find((t) => t.id === token.id);
    expect(first?.lastUsedAt).toBeTruthy();
    expect(first?.scopes).toEqual(['read']);
    await client.get('/api/targets');
    const row = await h.t.db.kysely
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).toBe(first?.lastUsedAt);
    await h.t.db.kysely
      .updateTable('api_tokens')
      .set({ last_used_at: nowIso(-61_000) })
      .where('id', '=', token.id)
      .execute();
    await client.get('/api/targets');
    const later = await h.t.db.kysely
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(Date.parse(later.last_used_at ?? '')).toBeGreaterThan(Date.now() - 10_000);
  });

  it('a token stored before scopes existed keeps read, write and admin, capped by its role', async () => {
    const id = newId();
    const owner = await h.t.db.kysely
      .selectFrom('memberships')
      .select('user_id')
      .where('organization_id', '=', org.id)
      .where('role', '=', 'owner')
      .executeTakeFirstOrThrow();
    const secret = `vbt_${'a'.repeat(40)}${id.slice(0, 6)}`;
    const { sha256 } = await import('../../src/crypto/index.ts');
    // As a row written before the migration: no scopes column given, so the column's default applies.
    await sql`insert into api_tokens (id, organization_id, user_id, name, token_hash, prefix, role, created_at) values (${id}, ${org.id}, ${owner.user_id}, ${'legacy'}, ${sha256(secret)}, ${secret.slice(0, 10)}, ${'administrator'}, ${nowIso()})`.execute(
      h.t.db.kysely,
    );
    const legacy = tokenClient(secret);
    expect((await legacy.get('/api/targets')).statusCode).toBe(200);
    expect((await legacy.post('/api/targets', { name: 'legacy', baseUrl: 'https://legacy.example' })).statusCode).toBe(
      201,
    );
    expect((await legacy.request('PUT', '/api/settings', BODIES['PUT /api/settings'])).statusCode).not.toBe(403);
    expect((await legacy.post('/api/tokens', { name: 'no' })).statusCode).toBe(403);
    const listed = (await org.owner.get('/api/tokens')).json().tokens as { id: string; scopes: string[] }[];
    expect(listed.find((t) => t.id === id)?.scopes).toEqual(['read', 'write', 'admin']);
  });
});

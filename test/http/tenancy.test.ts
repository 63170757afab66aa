// Generated from the route table: every role of organization A calls every route with organization
// B's ids, and gets 404 (or 403) every time while B's data stays exactly as it was.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleName } from '../../src/contracts/index.ts';
import { enqueue, failJob, claimJobs } from '../../src/jobs/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { Client, createOrg, createTestApp, type Org, PASSWORD, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

const ROLES: RoleName[] = ['owner', 'administrator', 'contributor', 'reader'];
const BODIES: Record<string, unknown> = {
  'PATCH /api/targets/:targetId': { name: 'hijacked' },
  'PATCH /api/members/:userId': { role: 'reader' },
  'POST /api/targets/:targetId/gitlab/authorize': { instanceId: 'gitlab.com' },
  'POST /api/targets/:targetId/gitlab/token': { baseUrl: 'https://gitlab.example.com', token: 'glpat-xxxxxxxxxxxx' },
  'PUT /api/scans/:scanId/gitlab/project': { projectId: 1 },
  'POST /api/scans/:scanId/pushes': { vulnerabilityId: 'x' },
  'POST /api/findings/:findingId/comments': { body: 'hello' },
};

describe.each(DIALECTS)('tenancy on %s', (dialect) => {
  let h: TestApp;
  let a: Org;
  let b: Org;
  const ids: Record<string, string> = {};
  let invitationToken = '';

  async function snapshotOfB() {
    const db = h.t.db.kysely;
    return JSON.stringify({
      targets: await db.selectFrom('targets').selectAll().where('organization_id', '=', b.id).orderBy('id').execute(),
      memberships: await db
        .selectFrom('memberships')
        .selectAll()
        .where('organization_id', '=', b.id)
        .orderBy('user_id')
        .execute(),
      tokens: await db
        .selectFrom('api_tokens')
        .select(['id', 'revoked_at', 'role'])
        .where('organization_id', '=', b.id)
        .orderBy('id')
        .execute(),
      scans: await db
        .selectFrom('scans')
        .select(['id', 'finding_count'])
        .where('organization_id', '=', b.id)
        .orderBy('id')
        .execute(),
      comments: await db.selectFrom('comments').select('id').where('organization_id', '=', b.id).execute(),
      pushItems: await db
        .selectFrom('push_items')
        .select(['id', 'state'])
        .where('organization_id', '=', b.id)
        .orderBy('id')
        .execute(),
      findings: await db
        .selectFrom('findings')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('organization_id', '=', b.id)
        .execute(),
      jobs: await db
        .selectFrom('jobs')
        .select(['id', 'state', 'attempts'])
        .where('organization_id', '=', b.id)
        .orderBy('id')
        .execute(),
      audit: await db
        .selectFrom('audit_events')
        .select(['id', 'action'])
        .where('organization_id', '=', b.id)
        .orderBy('id')
        .execute(),
      invitations: await db
        .selectFrom('invitations')
        .select(['id', 'email', 'role', 'accepted_at', 'revoked_at'])
        .where('organization_id', '=', b.id)
        .orderBy('id')
        .execute(),
      sessions: await db
        .selectFrom('sessions')
        .select('id')
        .where('organization_id', '=', b.id)
        .orderBy('id')
        .execute(),
    });
  }

  beforeAll(async () => {
    h = await createTestApp(dialect);
    a = await createOrg(h.app, h.t);
    b = await createOrg(h.app, h.t);
    const target = await b.owner.post('/api/targets', { name: 'B shop', baseUrl: 'https://b.example' });
    ids.targetId = target.json().target.id;
    const members = (await b.owner.get('/api/members')).json().members as { userId: string; role: string }[];
    ids.userId = members.find((m) => m.role === 'contributor')?.userId ?? '';
    ids.tokenId = (await b.members.reader.post('/api/tokens', { name: 'b-token' })).json().token.id;
    const job = await enqueue(h.t.db.kysely, { task: 'noop', payload: {}, organizationId: b.id, maxAttempts: 1 });
    const [claimed] = await claimJobs(h.t.db.kysely, h.t.db.dialect, { workerId: 'w', limit: 1, leaseMs: 1000 });
    if (claimed) await failJob(h.t.db.kysely, claimed, 'boom');
    ids.jobId = job.id;
    const invitation = (
      await b.owner.post('/api/invitations', { email: 'invited-to-b@example.com', role: 'reader' })
    ).json();
    ids.invitationId = invitation.invitation.id;
    invitationToken = invitation.token;
    await a.owner.post('/api/targets', { name: 'A shop', baseUrl: 'https://a.example' });
    const [imported] = await importReport(h.t.db, {
      organizationId: b.id,
      actorUserId: null,
      target: { id: ids.targetId ?? '' },
      file: {
        bytes: readFileSync(new URL('../fixtures/reports/zap-anubissbe-1.json', import.meta.url)),
        name: 'zap.json',
      },
    });
    ids.scanId = imported?.scanId ?? '';
    const instance = await b.owner.post('/api/gitlab/instances', {
      name: 'B GitLab',
      baseUrl: 'https://gitlab.b.example',
      clientId: 'b-client',
      clientSecret: 'b-secret',
    });
    ids.instanceId = instance.json().instance.id;
    const scanRow = await h.t.db.kysely
      .selectFrom('findings')
      .select(['id', 'vulnerability_id', 'public_id'])
      .where('scan_id', '=', ids.scanId ?? '')
      .executeTakeFirstOrThrow();
    ids.findingId = scanRow.id;
    ids.pushId = 'push-of-b';
    ids.itemId = 'item-of-b';
    await h.t.db.kysely
      .insertInto('pushes')
      .values({
        id: ids.pushId,
        organization_id: b.id,
        target_id: ids.targetId ?? '',
        scan_id: ids.scanId ?? '',
        vulnerability_id: scanRow.vulnerability_id,
        project_link_id: 'x',
        project_id: 1,
        options: '{}',
        requested_by: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    await h.t.db.kysely
      .insertInto('push_items')
      .values({
        id: ids.itemId,
        organization_id: b.id,
        push_id: ids.pushId,
        finding_id: scanRow.id,
        public_id: scanRow.public_id,
        state: 'failed',
        tracked_issue_id: null,
        error: 'x',
        job_id: null,
        updated_at: new Date().toISOString(),
      })
      .execute();
    ids.vulnerabilityId = (
      await h.t.db.kysely
        .selectFrom('vulnerabilities')
        .select('id')
        .where('scan_id', '=', ids.scanId)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => h?.close());

  it('has an id of organization B for every path parameter of every route', () => {
    for (const route of h.app.routeTable) {
      for (const [, name] of route.url.matchAll(/:(\w+)/g))
        expect(ids[name ?? ''], `${route.url} needs :${name}`).toBeTruthy();
    }
  });

  for (const role of ROLES) {
    it(`a ${role} of A gets 404 or 403 for every route aimed at B's ids, and B is unchanged`, async () => {
      const client: Client = a.members[role];
      const before = await snapshotOfB();
      let checked = 0;
      for (const route of h.app.routeTable.filter((r) => r.url.includes(':'))) {
        const url = route.url.replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? 'missing');
        const body =
          BODIES[`${route.method} ${route.url}`] ??
          (route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
        const response = await client.request(route.method, url, body);
        expect([403, 404], `${role} ${route.method} ${url}: ${response.body}`).toContain(response.statusCode);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(7);
      expect(await snapshotOfB()).toBe(before);
    });

    it(`a ${role} of A cannot reach B through ids and tokens in request bodies (switching, invitations)`, async () => {
      const client = a.members[role];
      const before = await snapshotOfB();
      const mine = (await client.get('/api/auth/session')).json().user.email as string;
      const switched = await client.post('/api/auth/switch-organization', { organizationId: b.id });
      expect(switched.statusCode, switched.body).toBe(404);
      expect((await client.get('/api/auth/session')).json().organization.id).toBe(a.id);
      const signedInToB = await new Client(h.app).post('/api/auth/sign-in', {
        email: mine,
        password: PASSWORD,
        organizationId: b.id,
      });
      expect(signedInToB.statusCode).toBe(403);
      // B's invitation is for another e-mail address: no account of A can use it, whatever its role.
      const accepted = await client.post('/api/invitations/accept', {
        token: invitationToken,
        email: mine,
        password: PASSWORD,
      });
      expect(accepted.statusCode).toBe(403);
      expect((await client.get('/api/auth/session')).json().organization.id).toBe(a.id);
      expect(await snapshotOfB()).toBe(before);
    });

    it(`a ${role} of A lists none of B's data`, async () => {
      const client = a.members[role];
      const everything = [
        await client.get('/api/targets'),
        await client.get('/api/members'),
        await client.get('/api/tokens'),
        await client.get('/api/jobs'),
        await client.get('/api/jobs?state=dead'),
        await client.get('/api/scans'),
        await client.get('/api/gitlab/instances'),
        await client.get('/api/audit-events?limit=200'),
        await client.get(`/api/audit-events?actor=${ids.userId}`),
        await client.get(`/api/audit-events?subjectType=target&subjectId=${ids.targetId}`),
        await client.get(`/api/audit-events.csv?actor=${ids.userId}`),
        await client.get('/api/audit-events.csv'),
        await client.get('/api/invitations'),
        await client.get('/api/auth/organizations'),
      ]
        .map((r) => r.body)
        .join('\n');
      for (const id of Object.values(ids)) expect(everything).not.toContain(id);
      expect(everything).not.toContain('B shop');
      const bEvents = await h.t.db.kysely
        .selectFrom('audit_events')
        .select('id')
        .where('organization_id', '=', b.id)
        .execute();
      expect(bEvents.length).toBeGreaterThan(0);
      for (const { id } of bEvents) expect(everything).not.toContain(id);
    });
  }
});

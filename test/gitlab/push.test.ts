// Create issues against the sandbox over real HTTP: one issue per finding with our labels, never a
// duplicate under lost answers and 5xx, paused while the connection needs reconnecting, paced by the
// shared creation budget, and Created Issues refreshed in batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/imports/index.ts';
import { DIALECTS } from '../support/databases.ts';
import { zapReport } from '../support/reports.ts';
import { pushHelpers } from './push-support.ts';
import { createGitlabHarness, type GitlabHarness, newTarget } from './support.ts';

describe.each(DIALECTS)('create issues on %s', (dialect) => {
  let g: GitlabHarness;
  beforeAll(async () => {
    g = await createGitlabHarness(dialect);
  });
  afterAll(async () => g?.close());

  const { worker, runUntilFinished, prepare, issuesIn, labelsOf } = pushHelpers(() => g);

  it('creates one issue per finding with the product label, the finding ID label and the user’s labels, and lists them', async () => {
    const { scanId, project, vulnerabilityId } = await prepare('acme/platform/security/webgoat', 5);
    const push = await g.org.members.contributor.post(`/api/scans/${scanId}/pushes`, {
      vulnerabilityId,
      labels: ['team::web', 'triage'],
    });
    expect(push.statusCode, push.body).toBe(202);
    expect(push.json().counts).toMatchObject({ total: 5, pending: 5 });
    const done = await runUntilFinished(worker(), push.json().pushId, 10_000);
    expect(done.counts).toMatchObject({ created: 5, adopted: 0, failed: 0 });
    const issues = issuesIn(project.id);
    expect(issues).toHaveLength(5);
    for (const issue of issues) {
      const labels = labelsOf(issue as never);
      expect(labels).toEqual(expect.arrayContaining(['Vulnbridge', 'severity::high', 'team::web', 'triage']));
      expect(labels.filter((l) => /^VB-[A-Z]{6}\d{6}$/.test(l ?? ''))).toHaveLength(1);
      expect(issue.confidential).toBe(true);
      expect(issue.state).toBe('opened');
      expect(issue.title).toMatch(/^Cross Site Scripting \(Reflected\)/);
    }
    const created = (await g.org.members.reader.get(`/api/scans/${scanId}/issues`)).json().issues;
    expect(created).toHaveLength(5);
    expect(new Set(created.map((c: { iid: number }) => c.iid))).toEqual(new Set(issues.map((i) => i.iid)));
    // Pushing the same vulnerability again adopts the existing issues: still five.
    const again = await g.org.owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId });
    const second = await runUntilFinished(worker(), again.json().pushId);
    expect(second.counts).toMatchObject({ created: 0, adopted: 5 });
    expect(issuesIn(project.id)).toHaveLength(5);
  });

  it('never duplicates under 30% lost answers and 10% 5xx: 500 findings, exactly 500 issues, each linked', {
    timeout: 240_000,
  }, async () => {
    const { scanId, project, vulnerabilityId } = await prepare('acme/platform/security/dvwa', 500);
    const push = await g.org.owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId });
    g.sandbox.admin.setFaults('lost=0.3:method=POST:path=/issues,error=0.1:status=500');
    try {
      const done = await runUntilFinished(worker(), push.json().pushId, 200_000);
      expect(done.counts).toMatchObject({ total: 500, failed: 0 });
      expect(done.counts.created + done.counts.adopted).toBe(500);
      expect(done.counts.adopted).toBeGreaterThan(0); // lost answers really happened and were adopted
    } finally {
      g.sandbox.admin.clearFaults();
    }
    const issues = issuesIn(project.id);
    expect(issues).toHaveLength(500);
    const idLabels = issues.map((i) => labelsOf(i as never).find((l) => l?.startsWith('VB-')));
    expect(new Set(idLabels).size).toBe(500);
    const tracked = await g.h.t.db.kysely
      .selectFrom('tracked_issues')
      .select(['iid', 'state'])
      .where('project_id', '=', project.id)
      .execute();
    expect(tracked).toHaveLength(500);
    expect(tracked.every((t) => t.state === 'opened' && t.iid !== null)).toBe(true);
  });

  it('pauses while the connection needs reconnecting and completes after reconnecting', async () => {
    const { targetId, scanId, project, vulnerabilityId, token } = await prepare('acme/platform/security/juice-shop', 6);
    const before = issuesIn(project.id).length;
    g.sandbox.admin.revokeToken(token);
    const push = await g.org.owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId });
    const w = worker();
    await w.drain();
    const paused = (await g.org.owner.get(`/api/pushes/${push.json().pushId}`)).json();
    expect(paused.finished).toBe(false);
    expect(paused.counts.failed).toBe(0);
    expect((await g.org.owner.get(`/api/targets/${targetId}/gitlab`)).json().connection.status).toBe(
      'reconnect_needed',
    );
    const states = await g.h.t.db.kysely
      .selectFrom('jobs')
      .select('state')
      .where('task', '=', 'create-issue')
      .where('state', '=', 'paused')
      .execute();
    expect(states.length).toBeGreaterThanOrEqual(6);
    await g.org.owner.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: g.sandbox.url,
      token: g.sandbox.admin.createToken('alice'),
    });
    const done = await runUntilFinished(w, push.json().pushId);
    expect(done.counts).toMatchObject({ created: 6, failed: 0 });
    expect(issuesIn(project.id).length).toBe(before + 6);
  });

  it('paces creation to the shared budget: beyond it, items wait instead of hitting GitLab', async () => {
    const { scanId, project, vulnerabilityId } = await prepare('acme/web/web-auth-001', 8);
    await g.h.t.db.kysely.deleteFrom('rate_budgets').execute();
    const push = await g.org.owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId });
    const w = worker({ ISSUE_CREATE_PER_MINUTE: '5' });
    await w.drain();
    const summary = (await g.org.owner.get(`/api/pushes/${push.json().pushId}`)).json();
    expect(summary.counts).toMatchObject({ created: 5, waiting: 3 });
    expect(issuesIn(project.id)).toHaveLength(5);
    const waiting = await g.h.t.db.kysely
      .selectFrom('jobs')
      .innerJoin('push_items', 'push_items.job_id', 'jobs.id')
      .select(['jobs.run_at', 'jobs.attempts'])
      .where('push_items.push_id', '=', push.json().pushId)
      .where('push_items.state', '=', 'waiting')
      .execute();
    expect(waiting).toHaveLength(3);
    for (const j of waiting) {
      expect(Date.parse(j.run_at)).toBeGreaterThan(Date.now() + 30_000);
      expect(Number(j.attempts)).toBe(0);
    }
  });

  it('refreshes Created Issues from GitLab in one call per 100 issues', async () => {
    const { scanId, project, vulnerabilityId } = await prepare('acme/platform/security/appsec/appsec-auth-001', 3);
    const push = await g.org.owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId });
    await runUntilFinished(worker(), push.json().pushId);
    const [first] = issuesIn(project.id);
    // Someone closes an issue in GitLab and assigns another.
    const admin = g.sandbox.users[0]!.token;
    await fetch(`${g.sandbox.apiUrl}/projects/${project.id}/issues/${first!.iid}`, {
      method: 'PUT',
      headers: { 'private-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ state_event: 'close', assignee_ids: [g.sandbox.store.userByName('alice')!.id] }),
    });
    const refreshed = (await g.org.members.reader.post(`/api/scans/${scanId}/issues/refresh`)).json();
    expect(refreshed).toMatchObject({ refreshed: 3, calls: 1, missing: 0 });
    const closed = refreshed.issues.find((i: { iid: number }) => i.iid === first!.iid);
    expect(closed).toMatchObject({ state: 'closed', assignees: [expect.objectContaining({ username: 'alice' })] });
  });
});

describe.each(DIALECTS)('push defaults on %s', (dialect) => {
  let g: GitlabHarness;
  beforeAll(async () => {
    g = await createGitlabHarness(dialect);
  });
  afterAll(async () => g?.close());

  it('takes the due date from the per-severity SLA and confidentiality from the project link, unless the push says otherwise', async () => {
    const targetId = await newTarget(g.org.owner);
    await g.org.owner.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: g.sandbox.url,
      token: g.sandbox.admin.createToken('alice'),
    });
    const [summary] = await importReport(g.h.t.db, {
      organizationId: g.org.id,
      actorUserId: null,
      target: { id: targetId },
      file: {
        bytes: zapReport('https://sla.example', [{ name: 'SQL Injection', risk: 3, instances: 1 }]),
        name: 'z.json',
      },
    });
    const project = g.sandbox.admin.project('acme/platform/security/webgoat')!;
    expect(
      (
        await g.org.members.contributor.request('PUT', '/api/settings', {
          slaDays: { critical: 3, high: 10, medium: 60, low: null, info: null },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await g.org.members.administrator.request('PUT', '/api/settings', {
          slaDays: { critical: 3, high: 10, medium: 60, low: null, info: null },
        })
      ).statusCode,
    ).toBe(200);
    await g.org.owner.request('PUT', `/api/scans/${summary!.scanId}/gitlab/project`, {
      projectId: project.id,
      confidentialByDefault: false,
    });
    const options = (await g.org.owner.get(`/api/scans/${summary!.scanId}/gitlab/options`)).json();
    const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(options.defaults).toEqual({
      confidential: false,
      dueDates: { critical: expect.any(String), high: inTenDays, medium: expect.any(String), low: null, info: null },
    });
    expect(options.members.map((m: { username: string }) => m.username)).toContain('alice');
    const vulnerabilityId = (await g.org.owner.get(`/api/scans/${summary!.scanId}`)).json().vulnerabilities[0].id;
    const push = await g.org.owner.post(`/api/scans/${summary!.scanId}/pushes`, { vulnerabilityId });
    const stored = await g.h.t.db.kysely
      .selectFrom('pushes')
      .select('options')
      .where('id', '=', push.json().pushId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.options)).toMatchObject({ dueDate: inTenDays, confidential: false });
    const explicit = await g.org.owner.post(`/api/scans/${summary!.scanId}/pushes`, {
      vulnerabilityId,
      dueDate: null,
      confidential: true,
    });
    const storedExplicit = await g.h.t.db.kysely
      .selectFrom('pushes')
      .select('options')
      .where('id', '=', explicit.json().pushId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(storedExplicit.options)).toMatchObject({ dueDate: null, confidential: true });
  });
});

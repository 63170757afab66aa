// Two-way sync against the sandbox over real HTTP, with the hub listening on a real port so the sandbox's
// webhooks reach it: comments both ways without echo, idempotent and verified ingress, labels restored,
// and reconciliation healing everything a disabled hook missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitlabDeps } from '../../src/gitlab/index.ts';
import { Worker } from '../../src/jobs/index.ts';
import { allTasks } from '../../src/tasks/index.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { reconcileLink } from '../../src/tracking/index.ts';
import { createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import type { DialectName } from '../../src/db/index.ts';
import { zapReport } from '../support/reports.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { freePort, waitFor } from '../support/net.ts';

interface SyncWorld {
  sandbox: Sandbox;
  h: TestApp;
  org: Org;
  worker: Worker;
  hubUrl: string;
  targetId: string;
  scanId: string;
  projectId: number;
  linkId: string;
  findingIds: string[];
  close(): Promise<void>;
}

/** A hub listening on a real port (so the sandbox's webhooks reach it) with its worker running, a
 * target connected as alice, a scan whose findings already have issues in `projectPath`. */
async function syncWorld(dialect: DialectName, projectPath: string, site: string): Promise<SyncWorld> {
  const sandbox = await startSandbox({ rateLimits: 'off' });
  const port = await freePort();
  const hubUrl = `http://127.0.0.1:${port}`;
  const h = await createTestApp(dialect, {
    env: { PUBLIC_URL: hubUrl, GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host },
  });
  await h.app.listen({ port, host: '127.0.0.1' });
  const org = await createOrg(h.app, h.t);
  const worker = new Worker({
    db: h.t.db,
    logger: silentLogger,
    tasks: allTasks,
    concurrency: 8,
    pollMs: 20,
    retryDelayMs: () => 50,
    deps: { env: h.env, secretBox: h.secretBox, gitlab: createGitlabDeps(h.t.db, h.env, h.secretBox, fetch) },
  });
  worker.start();
  const targetId = (await org.owner.post('/api/targets', { name: 'Sync', baseUrl: site })).json().target.id;
  await org.owner.post(`/api/targets/${targetId}/gitlab/token`, {
    baseUrl: sandbox.url,
    token: sandbox.users[0]!.token,
  });
  const [summary] = await importReport(h.t.db, {
    organizationId: org.id,
    actorUserId: null,
    target: { id: targetId },
    file: { bytes: zapReport(site, [{ name: 'SQL Injection', risk: 3, instances: 3 }]), name: 'z.json' },
  });
  const scanId = summary!.scanId;
  const projectId = sandbox.admin.project(projectPath)!.id;
  const link = await org.owner.request('PUT', `/api/scans/${scanId}/gitlab/project`, {
    projectId,
    confidentialByDefault: false,
  });
  expect(link.json().link.syncMode).toBe('webhook');
  const vulnerabilityId = (await org.owner.get(`/api/scans/${scanId}`)).json().vulnerabilities[0].id;
  const push = (await org.owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId })).json();
  await waitFor(async () => (await org.owner.get(`/api/pushes/${push.pushId}`)).json().finished, 20_000, 'the push');
  const findingIds = (
    await h.t.db.kysely.selectFrom('findings').select('id').where('scan_id', '=', scanId).orderBy('position').execute()
  ).map((f) => f.id);
  return {
    sandbox,
    h,
    org,
    worker,
    hubUrl,
    targetId,
    scanId,
    projectId,
    linkId: link.json().link.id,
    findingIds,
    close: async () => {
      await worker.stop();
      await h.close();
      await sandbox.close();
    },
  };
}

describe.each(DIALECTS)('two-way sync on %s', (dialect) => {
  let w: SyncWorld;
  let sandbox: Sandbox;
  let h: TestApp;
  let org: Org;
  let hubUrl = '';
  let findingIds: string[] = [];
  let projectId = 0;
  let linkId = '';
  const api = (path: string, init: RequestInit = {}, user = 'bob') =>
    fetch(`${sandbox.apiUrl}${path}`, {
      ...init,
      headers: {
        'private-token': sandbox.users.find((u) => u.username === user)!.token,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  beforeAll(async () => {
    w = await syncWorld(dialect, 'acme/platform/security/juice-shop', 'https://sync.example');
    ({ sandbox, h, org, hubUrl, findingIds, projectId, linkId } = w);
  });
  afterAll(async () => w?.close());

  const issueOf = async (findingId: string) => (await org.owner.get(`/api/findings/${findingId}/comments`)).json();
  const commentsOf = async (findingId: string) =>
    (await issueOf(findingId)).comments as {
      source: string;
      body: string;
      authorUsername: string | null;
      outboundState: string | null;
    }[];

  it('a comment made in GitLab appears on the finding within 2 seconds', async () => {
    const { issue } = await issueOf(findingIds[0]!);
    const started = Date.now();
    await api(`/projects/${projectId}/issues/${issue.iid}/notes`, {
      method: 'POST',
      body: JSON.stringify({ body: 'Fixed in **staging**, please verify' }),
    });
    const comments = await waitFor(
      async () => {
        const list = await commentsOf(findingIds[0]!);
        return list.length > 0 && list;
      },
      2000,
      'the comment to arrive',
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(comments).toEqual([
      expect.objectContaining({ source: 'gitlab', body: 'Fixed in **staging**, please verify', authorUsername: 'bob' }),
    ]);
  });

  it('a comment made in the hub is posted as the authorizing user, and its echo is not copied back', async () => {
    const { issue } = await issueOf(findingIds[1]!);
    const posted = await org.members.contributor.post(`/api/findings/${findingIds[1]}/comments`, {
      body: 'Retested: still vulnerable.',
    });
    expect(posted.statusCode).toBe(202);
    const note = await waitFor(
      async () => sandbox.store.data.notes.find((n) => n.body.includes('Retested: still vulnerable.')),
      3000,
      'the note in GitLab',
    );
    expect(sandbox.store.user(note.authorId)?.username).toBe('alice');
    expect(note.body).toMatch(/<!-- vulnbridge:comment=\w+ -->/);
    // The authorizing user (alice) also writes a real comment in GitLab: it must come through.
    await api(
      `/projects/${projectId}/issues/${issue.iid}/notes`,
      { method: 'POST', body: JSON.stringify({ body: 'alice here, on it' }) },
      'alice',
    );
    const comments = await waitFor(
      async () => {
        const list = await commentsOf(findingIds[1]!);
        return list.length >= 2 && list.every((c) => c.source === 'gitlab' || c.outboundState === 'posted') && list;
      },
      3000,
      'both comments',
    );
    await new Promise((r) => setTimeout(r, 300)); // let any echo land
    const final = await commentsOf(findingIds[1]!);
    expect(final).toHaveLength(2);
    expect(final.map((c) => [c.source, c.body])).toEqual([
      ['hub', 'Retested: still vulnerable.'],
      ['gitlab', 'alice here, on it'],
    ]);
    expect(comments.length).toBe(2);
  });

  it('a hub comment runs no quick action, mentions nobody, references nothing, and names its hub author', async () => {
    const findingId = findingIds[2]!;
    const { issue } = await issueOf(findingId);
    const inGitlab = sandbox.admin.issue('acme/platform/security/juice-shop', issue.iid)!;
    const labelsBefore = inGitlab.labelIds.map((id) => sandbox.store.data.labels.find((l) => l.id === id)?.name).sort();
    const idLabel = labelsBefore.find((l) => l?.startsWith('VB-'))!;
    expect(labelsBefore).toContain('Vulnbridge');
    const evilName = '@all /close <b>Eve</b> #1';
    await h.t.db.kysely.updateTable('users').set({ name: evilName }).where('email', 'like', 'contributor-%').execute();
    const text = [
      'Retest please: the **fix** is in `main`.',
      '/close',
      '/assign @bob',
      '/label ~x',
      `/remove_label ~${idLabel}`,
      '/unlabel ~Vulnbridge',
      '/confidential',
      '/move acme/platform/security/other',
      ' /lock',
      '> /close',
      '- /title pwned',
      'cc @all and @bob, see #1, acme/platform/security/juice-shop#1, !1, $1, &1, %v1.0, [[wiki]]',
      '<img src=x onerror=alert(1)>',
      '```',
      '/close',
      '```',
    ].join('\n');
    const posted = await org.members.contributor.post(`/api/findings/${findingId}/comments`, { body: text });
    await h.t.db.kysely
      .updateTable('users')
      .set({ name: 'contributor' })
      .where('email', 'like', 'contributor-%')
      .execute();
    expect(posted.statusCode).toBe(202);
    const note = await waitFor(
      async () => sandbox.store.data.notes.find((n) => n.issueId === inGitlab.id && n.body.includes('Retest please')),
      3000,
      'the note in GitLab',
    );
    const after = sandbox.admin.issue('acme/platform/security/juice-shop', issue.iid)!;
    expect(after.state).toBe('opened');
    expect(after.assigneeIds).toEqual([]);
    expect(after.confidential).toBe(false);
    expect(after.discussionLocked).not.toBe(true);
    expect(after.labelIds.map((id) => sandbox.store.data.labels.find((l) => l.id === id)?.name).sort()).toEqual(
      labelsBefore,
    );
    expect(after.title).toBe(inGitlab.title);
    // Nobody got a to-do, no reference was made, no issue got a "mentioned in" note.
    expect(sandbox.store.data.todos.filter((t) => t.noteId === note.id)).toEqual([]);
    expect(sandbox.admin.references().filter((r) => r.noteId === note.id)).toEqual([]);
    expect(
      sandbox.store.data.notes.filter(
        (n) =>
          n.system && n.body.includes(`#${after.iid}`) && /mentioned in/.test(n.body) && n.createdAt >= note.createdAt,
      ),
    ).toEqual([]);
    // The note names its hub author (neutralised too), reads as Markdown, and keeps the text.
    const firstLine = note.body.split('\n')[0]!;
    expect(firstLine).toMatch(/^\*\*.*\*\* \(Vulnbridge\) wrote:$/);
    expect(firstLine).toContain('Eve');
    expect(note.body).toContain('Retest please: the **fix** is in `main`.');
    expect(note.body).not.toMatch(/^\s*\//m);
    expect(note.body).toMatch(/<!-- vulnbridge:comment=\w+ -->$/);
    // The echo is recognised: the thread holds only the hub comment, as written, posted.
    await waitFor(
      async () => (await commentsOf(findingId)).every((c) => c.outboundState === 'posted') && true,
      3000,
      'posted',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await commentsOf(findingId)).map((c) => [c.source, c.body])).toEqual([['hub', text]]);
  });

  it('verifies, and acknowledges a repeated delivery once', async () => {
    const link = await h.t.db.kysely
      .selectFrom('project_links')
      .selectAll()
      .where('id', '=', linkId)
      .executeTakeFirstOrThrow();
    const secret = h.secretBox.open(link.hook_secret_enc ?? '', `hook:${link.id}`);
    const { issue } = await issueOf(findingIds[2]!);
    const body = JSON.stringify({
      object_kind: 'issue',
      project: { id: projectId },
      object_attributes: { iid: issue.iid },
    });
    const send = (headers: Record<string, string>, url = `${hubUrl}/webhooks/gitlab/${link.id}`, payload = body) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Issue Hook', ...headers },
        body: payload,
      });
    const before = Number(
      (
        await h.t.db.kysely
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect((await send({ 'x-gitlab-token': 'wrong' })).status).toBe(401);
    expect((await send({})).status).toBe(401);
    expect((await send({ 'x-gitlab-token': secret }, `${hubUrl}/webhooks/gitlab/nope`)).status).toBe(401);
    expect((await send({ 'x-gitlab-token': secret }, undefined, '{"broken":')).status).toBe(400);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await send({ 'x-gitlab-token': secret, 'idempotency-key': 'same-delivery' })).status);
    expect(statuses).toEqual([202, 200, 200]);
    const after = Number(
      (
        await h.t.db.kysely
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after - before).toBe(1);
  });

  it('puts our labels back when someone removes them in GitLab (adding, not replacing)', async () => {
    const { issue } = await issueOf(findingIds[2]!);
    const publicId = (
      await h.t.db.kysely
        .selectFrom('findings')
        .select('public_id')
        .where('id', '=', findingIds[2]!)
        .executeTakeFirstOrThrow()
    ).public_id;
    await api(`/projects/${projectId}/issues/${issue.iid}`, {
      method: 'PUT',
      body: JSON.stringify({ remove_labels: `Vulnbridge,${publicId}`, add_labels: 'needs-triage' }),
    });
    const labels = await waitFor(
      async () => {
        const current = sandbox.admin
          .issue('acme/platform/security/juice-shop', issue.iid)!
          .labelIds.map((id) => sandbox.store.label(id)?.name);
        return current.includes('Vulnbridge') && current.includes(publicId) && current;
      },
      3000,
      'labels restored',
    );
    expect(labels).toEqual(expect.arrayContaining(['Vulnbridge', publicId, 'needs-triage']));
  });

  it('after the hook is disabled, 50 changes in GitLab and one reconciliation pass: the hub matches GitLab exactly', async () => {
    const link = await h.t.db.kysely
      .selectFrom('project_links')
      .selectAll()
      .where('id', '=', linkId)
      .executeTakeFirstOrThrow();
    await sandbox.admin.idle(); // a delivery still in flight would re-enable the hook when it succeeds
    sandbox.admin.disableHook(Number(link.hook_id), 'permanent');
    const tracked = await h.t.db.kysely
      .selectFrom('tracked_issues')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('iid')
      .execute();
    const noteIds: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = tracked[i % tracked.length]!;
      const r = await api(`/projects/${projectId}/issues/${t.iid}/notes`, {
        method: 'POST',
        body: JSON.stringify({ body: `offline comment ${i}` }),
      });
      noteIds.push((await r.json()).id);
    }
    const first = tracked[0]!;
    // Notes i, i+3, i+6… belong to the same issue (three tracked issues, round robin).
    for (const i of [0, 6, 12, 18]) {
      const t = tracked[i % tracked.length]!;
      await api(`/projects/${projectId}/issues/${t.iid}/notes/${noteIds[i]}`, {
        method: 'PUT',
        body: JSON.stringify({ body: `offline comment ${i} (edited)` }),
      });
    }
    for (const i of [3, 9, 15, 21]) {
      const t = tracked[i % tracked.length]!;
      await api(`/projects/${projectId}/issues/${t.iid}/notes/${noteIds[i]}`, { method: 'DELETE' });
    }
    await api(`/projects/${projectId}/issues/${first.iid}`, {
      method: 'PUT',
      body: JSON.stringify({ state_event: 'close', assignee_ids: [sandbox.store.userByName('carol')!.id] }),
    });
    await api(`/projects/${projectId}/issues/${tracked[1]!.iid}`, {
      method: 'PUT',
      body: JSON.stringify({ state_event: 'close' }),
    });
    await api(`/projects/${projectId}/issues/${tracked[1]!.iid}`, {
      method: 'PUT',
      body: JSON.stringify({ state_event: 'reopen' }),
    });
    await new Promise((r) => setTimeout(r, 300));
    // With the hook disabled the hub has not heard of any of it yet.
    const offline = await h.t.db.kysely
      .selectFrom('comments')
      .select('body')
      .where('body', 'like', 'offline comment%')
      .execute();
    expect(offline).toEqual([]);
    const deps = { env: h.env, secretBox: h.secretBox, gitlab: createGitlabDeps(h.t.db, h.env, h.secretBox, fetch) };
    await reconcileLink(h.t.db.kysely, deps, link.id);
    for (const t of tracked) {
      const inGitlab = sandbox.admin.issue('acme/platform/security/juice-shop', Number(t.iid))!;
      const hub = await h.t.db.kysely
        .selectFrom('tracked_issues')
        .selectAll()
        .where('id', '=', t.id)
        .executeTakeFirstOrThrow();
      expect(hub.state).toBe(inGitlab.state);
      expect(JSON.parse(hub.assignees).map((a: { id: number }) => a.id)).toEqual(inGitlab.assigneeIds);
      const notes = sandbox.store
        .issueNotes(inGitlab.id)
        .filter((n) => !n.system && !/vulnbridge:comment=/.test(n.body))
        .map((n) => n.body)
        .sort();
      const comments = (
        await h.t.db.kysely
          .selectFrom('comments')
          .select(['body', 'source'])
          .where('tracked_issue_id', '=', t.id)
          .execute()
      )
        .filter((c) => c.source === 'gitlab')
        .map((c) => c.body)
        .sort();
      expect(comments).toEqual(notes);
    }
  });
});

describe.each(DIALECTS)('sync edge cases on %s', (dialect) => {
  let w: SyncWorld;
  let sandbox: Sandbox;
  let h: TestApp;
  let org: Org;
  let hubUrl = '';
  let scanId = '';
  let targetId = '';
  let projectId = 0;
  let linkId = '';
  let findingIds: string[] = [];
  const tokens = new Map<string, string>();
  const api = (path: string, init: RequestInit = {}, user = 'alice') => {
    if (!tokens.has(user)) tokens.set(user, sandbox.admin.createToken(user));
    return fetch(`${sandbox.apiUrl}${path}`, {
      ...init,
      headers: { 'private-token': tokens.get(user)!, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  };

  beforeAll(async () => {
    w = await syncWorld(dialect, 'acme/platform/security/webgoat', 'https://edge.example');
    ({ sandbox, h, org, hubUrl, scanId, targetId, findingIds, projectId, linkId } = w);
  });
  afterAll(async () => w?.close());

  it('issue events delivered in reverse order end in GitLab’s state', async () => {
    const link = await h.t.db.kysely
      .selectFrom('project_links')
      .selectAll()
      .where('id', '=', linkId)
      .executeTakeFirstOrThrow();
    await sandbox.admin.idle(); // a delivery still in flight would re-enable the hook when it succeeds
    sandbox.admin.disableHook(Number(link.hook_id), 'permanent');
    const secret = h.secretBox.open(link.hook_secret_enc ?? '', `hook:${link.id}`);
    const tracked = await h.t.db.kysely
      .selectFrom('tracked_issues')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('iid')
      .executeTakeFirstOrThrow();
    await api(`/projects/${projectId}/issues/${tracked.iid}`, {
      method: 'PUT',
      body: JSON.stringify({ state_event: 'close' }),
    });
    const closedEvent = {
      object_kind: 'issue',
      project: { id: projectId },
      object_attributes: { iid: tracked.iid, state: 'closed', action: 'close' },
    };
    await api(`/projects/${projectId}/issues/${tracked.iid}`, {
      method: 'PUT',
      body: JSON.stringify({ state_event: 'reopen', assignee_ids: [sandbox.store.userByName('carol')!.id] }),
    });
    const reopenedEvent = {
      object_kind: 'issue',
      project: { id: projectId },
      object_attributes: { iid: tracked.iid, state: 'opened', action: 'reopen' },
    };
    for (const [key, event] of [
      ['later', reopenedEvent],
      ['earlier', closedEvent],
    ] as const) {
      const response = await fetch(`${hubUrl}/webhooks/gitlab/${link.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gitlab-event': 'Issue Hook',
          'x-gitlab-token': secret,
          'idempotency-key': `${key}-${tracked.iid}`,
        },
        body: JSON.stringify(event),
      });
      expect(response.status).toBe(202);
    }
    await waitFor(
      async () => {
        const processed = await h.t.db.kysely
          .selectFrom('webhook_deliveries')
          .select('processed_at')
          .where('idempotency_key', 'like', `%-${tracked.iid}`)
          .execute();
        return processed.length === 2 && processed.every((d) => d.processed_at);
      },
      5000,
      'both deliveries processed',
    );
    const hub = await h.t.db.kysely
      .selectFrom('tracked_issues')
      .selectAll()
      .where('id', '=', tracked.id)
      .executeTakeFirstOrThrow();
    const inGitlab = sandbox.admin.issue('acme/platform/security/webgoat', Number(tracked.iid))!;
    expect(inGitlab.state).toBe('opened');
    expect(hub.state).toBe('opened');
    expect(inGitlab.assigneeIds).toEqual([sandbox.store.userByName('carol')!.id]);
    expect(JSON.parse(hub.assignees).map((a: { username: string }) => a.username)).toEqual(['carol']);
  });

  it('a hub comment waits while the connection needs reconnecting and is posted after', async () => {
    const token = sandbox.users[0]!.token;
    sandbox.admin.revokeToken(token);
    const posted = await org.owner.post(`/api/findings/${findingIds[1]}/comments`, {
      body: 'written while GitLab access was revoked',
    });
    expect(posted.statusCode).toBe(202);
    await waitFor(
      async () =>
        (await org.owner.get(`/api/targets/${targetId}/gitlab`)).json().connection.status === 'reconnect_needed',
      5000,
      'reconnect needed',
    );
    const pending = (await org.owner.get(`/api/findings/${findingIds[1]}/comments`)).json().comments;
    // Waiting on the connection, the comment says so (paused), instead of "posting" forever.
    expect(pending).toEqual([expect.objectContaining({ source: 'hub', outboundState: 'paused' })]);
    await org.owner.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: sandbox.url,
      token: sandbox.admin.createToken('alice'),
    });
    await waitFor(
      async () =>
        (await org.owner.get(`/api/findings/${findingIds[1]}/comments`)).json().comments[0]?.outboundState === 'posted',
      5000,
      'the comment posted',
    );
    expect(
      sandbox.store.data.notes.filter((n) => n.body.includes('written while GitLab access was revoked')),
    ).toHaveLength(1);
  });

  it('a deleted issue is detected on refresh and marked, not left open', async () => {
    const tracked = await h.t.db.kysely
      .selectFrom('tracked_issues')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('iid', 'desc')
      .executeTakeFirstOrThrow();
    const deleted = await api(`/projects/${projectId}/issues/${tracked.iid}`, { method: 'DELETE' });
    expect([204, 202]).toContain(deleted.status);
    const refreshed = (await org.owner.post(`/api/scans/${scanId}/issues/refresh`)).json();
    expect(refreshed.missing).toBe(1);
    expect(refreshed.issues.find((i: { iid: number }) => i.iid === Number(tracked.iid)).state).toBe('deleted');
  });
});

describe.each(DIALECTS)('webhook lifecycle on %s', (dialect) => {
  let w: SyncWorld;
  beforeAll(async () => {
    w = await syncWorld(dialect, 'acme/platform/security/dvwa', 'https://hooks.example');
  });
  afterAll(async () => w?.close());

  const hooksOf = () => w.sandbox.store.data.hooks.filter((x) => x.projectId === w.projectId);
  const comment = async (text: string) => {
    const tracked = await w.h.t.db.kysely
      .selectFrom('tracked_issues')
      .select('iid')
      .where('project_id', '=', w.projectId)
      .orderBy('iid')
      .executeTakeFirstOrThrow();
    await fetch(`${w.sandbox.apiUrl}/projects/${w.projectId}/issues/${tracked.iid}/notes`, {
      method: 'POST',
      headers: { 'private-token': w.sandbox.users[0]!.token, 'content-type': 'application/json' },
      body: JSON.stringify({ body: text }),
    });
    return waitFor(
      async () =>
        (await w.h.t.db.kysely.selectFrom('comments').select('id').where('body', '=', text).executeTakeFirst()) ??
        false,
      3000,
      `"${text}" to arrive`,
    );
  };

  it('re-saving the project keeps the same webhook working (no orphaned hook URL)', async () => {
    const before = hooksOf();
    expect(before).toHaveLength(1);
    const again = await w.org.owner.request('PUT', `/api/scans/${w.scanId}/gitlab/project`, { projectId: w.projectId });
    expect(again.statusCode).toBe(200);
    expect(hooksOf()).toEqual(before);
    await comment('still delivered after re-saving');
  });

  it('a hook deleted in GitLab is re-created by reconciliation, and deliveries flow again', async () => {
    const [hook] = hooksOf();
    await fetch(`${w.sandbox.apiUrl}/projects/${w.projectId}/hooks/${hook!.id}`, {
      method: 'DELETE',
      headers: { 'private-token': w.sandbox.users[0]!.token },
    });
    expect(hooksOf()).toHaveLength(0);
    const link = await w.h.t.db.kysely
      .selectFrom('project_links')
      .select('id')
      .where('target_id', '=', w.targetId)
      .where('scan_id', 'is', null)
      .executeTakeFirstOrThrow();
    await reconcileLink(
      w.h.t.db.kysely,
      { env: w.h.env, secretBox: w.h.secretBox, gitlab: createGitlabDeps(w.h.t.db, w.h.env, w.h.secretBox, fetch) },
      link.id,
    );
    expect(hooksOf()).toHaveLength(1);
    expect(hooksOf()[0]!.url).toBe(hook!.url);
    await comment('delivered through the re-created hook');
  });
});

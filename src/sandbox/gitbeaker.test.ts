// Drives the sandbox with @gitbeaker/rest, a client written against real GitLab, to catch shapes,
// pagination headers and error bodies our own client would never notice.
import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './index.ts';
import { startReceiver } from './testing/helpers.ts';

let sb: Sandbox;
let gl: InstanceType<typeof Gitlab>;
const PROJECT = 'acme/platform/security/juice-shop';

beforeAll(async () => {
  sb = await startSandbox({ rateLimits: 'off' });
  gl = new Gitlab({ host: sb.url, token: sb.users[0]!.token });
});
afterAll(() => sb.close());

describe('@gitbeaker/rest against the sandbox', () => {
  it('reads the current user', async () => {
    const me = await gl.Users.showCurrentUser();
    expect(me.username).toBe('alice');
    expect(me.id).toBe(1);
  });

  it('walks offset pagination to the end with maxPages unset', async () => {
    const projects = await gl.Projects.all({ membership: true, simple: true, perPage: 100 });
    expect(projects).toHaveLength(244);
    const { data, paginationInfo } = await gl.Projects.all({
      membership: true,
      perPage: 50,
      page: 5,
      showExpanded: true,
      maxPages: 1,
      pagination: 'offset',
    });
    expect(data).toHaveLength(44);
    expect(paginationInfo).toMatchObject({
      total: 244,
      next: null,
      current: 5,
      previous: 4,
      perPage: 50,
      totalPages: 5,
    });
  });

  it('walks keyset pagination of projects', async () => {
    const projects = await gl.Projects.all({
      membership: true,
      pagination: 'keyset',
      orderBy: 'id',
      sort: 'asc',
      perPage: 100,
    });
    expect(projects).toHaveLength(244);
    expect(new Set(projects.map((p) => p.id)).size).toBe(244);
  });

  it('shows a project by path and lists groups, subgroups, descendants and group projects', async () => {
    const p = await gl.Projects.show(PROJECT);
    expect(p.path_with_namespace).toBe(PROJECT);
    const groups = await gl.Groups.all({ minAccessLevel: 50 });
    expect(groups.map((g) => g.full_path).sort()).toEqual(['acme/platform/security', 'acme/platform/security/appsec']);
    expect((await gl.Groups.allSubgroups('acme')).map((g) => g.path).sort()).toEqual(['platform', 'web']);
    expect(await gl.Groups.allDescendantGroups('acme', {})).toHaveLength(4);
    expect(await gl.Groups.allProjects('acme/platform', { includeSubgroups: true, perPage: 100 })).toHaveLength(150);
  });

  it('creates, edits, lists and closes issues; adds and lists notes; creates labels', async () => {
    const label = await gl.ProjectLabels.create(PROJECT, 'gitbeaker', '#123456');
    expect(label.name).toBe('gitbeaker');
    const issue = await gl.Issues.create(PROJECT, 'Created by gitbeaker', {
      description: 'body',
      labels: 'Vulnbridge,gitbeaker',
    });
    expect(issue.iid).toBeGreaterThan(0);
    expect(issue.labels).toEqual(['Vulnbridge', 'gitbeaker']);
    const edited = await gl.Issues.edit(PROJECT, issue.iid, { addLabels: 'VB-GITBEA000001', stateEvent: 'close' });
    expect(edited.state).toBe('closed');
    expect(edited.labels).toContain('VB-GITBEA000001');
    const listed = await gl.Issues.all({ projectId: PROJECT, labels: 'gitbeaker', state: 'closed' });
    expect(listed.map((i) => i.iid)).toEqual([issue.iid]);
    const withDetails = await gl.Issues.all({ projectId: PROJECT, labels: 'gitbeaker', withLabelsDetails: true });
    expect((withDetails[0]!.labels as { name: string }[]).map((l) => l.name)).toContain('gitbeaker');
    const note = await gl.IssueNotes.create(PROJECT, issue.iid, 'from gitbeaker', { internal: true });
    expect(note.internal).toBe(true);
    const notes = await gl.IssueNotes.all(PROJECT, issue.iid, { sort: 'asc' });
    expect(notes.map((n) => n.body)).toContain('from gitbeaker');
  });

  it('manages project hooks', async () => {
    const rx = await startReceiver();
    try {
      const hook = await gl.ProjectHooks.add(PROJECT, rx.url, { issuesEvents: true, noteEvents: true, token: 'tkn' });
      expect(hook.issues_events).toBe(true);
      expect((await gl.ProjectHooks.all(PROJECT)).map((h) => h.id)).toContain(hook.id);
      await gl.Issues.create(PROJECT, 'hooked via gitbeaker');
      await sb.admin.idle();
      expect(rx.deliveries.map((d) => d.headers['x-gitlab-event'])).toEqual(['Issue Hook']);
      await gl.ProjectHooks.remove(PROJECT, hook.id);
      expect(await gl.ProjectHooks.all(PROJECT)).toEqual([]);
    } finally {
      await rx.close();
    }
  });

  it('surfaces GitLab error bodies through GitbeakerRequestError', async () => {
    const err = await gl.Projects.show('globex/globex-auth-001').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const cause = (err as { cause?: { description?: string; response?: Response } }).cause;
    expect(cause?.response?.status).toBe(404);
    expect(cause?.description).toBe('404 Project Not Found');
  });

  it('duplicates an issue when a create response is lost: gitbeaker retries POST on 502', async () => {
    sb.admin.setFaults('lost=1:method=POST:path=/issues:times=1');
    try {
      const issue = await gl.Issues.create(PROJECT, 'retried create', { labels: 'VB-DUPLIC000001' });
      expect(issue.title).toBe('retried create');
    } finally {
      sb.admin.clearFaults();
    }
    const copies = await gl.Issues.all({ projectId: PROJECT, labels: 'VB-DUPLIC000001' });
    expect(copies).toHaveLength(2);
  });
});

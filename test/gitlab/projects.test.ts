// The project picker and saving a project for a scan, against the sandbox's 260+ projects over nested
// subgroups: the exact set with and without group resources, through GitLab's pagination.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/imports/index.ts';
import type { Client } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import { createGitlabHarness, type GitlabHarness, newTarget } from './support.ts';

const REPORT = readFileSync(new URL('../fixtures/reports/zap-anubissbe-1.json', import.meta.url));

describe.each(DIALECTS)('project picker and project links on %s', (dialect) => {
  let g: GitlabHarness;
  beforeAll(async () => {
    g = await createGitlabHarness(dialect);
  });
  afterAll(async () => g?.close());

  async function connectAs(username: string): Promise<string> {
    const targetId = await newTarget(g.org.owner);
    const response = await g.org.owner.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: g.sandbox.url,
      token: g.sandbox.admin.createToken(username),
    });
    if (response.statusCode !== 200) throw new Error(response.body);
    return targetId;
  }

  async function pickAll(client: Client, targetId: string, query: string): Promise<{ ids: number[]; pages: number }> {
    const ids: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/api/targets/${targetId}/gitlab/projects?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await client.get(url);
      if (response.statusCode !== 200) throw new Error(response.body);
      const page = response.json();
      ids.push(...page.projects.map((p: { id: number }) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { ids, pages };
  }

  /** The expected sets, from the sandbox's own state (GitLab's rules, not our client's). */
  function expected(username: string) {
    const store = g.sandbox.store;
    const user = store.userByName(username)!;
    const own = store.data.projects.filter((p) => store.projectAccess(user.id, p) >= 15).map((p) => p.id);
    const memberGroups = store.data.groups.filter((grp) => store.directMember('group', grp.id, user.id));
    const inGroups = new Set<number>();
    for (const grp of memberGroups) {
      const tree = new Set([grp.id, ...store.descendantGroups(grp.id).map((d) => d.id)]);
      for (const p of store.data.projects) if (p.groupId !== null && tree.has(p.groupId)) inGroups.add(p.id);
    }
    return { own: new Set(own), withGroups: new Set([...own, ...inGroups]) };
  }

  it('lists exactly the projects where the user can create issues, and with group resources every project of their groups, without duplicates', async () => {
    for (const username of ['alice', 'dave']) {
      const targetId = await connectAs(username);
      const want = expected(username);
      const off = await pickAll(g.org.owner, targetId, 'includeGroups=false');
      expect(new Set(off.ids), `${username} without groups`).toEqual(want.own);
      expect(off.ids.length).toBe(want.own.size);
      const on = await pickAll(g.org.owner, targetId, 'includeGroups=true');
      expect(new Set(on.ids), `${username} with groups`).toEqual(want.withGroups);
      expect(on.ids.length, 'no duplicates').toBe(want.withGroups.size);
      if (username === 'alice') {
        expect(want.own.size).toBeGreaterThan(240);
        expect(off.pages).toBeGreaterThan(4); // it really paged through GitLab's pagination
      }
      if (username === 'dave') {
        expect(want.own.size).toBe(0); // a Guest can create no issues with labels…
        expect(want.withGroups.size).toBeGreaterThan(200); // …but the toggle shows every project of the group
      }
    }
  });

  it('searches by name', async () => {
    const targetId = await connectAs('alice');
    const { ids } = await pickAll(g.org.owner, targetId, 'includeGroups=false&search=juice');
    expect(ids).toEqual([g.sandbox.admin.project('acme/platform/security/juice-shop')!.id]);
  });

  async function scanOf(targetId: string): Promise<string> {
    const [summary] = await importReport(g.h.t.db, {
      organizationId: g.org.id,
      actorUserId: null,
      target: { id: targetId },
      file: { bytes: REPORT, name: 'zap.json' },
    });
    return summary!.scanId;
  }

  it('saves a project as a Maintainer: creates the product label, registers a webhook, remembers it as the target default', async () => {
    const targetId = await connectAs('alice');
    const scanId = await scanOf(targetId);
    const project = g.sandbox.admin.project('acme/web/web-auth-001')!;
    const saved = await g.org.members.contributor.request('PUT', `/api/scans/${scanId}/gitlab/project`, {
      projectId: project.id,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const { link, messages } = saved.json();
    expect(link).toMatchObject({
      projectId: project.id,
      projectPath: 'acme/web/web-auth-001',
      accessName: 'Maintainer',
      syncMode: 'webhook',
      syncReason: null,
    });
    expect(messages.join(' ')).toMatch(/Maintainer/);
    expect(g.sandbox.store.labelByName(project.id, 'Vulnbridge')).toBeDefined();
    const hooks = g.sandbox.store.data.hooks.filter((h) => h.projectId === project.id);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      url: `http://hub.test/webhooks/gitlab/${link.id}`,
      issuesEvents: true,
      noteEvents: true,
      confidentialIssuesEvents: true,
      confidentialNoteEvents: true,
    });
    expect((await g.org.members.reader.get(`/api/targets/${targetId}/gitlab`)).json().defaultProject.projectId).toBe(
      project.id,
    );
    // Saving again for another scan reuses the hook instead of adding another.
    const second = await scanOf(targetId);
    expect(
      (await g.org.owner.request('PUT', `/api/scans/${second}/gitlab/project`, { projectId: project.id })).statusCode,
    ).toBe(200);
    expect(g.sandbox.store.data.hooks.filter((h) => h.projectId === project.id)).toHaveLength(1);
  });

  it('falls back to polling for a Reporter and says why; refuses a Guest and saves nothing', async () => {
    const carolTarget = await connectAs('carol');
    const scanId = await scanOf(carolTarget);
    const project = g.sandbox.admin.project('acme/acme-auth-001')!;
    const saved = await g.org.owner.request('PUT', `/api/scans/${scanId}/gitlab/project`, { projectId: project.id });
    expect(saved.json().link).toMatchObject({
      accessName: 'Reporter',
      syncMode: 'polling',
      syncReason: expect.stringMatching(/Maintainer/),
    });
    expect(g.sandbox.store.data.hooks.filter((h) => h.projectId === project.id)).toHaveLength(0);

    const daveTarget = await connectAs('dave');
    const daveScan = await scanOf(daveTarget);
    const refused = await g.org.owner.request('PUT', `/api/scans/${daveScan}/gitlab/project`, {
      projectId: project.id,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/Guest.*Planner or Reporter/);
    expect((await g.org.owner.get(`/api/scans/${daveScan}/gitlab/project`)).json().link).toBeNull();
  });

  it('reports GitLab being down and a missing project clearly, saving nothing', async () => {
    const targetId = await connectAs('alice');
    const scanId = await scanOf(targetId);
    const missing = await g.org.owner.request('PUT', `/api/scans/${scanId}/gitlab/project`, { projectId: 999999 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toMatch(/does not exist or @alice cannot see it/);
    g.sandbox.admin.setFaults('error=1:status=503:path=/projects');
    const down = await g.org.owner.get(`/api/targets/${targetId}/gitlab/projects`);
    g.sandbox.admin.clearFaults();
    expect(down.statusCode).toBe(502);
    expect(down.json().error).toMatchObject({
      code: 'gitlab_unavailable',
      message: expect.stringMatching(/503.*try again/),
    });
    expect((await g.org.owner.get(`/api/scans/${scanId}/gitlab/project`)).json().link).toBeNull();
  });
});

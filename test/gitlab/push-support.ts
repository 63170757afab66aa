// What push tests share: a worker wired to the harness's sandbox, a loop that runs it until a push is
// finished, and a target connected with a personal access token whose scan is linked to a project.
import { parseEnv } from '../../src/config/index.ts';
import { createGitlabDeps } from '../../src/gitlab/index.ts';
import { Worker } from '../../src/jobs/index.ts';
import { allTasks } from '../../src/tasks/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { zapReport } from '../support/reports.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { type GitlabHarness, newTarget } from './support.ts';

/** `current` gives the harness, which a suite's beforeAll makes after these helpers are taken. */
export function pushHelpers(current: () => GitlabHarness) {
  const envOf = (overrides: Record<string, string> = {}) =>
    parseEnv({
      ...Object.fromEntries(
        Object.entries(current().h.env)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ),
      ...overrides,
    });

  function deps(envOverrides: Record<string, string> = {}) {
    const env = envOf(envOverrides);
    return {
      env,
      secretBox: current().h.secretBox,
      gitlab: createGitlabDeps(current().h.t.db, env, current().h.secretBox, fetch),
    };
  }

  function worker(envOverrides: Record<string, string> = {}) {
    return new Worker({
      db: current().h.t.db,
      logger: silentLogger,
      tasks: allTasks,
      concurrency: 8,
      pollMs: 20,
      retryDelayMs: () => 20,
      deps: deps(envOverrides),
    });
  }

  async function runUntilFinished(w: Worker, pushId: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await w.drain();
      const summary = (await current().org.owner.get(`/api/pushes/${pushId}`)).json();
      if (summary.finished) return summary;
      if (Date.now() > deadline)
        throw new Error(
          `push not finished: ${JSON.stringify(summary.counts)} ${JSON.stringify(summary.items.slice(0, 2))} ${JSON.stringify(await current().h.t.db.kysely.selectFrom('jobs').select(['state', 'last_error', 'run_at']).where('task', '=', 'create-issue').limit(3).execute())}`,
        );
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  async function prepare(projectPath: string, instances: number, username = 'alice') {
    const targetId = await newTarget(current().org.owner);
    const token = current().sandbox.admin.createToken(username);
    const connected = await current().org.owner.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: current().sandbox.url,
      token,
    });
    if (connected.statusCode !== 200) throw new Error(connected.body);
    const site = `https://app-${targetId.slice(-6)}.example`;
    const [summary] = await importReport(current().h.t.db, {
      organizationId: current().org.id,
      actorUserId: null,
      target: { id: targetId },
      file: {
        bytes: zapReport(site, [
          { name: 'Cross Site Scripting (Reflected)', risk: 3, instances },
          { name: 'Other', risk: 1, instances: 2 },
        ]),
        name: 'zap.json',
      },
    });
    const scanId = summary!.scanId;
    const project = current().sandbox.admin.project(projectPath)!;
    const link = await current().org.owner.request('PUT', `/api/scans/${scanId}/gitlab/project`, {
      projectId: project.id,
    });
    if (link.statusCode !== 200) throw new Error(link.body);
    const report = (await current().org.owner.get(`/api/scans/${scanId}`)).json();
    const vulnerabilityId = report.vulnerabilities.find((v: { name: string }) => v.name.startsWith('Cross Site'))!
      .id as string;
    return { targetId, scanId, project, vulnerabilityId, token };
  }

  const issuesIn = (projectId: number) => current().sandbox.store.data.issues.filter((i) => i.projectId === projectId);
  const labelsOf = (issue: { labelIds: number[] }) =>
    issue.labelIds.map((id) => current().sandbox.store.label(id)?.name);

  return { deps, worker, runUntilFinished, prepare, issuesIn, labelsOf };
}

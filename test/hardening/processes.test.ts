// Several hub processes on one PostgreSQL database (hardening #9): two `serve --role web` and three
// `serve --role worker` processes share a 200-finding push under an issue-creation budget of 40 per
// minute. No job runs twice, exactly 200 issues exist at the end, and the budget is one budget: each
// one-minute window creates exactly 40 issues across the three workers (a budget per process would let
// each of them create 40). The budget's window is the hub's own fixed minute (src/gitlab/rate-budget.ts);
// the test ends each window by moving the database's clock for it (the window's start and the
// deferred jobs' due times, one minute back) instead of waiting a real minute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { CREATE_ISSUE_TASK } from '../../src/tracking/index.ts';
import {
  type Api,
  freePort,
  type HubProcess,
  type HubWorld,
  hubApi,
  preparePush,
  projectIssues,
  pushFinished,
  startAll,
  startHub,
  startPostgresHubWorld,
  waitFor,
} from './pg-cluster.ts';

const BUDGET = 40;
const FINDINGS = 200;
const MINUTE = 60_000;

describe('several web and worker processes on one PostgreSQL database', () => {
  let world: HubWorld;
  let db: Db;
  let sandbox: Sandbox;
  let hubs: HubProcess[] = [];
  let apis: Api[] = [];
  let organizationId = '';

  beforeAll(async () => {
    world = await startPostgresHubWorld();
    ({ db, sandbox } = world);
    organizationId = world.scenario.organizationId;
    const ports = [await freePort(), await freePort()];
    const env = world.hubEnv(ports[0]!, { ISSUE_CREATE_PER_MINUTE: String(BUDGET), JOB_LEASE_MS: '10000' });
    hubs = await startAll([
      ...ports.map((port) => startHub('web', env, { port })),
      startHub('worker', env),
      startHub('worker', env),
      startHub('worker', env),
    ]);
    apis = hubs.slice(0, 2).map((h) => hubApi(h.url, world.scenario.token));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(hubs.map((h) => h.stop()));
    await world?.close();
  });

  /** The create-issue jobs: how many run now, how many are due and not claimed yet, which workers hold them. */
  async function jobsNow() {
    const rows = await db.kysely
      .selectFrom('jobs')
      .select(['state', 'run_at', 'locked_by', 'attempts'])
      .where('task', '=', CREATE_ISSUE_TASK)
      .execute();
    const now = Date.now();
    return {
      running: rows.filter((r) => r.state === 'running'),
      due: rows.filter((r) => r.state === 'queued' && Date.parse(r.run_at) <= now).length,
      rows,
    };
  }

  /** One minute passes for the budget: its window started a minute earlier, and the jobs it deferred to
   * the window's end are due a minute earlier. */
  async function endWindow() {
    await db.kysely.transaction().execute(async (trx) => {
      for (const row of await trx.selectFrom('rate_budgets').select(['key', 'window_started_at']).execute()) {
        await trx
          .updateTable('rate_budgets')
          .set({ window_started_at: new Date(Date.parse(row.window_started_at) - MINUTE).toISOString() })
          .where('key', '=', row.key)
          .execute();
      }
      const deferred = await trx
        .selectFrom('jobs')
        .select(['id', 'run_at'])
        .where('task', '=', CREATE_ISSUE_TASK)
        .where('state', '=', 'queued')
        .execute();
      for (const job of deferred)
        await trx
          .updateTable('jobs')
          .set({ run_at: new Date(Date.parse(job.run_at) - MINUTE).toISOString() })
          .where('id', '=', job.id)
          .where('state', '=', 'queued')
          .execute();
    });
  }

  it(`2 web + 3 worker processes push ${FINDINGS} findings at ${BUDGET}/min: ${BUDGET} per window, ${FINDINGS} issues, no job twice`, {
    timeout: 150_000,
  }, async () => {
    const prepared = await preparePush({
      db,
      apis,
      sandbox,
      organizationId,
      site: 'https://processes.example',
      instances: FINDINGS,
      projectPath: 'acme/platform/security/webgoat',
    });
    const count = () => projectIssues(sandbox, prepared.projectId).count;
    const started = await apis[1]!('POST', `/api/scans/${prepared.scanId}/pushes`, {
      vulnerabilityId: prepared.vulnerabilityId,
    });
    expect(started.status).toBe(202);
    const pushId = started.json.pushId as string;

    const workers = new Set<string>();
    const perWindow: number[] = [];
    const windows = Math.ceil(FINDINGS / BUDGET);
    for (let window = 1; window <= windows; window++) {
      // The window is spent when nothing runs and nothing is due: every other job waits for the next one.
      await waitFor(
        async () => {
          const jobs = await jobsNow();
          for (const r of jobs.running) if (r.locked_by) workers.add(r.locked_by);
          return jobs.running.length === 0 && jobs.due === 0 && count() >= Math.min(FINDINGS, window * BUDGET);
        },
        60_000,
        `window ${window} to be spent`,
        10,
      );
      perWindow.push(count() - perWindow.reduce((a, b) => a + b, 0));
      const budget = await db.kysely.selectFrom('rate_budgets').selectAll().execute();
      expect(budget).toHaveLength(1);
      expect(Number(budget[0]!.used)).toBe(Math.min(BUDGET, FINDINGS - (window - 1) * BUDGET));
      if (window < windows) await endWindow();
    }

    const summary = await pushFinished(apis[0]!, pushId, 30_000);
    const issues = projectIssues(sandbox, prepared.projectId);
    const { rows } = await jobsNow();
    console.log(
      `processes: 2 web + 3 workers, budget ${BUDGET}/min; issues per window ${perWindow.join(', ')}; issues=${issues.count} distinct=${issues.distinct} created=${summary.counts.created} adopted=${summary.counts.adopted}; jobs=${rows.length} attempts>1=${rows.filter((r) => Number(r.attempts) > 1).length}; workers seen running create-issue jobs=${workers.size}`,
    );
    expect(perWindow).toEqual(Array.from({ length: windows }, (_, i) => Math.min(BUDGET, FINDINGS - i * BUDGET)));
    expect(summary.counts).toMatchObject({ total: FINDINGS, created: FINDINGS, adopted: 0, failed: 0 });
    expect(issues).toMatchObject({ count: FINDINGS, labelled: FINDINGS, distinct: FINDINGS });
    // No job ran twice: each was claimed once for its run (a deferral gives its attempt back).
    expect(rows).toHaveLength(FINDINGS);
    expect(rows.every((r) => r.state === 'done' && Number(r.attempts) === 1)).toBe(true);
    // The budget held while all three workers were taking jobs.
    expect(workers.size).toBeGreaterThanOrEqual(2);
    expect(hubs.every((h) => h.alive())).toBe(true);
  });
});

// A worker paused past its job leases (hardening #9): SIGSTOP, not SIGKILL, so it wakes up later and
// carries on with attempts that another worker has taken over meanwhile. One web and two worker
// processes on one PostgreSQL database, leases of 2 s, a 300-finding push with 40 ms of GitLab latency;
// one worker is stopped for 5 s three times. Exactly 300 issues remain, one per finding, each the one
// the hub tracks; the push finishes with nothing failed. The figures (attempts that stopped on a lost
// lease, copies retired) are printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
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

const FINDINGS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a worker process paused past its leases on PostgreSQL', () => {
  let world: HubWorld;
  let db: Db;
  let sandbox: Sandbox;
  let hubs: HubProcess[] = [];
  let api: Api;
  let organizationId = '';

  beforeAll(async () => {
    world = await startPostgresHubWorld();
    ({ db, sandbox } = world);
    organizationId = world.scenario.organizationId;
    const port = await freePort();
    const env = world.hubEnv(port, { JOB_LEASE_MS: '2000' });
    hubs = await startAll([startHub('web', env, { port }), startHub('worker', env), startHub('worker', env)]);
    api = hubApi(hubs[0]!.url, world.scenario.token);
  }, 240_000);

  afterAll(async () => {
    for (const hub of hubs) if (hub.alive()) hub.child.kill('SIGCONT');
    await Promise.all(hubs.map((h) => h.stop()));
    await world?.close();
  });

  it(`${FINDINGS} findings, one worker SIGSTOPped 3 × 5 s with 2 s leases: exactly ${FINDINGS} issues, each the tracked one`, {
    timeout: 240_000,
  }, async () => {
    const prepared = await preparePush({
      db,
      apis: [api],
      sandbox,
      organizationId,
      site: 'https://paused.example',
      instances: FINDINGS,
      projectPath: 'acme/platform/security/dvwa',
    });
    sandbox.admin.setFaults('latency=40');
    const started = await api('POST', `/api/scans/${prepared.scanId}/pushes`, {
      vulnerabilityId: prepared.vulnerabilityId,
    });
    expect(started.status).toBe(202);
    const pushId = started.json.pushId as string;
    const paused = hubs[1]!;
    const created = () => projectIssues(sandbox, prepared.projectId).count;
    try {
      for (let stop = 1; stop <= 3; stop++) {
        // Stop it while it has attempts in hand (some mid-request), then let it wake up 5 s later.
        await waitFor(
          () => created() >= (stop * FINDINGS) / 5,
          90_000,
          `issue ${(stop * FINDINGS) / 5} before stop ${stop}`,
          10,
        );
        paused.child.kill('SIGSTOP');
        await sleep(5000);
        paused.child.kill('SIGCONT');
      }
      const summary = await pushFinished(api, pushId, 150_000);
      // A retirement runs in the attempt that settles second: let the last of them finish.
      await sleep(3000);
      const issues = projectIssues(sandbox, prepared.projectId);
      const tracked = await db.kysely
        .selectFrom('tracked_issues')
        .select(['iid', 'public_id'])
        .where('project_id', '=', prepared.projectId)
        .execute();
      const retired = await db.kysely
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'gitlab.duplicate_retired')
        .execute();
      const leaseLost = hubs
        .slice(1)
        .flatMap((h) => h.lines)
        .filter((l) => l.includes('taken over by another worker')).length;
      const attempts = await db.kysely
        .selectFrom('jobs')
        .select('attempts')
        .where('task', '=', 'create-issue')
        .execute();
      console.log(
        `paused worker: ${FINDINGS} findings, 3 × 5 s SIGSTOP, lease 2 s; issues=${issues.count} distinct=${issues.distinct} created=${summary.counts.created} adopted=${summary.counts.adopted} failed=${summary.counts.failed}; attempts stopped on a lost lease=${leaseLost}; copies retired=${retired.length}; jobs with more than one attempt=${attempts.filter((a) => Number(a.attempts) > 1).length}`,
      );
      expect(summary.counts).toMatchObject({ total: FINDINGS, failed: 0 });
      expect(issues).toMatchObject({ count: FINDINGS, labelled: FINDINGS, distinct: FINDINGS });
      expect(new Set(tracked.map((t) => Number(t.iid)))).toEqual(new Set(issues.issues.map((i) => i.iid)));
      // The pauses really took jobs over: without that this test would prove nothing.
      expect(attempts.filter((a) => Number(a.attempts) > 1).length).toBeGreaterThan(0);
      expect(hubs.every((h) => h.alive())).toBe(true);
    } finally {
      paused.child.kill('SIGCONT');
      sandbox.admin.clearFaults();
    }
  });
});

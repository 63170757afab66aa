// PostgreSQL restarted under a running hub (hardening #9): a private cluster (never the machine's shared
// server) is stopped with -m immediate (every backend killed, as in a crash) and restarted with -m fast
// while real `vulnbridge serve` processes (one web, two workers) push 300 findings and take a burst of
// note webhooks. Nobody restarts the hub: it reconnects by itself, the push ends with exactly 300 issues,
// and every delivery it acknowledged is processed.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { notePayload } from '../../src/sandbox/webhooks/payloads.ts';
import {
  type Api,
  freePort,
  type HubProcess,
  type HubWorld,
  hubApi,
  PG_BIN,
  type PgCluster,
  preparePush,
  problems,
  pushFinished,
  projectIssues,
  startAll,
  startHub,
  startHubWorld,
  startPgCluster,
  waitFor,
} from './pg-cluster.ts';

if (!PG_BIN)
  console.log(
    'postgres-restart: skipped, no initdb under /usr/lib/postgresql/*/bin (a private cluster is needed to restart PostgreSQL)',
  );

describe.skipIf(!PG_BIN)('PostgreSQL restarted under the hub', () => {
  let cluster: PgCluster;
  let sandbox: Sandbox;
  let db: Db;
  let hubs: HubProcess[] = [];
  let web: HubProcess;
  let api: Api;
  let organizationId = '';
  let projectId = 0;
  let restarts = 0;
  const timeline: string[] = [];
  let world: HubWorld;

  const alive = () => {
    const dead = hubs.filter((h) => !h.alive());
    if (dead.length)
      throw new Error(
        `hub processes exited: ${dead.map((h) => `${h.role} (${h.child.exitCode ?? h.child.signalCode}):\n${h.lines.slice(-15).join('\n')}`).join('\n')}`,
      );
    return true;
  };

  beforeAll(async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase('vb');
    // The test's own pool sees the restarts too: its idle clients' errors are expected.
    world = await startHubWorld(url, { onError: () => undefined });
    ({ db, sandbox } = world);
    organizationId = world.scenario.organizationId;
    const port = await freePort();
    const env = world.hubEnv(port, { ISSUE_CREATE_PER_MINUTE: '100000', JOB_LEASE_MS: '4000' });
    hubs = await startAll([startHub('web', env, { port }), startHub('worker', env), startHub('worker', env)]);
    web = hubs[0]!;
    api = hubApi(web.url, world.scenario.token);
  }, 240_000);

  afterAll(async () => {
    if (process.env.VB_DEBUG_DIR) await dump(process.env.VB_DEBUG_DIR);
    await Promise.all(hubs.map((h) => h.stop()));
    await world?.close();
    await cluster?.destroy();
  });

  /** VB_DEBUG_DIR=<dir>: the processes' logs, the server's log, the jobs and deliveries, for a failure's post-mortem. */
  async function dump(dir: string) {
    const write = (name: string, value: unknown) =>
      writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 1));
    for (const [i, h] of hubs.entries()) write(`${i}-${h.role}.log`, h.lines.join('\n'));
    write('postgres.log', cluster.log());
    write(
      'jobs.json',
      await db.kysely
        .selectFrom('jobs')
        .select(['task', 'state', 'attempts', 'run_at', 'locked_until', 'last_error'])
        .execute()
        .catch(String),
    );
    write(
      'deliveries.json',
      await db.kysely
        .selectFrom('webhook_deliveries')
        .select(['idempotency_key', 'event', 'received_at', 'processed_at', 'outcome'])
        .execute()
        .catch(String),
    );
    const byLabel = new Map<string, { iid: number; createdAt: unknown }[]>();
    for (const issue of sandbox.store.data.issues.filter((i) => i.projectId === projectId)) {
      const label = issue.labelIds.map((l) => sandbox.store.label(l)?.name).find((n) => n?.startsWith('VB-')) ?? '-';
      byLabel.set(label, [...(byLabel.get(label) ?? []), { iid: issue.iid, createdAt: issue.createdAt }]);
    }
    const duplicates = [];
    for (const [label, issues] of byLabel) {
      if (issues.length < 2) continue;
      const tracked = await db.kysely
        .selectFrom('tracked_issues')
        .selectAll()
        .where('public_id', '=', label)
        .execute()
        .catch(String);
      const items = await db.kysely
        .selectFrom('push_items')
        .selectAll()
        .where('public_id', '=', label)
        .execute()
        .catch(() => []);
      const jobs = await db.kysely
        .selectFrom('jobs')
        .selectAll()
        .where('payload', 'like', `%${typeof items === 'string' ? '-' : (items[0]?.id ?? '-')}%`)
        .execute()
        .catch(String);
      duplicates.push({ label, issues, tracked, items, jobs });
    }
    write('duplicates.json', { timeline, duplicates });
    write(
      'hook-events.json',
      sandbox.store.data.hookEvents.map((e) => ({
        key: e.idempotencyKey,
        status: e.responseStatus,
        event: e.eventName,
      })),
    );
  }

  /** The Idempotency-Keys (as GitLab sent them) of the deliveries the hub has processed. */
  async function processedKeys(): Promise<Set<string>> {
    const rows = await db.kysely
      .selectFrom('webhook_deliveries')
      .select('idempotency_key')
      .where('processed_at', 'is not', null)
      .execute();
    return new Set(rows.map((r) => r.idempotency_key.slice(r.idempotency_key.indexOf(':') + 1)));
  }

  /** Stop the server hard, keep it down until the processes have noticed, start it again. */
  async function crash(watch: HubProcess[], onDown: () => void = () => undefined) {
    const before = watch.map((h) => problems(h).length);
    timeline.push(`stop immediate ${new Date().toISOString()}`);
    await cluster.stop('immediate');
    timeline.push(`down ${new Date().toISOString()}`);
    onDown();
    await waitFor(
      () => watch.every((h, i) => problems(h).length > before[i]!),
      20_000,
      'every process to notice the outage',
    );
    const health = await fetch(`${web.url}/api/health`).catch((error) => {
      alive();
      throw error;
    });
    expect(health.status).toBeGreaterThanOrEqual(500);
    await cluster.start();
    timeline.push(`up ${new Date().toISOString()}`);
    restarts++;
  }

  it('a 300-finding push through four restarts (immediate, fast, immediate, fast): exactly 300 issues, no duplicate, no process exited', {
    timeout: 150_000,
  }, async () => {
    const prepared = await preparePush({
      db,
      apis: [api],
      sandbox,
      organizationId,
      site: 'https://restart.example',
      instances: 300,
      projectPath: 'acme/platform/security/dvwa',
    });
    projectId = prepared.projectId;
    const started = await api('POST', `/api/scans/${prepared.scanId}/pushes`, {
      vulnerabilityId: prepared.vulnerabilityId,
    });
    expect(started.status).toBe(202);
    const pushId = started.json.pushId as string;
    const count = () => projectIssues(sandbox, projectId).count;
    const t0 = Date.now();
    const marks: string[] = [];
    const mark = (what: string) => marks.push(`${what}@${((Date.now() - t0) / 1000).toFixed(1)}s:${count()}`);

    for (const [at, mode] of [
      [60, 'immediate'],
      [120, 'fast'],
      [180, 'immediate'],
      [240, 'fast'],
    ] as const) {
      await waitFor(() => count() >= at, 60_000, `${at} issues`);
      mark(mode);
      if (mode === 'immediate') await crash(hubs.slice(1));
      else {
        await cluster.restart('fast');
        restarts++;
      }
      mark('up');
      expect(count(), 'the push was still running when the server went down and came back').toBeLessThan(300);
    }
    const summary = await pushFinished(api, pushId, 90_000);
    mark('finished');
    const issues = projectIssues(sandbox, projectId);
    // Outcomes the workers could not record (the server went away under them): they survived each one.
    const unrecorded = hubs
      .slice(1)
      .map((h) => problems(h).filter((p) => p.msg.startsWith('could not record the job outcome')).length);
    console.log(
      `postgres-restart push: restarts=${restarts} (${marks.join(' ')}); created=${summary.counts.created} adopted=${summary.counts.adopted} failed=${summary.counts.failed} issues=${issues.count} distinct=${issues.distinct} duplicates=${issues.count - issues.distinct}; outcomes not recordable=${unrecorded.join('+')}`,
    );
    expect(summary.counts).toMatchObject({ total: 300, failed: 0, pending: 0, waiting: 0 });
    expect(summary.counts.created + summary.counts.adopted).toBe(300);
    expect(issues).toMatchObject({ count: 300, labelled: 300, distinct: 300 });
    expect(alive()).toBe(true);
    expect((await fetch(`${web.url}/api/health`)).status).toBe(200);
    // Every issue webhook the sandbox delivered and the hub acknowledged was processed.
    const acked = sandbox.store.data.hookEvents
      .filter((e) => /^2\d\d$/.test(e.responseStatus))
      .map((e) => e.idempotencyKey);
    expect(acked.length).toBeGreaterThan(0);
    await waitFor(
      async () => {
        const processed = await processedKeys();
        return acked.every((key) => processed.has(key));
      },
      60_000,
      'every acknowledged issue webhook to be processed',
    );
  });

  it('a burst of 150 note webhooks through an immediate stop and a fast restart: every acknowledged delivery is processed', {
    timeout: 150_000,
  }, async () => {
    expect(projectId, 'the push test ran first and left its issues').toBeGreaterThan(0);
    const gitlab = async (user: string, method: string, path: string, body: unknown) => {
      const response = await fetch(`${sandbox.apiUrl}${path}`, {
        method,
        headers: {
          'private-token': sandbox.users.find((u) => u.username === user)!.token,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ id: number }>;
    };
    // GitLab would deliver these notes itself. The test plays its delivery (the sandbox's own payloads,
    // GitLab's headers) so that it knows which deliveries the hub acknowledged, and resends the refused
    // ones with their Idempotency-Key as GitLab's resend does; the sandbox's hook stops sending notes.
    const hook = sandbox.store.data.hooks.find(
      (h) => h.projectId === projectId && h.url.includes('/webhooks/gitlab/'),
    )!;
    await gitlab('alice', 'PUT', `/projects/${projectId}/hooks/${hook.id}`, {
      note_events: false,
      confidential_note_events: false,
    });
    const bob = sandbox.store.data.users.find((u) => u.username === 'bob')!;
    const iids = projectIssues(sandbox, projectId)
      .issues.slice(0, 50)
      .map((i) => i.iid);
    const N = 150;
    const deliveries: {
      key: string;
      noteId: number;
      body: string;
      attempts: number;
      acked: boolean;
      notBefore: number;
    }[] = [];
    for (let n = 0; n < N; n++) {
      const note = await gitlab('bob', 'POST', `/projects/${projectId}/issues/${iids[n % iids.length]}/notes`, {
        body: `burst note ${n}`,
      });
      const record = sandbox.store.data.notes.find((x) => x.id === note.id)!;
      deliveries.push({
        key: randomUUID(),
        noteId: note.id,
        body: JSON.stringify(notePayload(sandbox.store, sandbox.url, bob, record, 'create')),
        attempts: 0,
        acked: false,
        notBefore: 0,
      });
    }
    const stats = { requests: 0, acked: 0, firstTry: 0, refused: 0, errors: 0 };
    const send = async (d: (typeof deliveries)[number]) => {
      d.attempts++;
      stats.requests++;
      const status = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitLab/18.2.0',
          'idempotency-key': d.key,
          'x-gitlab-event': 'Note Hook',
          'x-gitlab-token': hook.token,
          'x-gitlab-event-uuid': d.key,
          'x-gitlab-webhook-uuid': hook.uuid,
          'x-gitlab-instance': sandbox.url,
        },
        body: d.body,
        signal: AbortSignal.timeout(15_000),
      }).then(
        async (r) => {
          await r.text();
          return r.status;
        },
        () => 0,
      );
      if (status >= 200 && status < 300) {
        d.acked = true;
        stats.acked++;
        if (d.attempts === 1) stats.firstTry++;
        return;
      }
      if (status !== 0 && status < 500) throw new Error(`the hub answered ${status} to a delivery`);
      if (status === 0) stats.errors++;
      else stats.refused++;
      d.notBefore = Date.now() + Math.min(1000, 100 * d.attempts);
      retry.push(d);
    };
    // Eight deliveries in flight. When a third of them have gone out the server is stopped hard (those in
    // flight are cut), the second third goes out while it is down, and it starts again once every process
    // has noticed; the last third goes out while it restarts with -m fast. Refused deliveries are resent.
    const retry: typeof deliveries = [];
    let next = 0;
    const phase = { down: false, up: false };
    let down: Promise<void> = Promise.resolve();
    let crashed: Promise<void> | null = null;
    let restarted: Promise<void> | null = null;
    const deadline = Date.now() + 90_000;
    const take = async (): Promise<(typeof deliveries)[number] | null> => {
      for (;;) {
        const due = retry.findIndex((d) => d.notBefore <= Date.now());
        if (due >= 0) return retry.splice(due, 1)[0]!;
        if (next < N) {
          if (next >= N / 3 && !crashed) {
            let wentDown: () => void = () => undefined;
            down = new Promise<void>((resolve) => {
              wentDown = resolve;
            });
            crashed = crash(hubs, () => {
              phase.down = true;
              wentDown();
            }).then(() => {
              phase.up = true;
            });
          }
          if (next >= N / 3 && !phase.down) {
            await Promise.race([down, crashed]);
            continue;
          }
          if (next >= (2 * N) / 3 && !phase.up) {
            await crashed;
            continue;
          }
          if (next >= (2 * N) / 3) restarted ??= cluster.restart('fast').then(() => void restarts++);
          return deliveries[next++]!;
        }
        if (retry.length === 0) return null;
        if (Date.now() > deadline) throw new Error(`${retry.length} deliveries still refused after 90 s`);
        await new Promise((r) => setTimeout(r, 20)); // until the next resend is due
      }
    };
    const lane = async () => {
      for (let d = await take(); d; d = await take()) await send(d);
    };
    const restartsBefore = restarts;
    await Promise.all(Array.from({ length: 8 }, lane));
    await crashed;
    await restarted;
    expect(restarts - restartsBefore).toBe(2);
    expect(deliveries.every((d) => d.acked)).toBe(true);

    const noteIds = deliveries.map((d) => d.noteId);
    const lost = async () => {
      const processed = await processedKeys();
      return deliveries.filter((d) => d.acked && !processed.has(d.key));
    };
    const commentCount = async () => {
      const rows = await db.kysely
        .selectFrom('comments')
        .select('gitlab_note_id')
        .where('gitlab_note_id', 'in', noteIds)
        .execute();
      return { rows: rows.length, distinct: new Set(rows.map((r) => r.gitlab_note_id)).size };
    };
    await waitFor(
      async () => (await lost()).length === 0 && (await commentCount()).distinct === N,
      60_000,
      'every acknowledged delivery to be processed',
    ).catch(() => undefined);
    const missing = await lost();
    const comments = await commentCount();
    console.log(
      `postgres-restart webhooks: restarts=${restarts - restartsBefore} deliveries=${N} requests=${stats.requests} acknowledged=${stats.acked} (first try ${stats.firstTry}) refused=${stats.refused} (5xx) + ${stats.errors} (no answer), resent until acknowledged; processed=${N - missing.length} comments=${comments.rows} lost=${missing.length}`,
    );
    expect(stats.refused + stats.errors, 'the outage refused some deliveries').toBeGreaterThan(0);
    expect(missing).toEqual([]);
    expect(comments).toEqual({ rows: N, distinct: N });
    const stored = await db.kysely
      .selectFrom('webhook_deliveries')
      .select('idempotency_key')
      .where('event', '=', 'Note Hook')
      .execute();
    expect(stored).toHaveLength(N);
    expect(alive()).toBe(true);
  });
});

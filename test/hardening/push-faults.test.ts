// Hardening (issue #9), faults across real processes. A 1,000-finding push while the sandbox injects
// latency spikes, 5xx, 429 bursts, resets and lost answers and the worker process is SIGKILLed three
// times: exactly 1,000 issues, all linked, then comments and states sync both ways. The project hook
// disabled for a while: reconciliation heals the hub, re-enables the hook and tells the user. An OAuth
// access token expiring mid-push (one refresh across two worker processes) and the grant revoked
// mid-push (paused, "reconnect needed", nothing failed or lost, completed after reconnecting).
// SQLite only: the 1,000-issue push alone takes most of the file's time budget on a shared 2-core
// machine; test/gitlab/push-processes.test.ts already runs the kill-the-worker push on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/index.ts';
import { blockBudget, createGitlabDeps, takeBudget } from '../../src/gitlab/index.ts';
import { enqueue } from '../../src/jobs/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { createIssueForItem, RECONCILE_TASK, reconcileLink } from '../../src/tracking/index.ts';
import { authorizeViaOAuth } from '../gitlab/support.ts';
import { zapReport } from '../support/reports.ts';
import {
  FaultLedger,
  gitlabAs,
  type HardeningWorld,
  idLabelOf,
  newTarget,
  startHardeningWorld,
  waitFor,
} from './support.ts';

const N = 1000;
const DVWA = 'acme/platform/security/dvwa';
const WEBGOAT = 'acme/platform/security/webgoat';
const MARKER = /<!--\s*vulnbridge:comment=/;

interface CreatedIssue {
  findingId: string;
  publicId: string;
  iid: number;
  webUrl: string;
  state: string;
}

describe('faults across real processes on sqlite', () => {
  let w: HardeningWorld;
  let targetId = '';
  let scanId = '';
  let projectId = 0;

  beforeAll(async () => {
    w = await startHardeningWorld('sqlite');
  }, 60_000);
  afterAll(async () => {
    await w?.stopWorkers();
    await w?.close();
  }, 30_000);

  const issuesIn = (id: number) => w.sandbox.store.data.issues.filter((i) => i.projectId === id);
  const pushSummary = async (pushId: string) => (await w.org.owner.get(`/api/pushes/${pushId}`)).json();
  // A count query while waiting (the full summary of 1,000 items is not cheap), the summary at the end.
  const unfinished = async (pushId: string) =>
    Number(
      (
        await w.h.t.db.kysely
          .selectFrom('push_items')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('push_id', '=', pushId)
          .where('state', 'in', ['pending', 'waiting'])
          .executeTakeFirstOrThrow()
      ).n,
    );
  const waitForPush = async (pushId: string, timeoutMs: number) => {
    const stuck = () =>
      w.h.t.db.kysely
        .selectFrom('push_items')
        .innerJoin('jobs', 'jobs.id', 'push_items.job_id')
        .select(['push_items.state as item', 'jobs.state', 'jobs.attempts', 'jobs.run_at', 'jobs.last_error'])
        .where('push_items.push_id', '=', pushId)
        .where('push_items.state', 'in', ['pending', 'waiting'])
        .limit(3)
        .execute();
    const explain = async () =>
      `${JSON.stringify((await pushSummary(pushId)).counts)} ${JSON.stringify(await stuck())} at ${nowIso()}; worker: ${w.workers.at(-1)?.stderr().slice(-600)}`;
    await waitFor(async () => (await unfinished(pushId)) === 0, timeoutMs, `push ${pushId} to finish`, explain, 200);
    return pushSummary(pushId);
  };

  it('a 429’s Retry-After holds issue creation for that long, not until the end of the minute’s budget window', async () => {
    const db = w.h.t.db.kysely;
    const key = `issues:${w.sandbox.url}:hardening-429`;
    expect(await takeBudget(db, key, 100)).toEqual({ ok: true }); // the window opens, 99 creates left in it
    const until = new Date(Date.now() + 5000); // Retry-After: 5, with room for a slow machine
    await blockBudget(db, key, until);
    const held = await takeBudget(db, key, 100);
    expect(held.ok).toBe(false);
    if (held.ok) return;
    expect(held.retryAt.getTime()).toBe(until.getTime()); // was the window's end, up to 60 s away
    // A spent window still waits for its end.
    const spent = `issues:${w.sandbox.url}:hardening-spent`;
    expect(await takeBudget(db, spent, 1)).toEqual({ ok: true });
    const full = await takeBudget(db, spent, 1);
    expect(full.ok ? 0 : full.retryAt.getTime() - Date.now()).toBeGreaterThan(50_000);
  });

  it('an attempt whose lease was taken over and finished cannot move its push item back (it would never finish)', async () => {
    const { sandbox, h, org } = w; // no worker runs yet: this test plays both attempts itself
    const db = h.t.db.kysely;
    const site = 'https://stale.example';
    const target = await newTarget(org.owner, site);
    await org.owner.post(`/api/targets/${target}/gitlab/token`, {
      baseUrl: sandbox.url,
      token: sandbox.users[0]!.token,
    });
    const [imported] = await importReport(h.t.db, {
      organizationId: org.id,
      actorUserId: null,
      target: { id: target },
      file: { bytes: zapReport(site, [{ name: 'SQL Injection', risk: 3, instances: 1 }]), name: 'zap.json' },
    });
    const project = sandbox.admin.project('acme/platform/security/juice-shop')!;
    expect(
      (await org.owner.request('PUT', `/api/scans/${imported!.scanId}/gitlab/project`, { projectId: project.id }))
        .statusCode,
    ).toBe(200);
    const vulnerabilityId = (await org.owner.get(`/api/scans/${imported!.scanId}`)).json().vulnerabilities[0].id;
    const { pushId } = (await org.owner.post(`/api/scans/${imported!.scanId}/pushes`, { vulnerabilityId })).json();
    const item = await db.selectFrom('push_items').selectAll().where('push_id', '=', pushId).executeTakeFirstOrThrow();
    const path = `/\\/projects\\/${project.id}\\/issues$/`; // this project's issue creates only
    sandbox.admin.setFaults([
      { kind: 'latency', method: 'POST', path, ms: 1500 },
      { kind: 'rate_limit', method: 'POST', path, retryAfter: 1, times: 1 },
    ]);
    const deps = { env: h.env, secretBox: h.secretBox, gitlab: createGitlabDeps(h.t.db, h.env, h.secretBox, fetch) };
    const stale = createIssueForItem(db, deps, item.id).catch((error: Error) => error); // slow, then told 429
    await waitFor(
      async () =>
        (
          await db
            .selectFrom('tracked_issues')
            .select('create_attempted_at')
            .where('public_id', '=', item.public_id)
            .executeTakeFirst()
        )?.create_attempted_at,
      10_000,
      'the create to be sent',
    );
    await db.updateTable('push_items').set({ state: 'created' }).where('id', '=', item.id).execute(); // what the other attempt did meanwhile
    expect(await stale).toMatchObject({ name: 'WaitUntil' });
    sandbox.admin.clearFaults();
    expect(
      (await db.selectFrom('push_items').select('state').where('id', '=', item.id).executeTakeFirstOrThrow()).state,
    ).toBe('created');
    await db
      .updateTable('jobs')
      .set({ state: 'done' })
      .where('id', '=', item.job_id ?? '')
      .execute(); // not for the workers of the next tests
  });

  it('1,000 findings under latency spikes, 5xx, 429 bursts, resets and lost answers, the worker SIGKILLed three times: exactly 1,000 issues, all linked, then comments and states sync both ways', {
    timeout: 420_000,
  }, async () => {
    const { sandbox, h, org } = w;
    const db = h.t.db.kysely;
    const site = 'https://faults.example';
    targetId = await newTarget(org.owner, site);
    const connected = await org.owner.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: sandbox.url,
      token: sandbox.users[0]!.token,
    });
    expect(connected.statusCode, connected.body).toBe(200);
    const [imported] = await importReport(h.t.db, {
      organizationId: org.id,
      actorUserId: null,
      target: { id: targetId },
      file: { bytes: zapReport(site, [{ name: 'SQL Injection', risk: 3, instances: N }]), name: 'zap.json' },
    });
    scanId = imported!.scanId;
    projectId = sandbox.admin.project(DVWA)!.id;
    const link = await org.owner.request('PUT', `/api/scans/${scanId}/gitlab/project`, { projectId });
    expect(link.json().link.syncMode).toBe('webhook'); // alice owns the project's group: the hook is registered
    expect(sandbox.store.data.hooks.filter((x) => x.projectId === projectId)).toHaveLength(1);
    const vulnerabilityId = (await org.owner.get(`/api/scans/${scanId}`)).json().vulnerabilities[0].id;

    const ledger = new FaultLedger(sandbox);
    const budget = 1_000_000; // never exhausted: it only makes the sandbox count what fired
    ledger.set([
      { kind: 'latency', probability: 0.03, ms: 300 },
      { kind: 'lost', probability: 0.03, method: 'POST', path: '/\\/issues$/', times: budget }, // created, answer 502
      { kind: 'lost', probability: 0.01, method: 'POST', path: '/\\/issues$/', status: 0, times: budget }, // created, connection reset
      { kind: 'error', probability: 0.015, status: 503, times: budget },
      { kind: 'error', probability: 0.005, status: 500, times: budget },
      { kind: 'reset', probability: 0.01, times: budget },
      { kind: 'lost', probability: 0.01, times: budget }, // any call (reads too) served, answer lost
    ]);
    const started = Date.now();
    const push = await org.owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId });
    expect(push.statusCode, push.body).toBe(202);
    const pushId: string = push.json().pushId;
    const bursts = [300, 600, 900];
    const watcher = setInterval(() => {
      while (bursts.length > 0 && issuesIn(projectId).length >= bursts[0]!) {
        bursts.shift();
        ledger.add({ kind: 'rate_limit', times: 12, retryAfter: 1 });
      }
    }, 50);
    const killedAt: number[] = [];
    let fired: Record<string, number> = {};
    const killTimes: number[] = [];
    let summary: { counts: Record<string, number>; items: { publicId: string; iid: number | null; state: string }[] };
    try {
      for (const at of [150, 450, 750]) {
        const worker = w.startWorker();
        await waitFor(
          () => issuesIn(projectId).length >= at,
          120_000,
          `${at} issues`,
          () => `${issuesIn(projectId).length} issues; worker: ${worker.stderr().slice(-800)}`,
        );
        await w.killWorker(worker);
        killedAt.push(issuesIn(projectId).length);
        killTimes.push(Date.now() - started);
      }
      w.startWorker();
      summary = await waitForPush(pushId, 240_000);
    } finally {
      clearInterval(watcher);
      fired = ledger.fired();
      sandbox.admin.clearFaults(); // also when the push failed: later tests need a sound GitLab
    }
    const pushSeconds = (Date.now() - started) / 1000;

    // Exactly N issues, each finding's ID label exactly once: no duplicate, none missing.
    const issues = issuesIn(projectId);
    const labels = issues.map((i) => idLabelOf(sandbox, i));
    const duplicates = issues.length - new Set(labels).size;
    expect(labels.every(Boolean)).toBe(true);
    const twice = [...new Set(labels.filter((l, i) => labels.indexOf(l) !== i))];
    const diag = await Promise.all(
      twice.map(async (label) => ({
        label,
        issues: issues
          .filter((i) => idLabelOf(sandbox, i) === label)
          .map((i) => ({ iid: i.iid, at: i.createdAt - started })),
        job: await db
          .selectFrom('push_items')
          .innerJoin('jobs', 'jobs.id', 'push_items.job_id')
          .innerJoin('tracked_issues', 'tracked_issues.id', 'push_items.tracked_issue_id')
          .select(['jobs.attempts', 'push_items.state', 'tracked_issues.create_attempted_at', 'tracked_issues.iid'])
          .where('push_items.public_id', '=', label ?? '')
          .executeTakeFirst(),
      })),
    );
    const leaseWarnings = w.workers.map((x) => (x.stderr().match(/lease extension failed|lease lost/g) ?? []).length);
    expect(issues, JSON.stringify({ diag, killTimes, leaseWarnings })).toHaveLength(N);
    expect(duplicates).toBe(0);
    expect(summary.counts).toMatchObject({ total: N, failed: 0, pending: 0, waiting: 0 });
    expect(summary.counts.created! + summary.counts.adopted!).toBe(N);
    expect(summary.counts.adopted).toBeGreaterThan(0); // lost answers really happened and were adopted
    expect(fired.error).toBeGreaterThan(0); // each kind of fault really fired
    expect(fired.rate_limit).toBeGreaterThan(0);
    expect(fired.reset).toBeGreaterThan(0);
    expect(fired.lost).toBeGreaterThan(0);
    // Every finding linked to the issue carrying its ID label (push items and Created Issues alike).
    const byLabel = new Map(issues.map((i) => [idLabelOf(sandbox, i)!, i]));
    const findings = await db
      .selectFrom('findings')
      .select(['id', 'public_id'])
      .where('scan_id', '=', scanId)
      .execute();
    const created: CreatedIssue[] = (await org.members.reader.get(`/api/scans/${scanId}/issues`)).json().issues;
    expect(created).toHaveLength(N);
    expect(new Set(created.map((c) => c.findingId))).toEqual(new Set(findings.map((f) => f.id)));
    const unlinked = created.filter(
      (c) => byLabel.get(c.publicId)?.iid !== c.iid || c.webUrl !== `${sandbox.url}/${DVWA}/-/issues/${c.iid}`,
    );
    expect(unlinked).toEqual([]);
    expect(summary.items.filter((i) => byLabel.get(i.publicId)?.iid !== i.iid)).toEqual([]);
    expect(await db.selectFrom('jobs').select(['task', 'last_error']).where('state', '=', 'dead').execute()).toEqual(
      [],
    );

    // Afterwards, faults cleared: GitLab notes and closes reach the hub, hub comments reach GitLab.
    const bob = gitlabAs(sandbox, 'bob');
    const sorted = [...created].sort((a, b) => a.iid - b.iid);
    const noted = sorted.slice(0, 20);
    const closed = sorted.slice(20, 30);
    const commented = sorted.slice(30, 40);
    for (const c of noted)
      await bob('POST', `/projects/${projectId}/issues/${c.iid}/notes`, { body: `bob on ${c.publicId}` });
    for (const c of closed) await bob('PUT', `/projects/${projectId}/issues/${c.iid}`, { state_event: 'close' });
    for (const c of commented) {
      const posted = await org.members.contributor.post(`/api/findings/${c.findingId}/comments`, {
        body: `hub on ${c.publicId}`,
      });
      expect(posted.statusCode, posted.body).toBe(202);
    }
    const syncState = async () => {
      const rows = await db
        .selectFrom('comments')
        .select(['source', 'body', 'outbound_state'])
        .where('organization_id', '=', org.id)
        .execute();
      const closedInHub = await db
        .selectFrom('tracked_issues')
        .select('iid')
        .where('project_id', '=', projectId)
        .where('state', '=', 'closed')
        .execute();
      return {
        gitlabNotes: rows.filter((r) => r.source === 'gitlab').length,
        hubPosted: rows.filter((r) => r.source === 'hub' && r.outbound_state === 'posted').length,
        closed: closedInHub.length,
      };
    };
    await waitFor(
      async () => {
        const s = await syncState();
        return s.gitlabNotes === 20 && s.hubPosted === 10 && s.closed === 10;
      },
      120_000,
      'notes, closes and hub comments to sync',
      async () => JSON.stringify(await syncState()),
      200,
    );
    for (const c of noted) {
      const { comments } = (await org.members.reader.get(`/api/findings/${c.findingId}/comments`)).json();
      expect(comments).toEqual([
        expect.objectContaining({ source: 'gitlab', body: `bob on ${c.publicId}`, authorUsername: 'bob' }),
      ]);
    }
    for (const c of commented) {
      const { comments } = (await org.members.reader.get(`/api/findings/${c.findingId}/comments`)).json();
      expect(comments).toEqual([
        expect.objectContaining({ source: 'hub', body: `hub on ${c.publicId}`, outboundState: 'posted' }),
      ]); // no echo copied back
      const notes = sandbox.store.issueNotes(byLabel.get(c.publicId)!.id).filter((n) => !n.system);
      expect(notes).toHaveLength(1);
      // The note names its hub author on the first line, then the comment (issue #14).
      expect(notes[0]!.body).toMatch(
        new RegExp(`^\\*\\*[^\\n]+\\*\\* \\(Vulnbridge\\) wrote:\\n\\nhub on ${c.publicId}\\n`),
      );
      expect(sandbox.store.user(notes[0]!.authorId)?.username).toBe('alice'); // the user who authorized the connection
    }
    const after: CreatedIssue[] = (await org.members.reader.get(`/api/scans/${scanId}/issues`)).json().issues;
    expect(after.filter((c) => c.state !== byLabel.get(c.publicId)!.state)).toEqual([]);
    expect(
      after
        .filter((c) => c.state === 'closed')
        .map((c) => c.iid)
        .sort((a, b) => a - b),
    ).toEqual(closed.map((c) => c.iid));

    console.log(
      `[push-faults] sqlite: ${N} findings → ${issues.length} issues, ${duplicates} duplicates, ${findings.filter((f) => !byLabel.has(f.public_id)).length} findings without an issue; created ${summary.counts.created}, adopted ${summary.counts.adopted}, failed ${summary.counts.failed}; ` +
        `worker SIGKILLed ${killedAt.length} times (at ${killedAt.join('/')} issues) and restarted; faults injected: 5xx ${fired.error}, 429 ${fired.rate_limit} (3 bursts of 12, Retry-After 1 s), reset ${fired.reset}, lost ${fired.lost} (latency spikes: 3% of calls +300 ms, not counted by the sandbox); ` +
        `push ${pushSeconds.toFixed(1)} s; then 20 GitLab notes, 10 closes and 10 hub comments synced`,
    );
  });

  it('the hook disabled for a while: GitLab changes made meanwhile reach the hub by reconciliation, the hook is re-enabled, and the user is told', {
    timeout: 180_000,
  }, async () => {
    const { sandbox, h, org } = w;
    const db = h.t.db.kysely;
    expect(projectId).toBeGreaterThan(0);
    const busy = () =>
      db
        .selectFrom('jobs')
        .select(['task', 'state'])
        .where('state', 'in', ['queued', 'running'])
        .where('run_at', '<=', nowIso())
        .execute();
    await waitFor(
      async () => {
        await sandbox.admin.idle(); // a delivery in flight would re-enable the hook when it succeeds
        return (await busy()).length === 0;
      },
      90_000,
      'the hub to settle',
      async () => JSON.stringify(await busy()),
    );
    const link = await db
      .selectFrom('project_links')
      .selectAll()
      .where('target_id', '=', targetId)
      .where('scan_id', 'is', null)
      .executeTakeFirstOrThrow();
    const hookId = Number(link.hook_id);
    const delivered = sandbox.admin.hookEvents({ hookId }).length;
    sandbox.admin.disableHook(hookId, 'temporary');
    const alice = gitlabAs(sandbox, 'alice');
    expect((await alice('GET', `/projects/${projectId}/hooks/${hookId}`)).alert_status).toBe('temporarily_disabled');

    const bob = gitlabAs(sandbox, 'bob');
    const carol = sandbox.store.userByName('carol')!.id;
    const tracked = await db
      .selectFrom('tracked_issues')
      .select(['id', 'iid'])
      .where('project_id', '=', projectId)
      .orderBy('iid')
      .execute();
    const iids = tracked.map((t) => Number(t.iid));
    for (const iid of iids.slice(40, 45))
      await bob('POST', `/projects/${projectId}/issues/${iid}/notes`, { body: `offline note on #${iid}` });
    for (const iid of iids.slice(45, 48))
      await bob('PUT', `/projects/${projectId}/issues/${iid}`, { state_event: 'close' });
    for (const iid of iids.slice(48, 50))
      await bob('PUT', `/projects/${projectId}/issues/${iid}`, { assignee_ids: [carol] });
    await bob('PUT', `/projects/${projectId}/issues/${iids[20]}`, { state_event: 'reopen' }); // closed by the first test
    await sandbox.admin.idle();
    expect(sandbox.admin.hookEvents({ hookId })).toHaveLength(delivered); // GitLab delivered nothing meanwhile
    expect(await db.selectFrom('comments').select('id').where('body', 'like', 'offline note%').execute()).toEqual([]);

    // The reconciliation the worker's timer schedules, run by the worker process now.
    const job = await enqueue(db, {
      task: RECONCILE_TASK,
      payload: { linkId: link.id },
      organizationId: org.id,
      uniqueKey: `reconcile:${link.id}:hardening`,
      groupKey: `gitlab-target:${targetId}`,
      maxAttempts: 3,
    });
    const jobState = () =>
      db.selectFrom('jobs').select(['state', 'last_error']).where('id', '=', job.id).executeTakeFirstOrThrow();
    await waitFor(
      async () => (await jobState()).state === 'done',
      90_000,
      'the reconciliation',
      async () => JSON.stringify(await jobState()),
    );

    // Hub and GitLab agree on every issue: state, assignees, and the GitLab comments.
    const hubIssues = await db
      .selectFrom('tracked_issues')
      .select(['id', 'iid', 'state', 'assignees'])
      .where('project_id', '=', projectId)
      .execute();
    const hubComments = await db
      .selectFrom('comments')
      .select(['tracked_issue_id', 'body'])
      .where('source', '=', 'gitlab')
      .where('organization_id', '=', org.id)
      .execute();
    const disagreements: string[] = [];
    for (const t of hubIssues) {
      const issue = sandbox.admin.issue(DVWA, Number(t.iid))!;
      if (t.state !== issue.state) disagreements.push(`#${t.iid} state ${t.state} ≠ ${issue.state}`);
      const assignees = (JSON.parse(t.assignees) as { id: number }[]).map((a) => a.id);
      if (JSON.stringify(assignees) !== JSON.stringify(issue.assigneeIds))
        disagreements.push(`#${t.iid} assignees ${assignees} ≠ ${issue.assigneeIds}`);
      const notes = sandbox.store
        .issueNotes(issue.id)
        .filter((n) => !n.system && !MARKER.test(n.body))
        .map((n) => n.body)
        .sort();
      const comments = hubComments
        .filter((c) => c.tracked_issue_id === t.id)
        .map((c) => c.body)
        .sort();
      if (JSON.stringify(notes) !== JSON.stringify(comments))
        disagreements.push(`#${t.iid} comments ${JSON.stringify(comments)} ≠ ${JSON.stringify(notes)}`);
    }
    expect(hubIssues).toHaveLength(N);
    expect(disagreements).toEqual([]);

    // The hook works again: a new GitLab comment arrives by webhook, without another reconciliation.
    expect((await alice('GET', `/projects/${projectId}/hooks/${hookId}`)).alert_status).toBe('executable');
    await bob('POST', `/projects/${projectId}/issues/${iids[0]}/notes`, { body: 'after the hook came back' });
    await waitFor(
      async () =>
        (await db
          .selectFrom('comments')
          .select('id')
          .where('body', '=', 'after the hook came back')
          .executeTakeFirst()) ?? false,
      10_000,
      'the comment by webhook',
    );
    expect(sandbox.admin.hookEvents({ hookId }).length).toBeGreaterThan(delivered);

    // The user is told what happened: on the target's GitLab settings and the scan's project, and in the audit log.
    const view = (await org.members.reader.get(`/api/targets/${targetId}/gitlab`)).json();
    expect(view.defaultProject).toMatchObject({
      syncMode: 'webhook',
      syncReason: expect.stringMatching(/GitLab disabled the project webhook.*re-enabled/),
    });
    const scanLink = (await org.members.reader.get(`/api/scans/${scanId}/gitlab/project`)).json().link;
    expect(scanLink.syncReason).toBe(view.defaultProject.syncReason);
    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('organization_id', '=', org.id)
      .where('action', 'like', 'gitlab.hook%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['gitlab.hook_reenabled']);
  });

  it('a reconciliation pass that fails midway keeps its progress: the retry resumes where it stopped', {
    timeout: 60_000,
  }, async () => {
    const { sandbox, h } = w;
    const db = h.t.db.kysely;
    const link = await db
      .selectFrom('project_links')
      .selectAll()
      .where('target_id', '=', targetId)
      .where('scan_id', 'is', null)
      .executeTakeFirstOrThrow();
    await sandbox.admin.idle();
    sandbox.admin.disableHook(Number(link.hook_id), 'permanent'); // only reconciliation brings these notes
    const bob = gitlabAs(sandbox, 'bob');
    const iids = (
      await db.selectFrom('tracked_issues').select('iid').where('project_id', '=', projectId).orderBy('iid').execute()
    )
      .map((t) => Number(t.iid))
      .slice(60, 70);
    for (const iid of iids) {
      await bob('POST', `/projects/${projectId}/issues/${iid}/notes`, { body: `resume note on #${iid}` });
      sandbox.admin.advanceClock(2000); // one update per two seconds: the watermark can tell them apart
    }
    const stored = async () =>
      (await db.selectFrom('comments').select('body').where('body', 'like', 'resume note%').execute())
        .map((c) => c.body)
        .sort();
    const deps = { env: h.env, secretBox: h.secretBox, gitlab: createGitlabDeps(h.t.db, h.env, h.secretBox, fetch) };
    const notesOf = (iid: number) => `/\\/issues\\/${iid}\\/notes$/`;
    const expectProgress = async (through: number) => {
      const progress = (
        await db
          .selectFrom('project_links')
          .select('reconciled_until')
          .where('id', '=', link.id)
          .executeTakeFirstOrThrow()
      ).reconciled_until;
      expect(Date.parse(progress ?? '')).toBeGreaterThanOrEqual(
        sandbox.admin.issue(DVWA, iids[through - 1]!)!.updatedAt - 1000,
      );
      expect(await stored()).toEqual(
        iids
          .slice(0, through)
          .map((iid) => `resume note on #${iid}`)
          .sort(),
      );
    };
    sandbox.admin.addFault({ kind: 'error', status: 503, method: 'GET', path: notesOf(iids[5]!), times: 3 }); // every inline retry of one issue's notes
    await expect(reconcileLink(db, deps, link.id)).rejects.toThrow(/503/);
    await expectProgress(5);
    // A 429 that outlasts the inline retries defers the job (no attempt spent) and keeps the progress too.
    sandbox.admin.addFault({ kind: 'rate_limit', method: 'GET', path: notesOf(iids[7]!), retryAfter: 1, times: 3 });
    await expect(reconcileLink(db, deps, link.id)).rejects.toMatchObject({ name: 'WaitUntil' });
    await expectProgress(7);
    await reconcileLink(db, deps, link.id);
    await expectProgress(10);
  });

  it('an OAuth access token expiring mid-push: one refresh across two worker processes; the grant revoked mid-push: paused, "reconnect needed", nothing failed or lost, completed after reconnecting', {
    timeout: 180_000,
  }, async () => {
    const { sandbox, h, org } = w;
    const db = h.t.db.kysely;
    const site = 'https://tokens.example';
    const target = await newTarget(org.owner, site);
    expect((await authorizeViaOAuth(org.owner, target, w.instanceId)).location).toContain('gitlab=connected');
    const PER = 100;
    const [imported] = await importReport(h.t.db, {
      organizationId: org.id,
      actorUserId: null,
      target: { id: target },
      file: {
        bytes: zapReport(site, [
          { name: 'SQL Injection', risk: 3, instances: PER },
          { name: 'Cross Site Scripting (Reflected)', risk: 3, instances: PER },
        ]),
        name: 'zap.json',
      },
    });
    const scan = imported!.scanId;
    const project = sandbox.admin.project(WEBGOAT)!;
    expect(
      (await org.owner.request('PUT', `/api/scans/${scan}/gitlab/project`, { projectId: project.id })).statusCode,
    ).toBe(200);
    const [sqli, xss] = (await org.owner.get(`/api/scans/${scan}`))
      .json()
      .vulnerabilities.map((v: { id: string }) => v.id);
    while (w.workers.filter((x) => x.child.exitCode === null && x.child.signalCode === null).length < 2)
      w.startWorker();
    const aliceId = sandbox.store.userByName('alice')!.id;
    const tokens = () => sandbox.store.data.oauthTokens.filter((t) => t.userId === aliceId);
    const connection = async () => (await org.members.reader.get(`/api/targets/${target}/gitlab`)).json().connection;
    const pushJobs = (pushId: string) =>
      db
        .selectFrom('push_items')
        .innerJoin('jobs', 'jobs.id', 'push_items.job_id')
        .select(['jobs.state', 'push_items.state as item'])
        .where('push_items.push_id', '=', pushId)
        .execute();

    // The access token expires at GitLab mid-push (the hub still thinks it has two hours).
    const issued = tokens().length;
    const oldToken = tokens().at(-1)!.accessToken;
    const first = (await org.owner.post(`/api/scans/${scan}/pushes`, { vulnerabilityId: sqli })).json().pushId;
    await waitFor(() => issuesIn(project.id).length >= 20, 60_000, '20 issues');
    sandbox.admin.expireToken(oldToken);
    const atExpiry = issuesIn(project.id).length;
    const done = await waitForPush(first, 60_000);
    expect(atExpiry).toBeLessThan(PER); // the expiry really happened mid-push
    expect(done.counts).toMatchObject({ total: PER, failed: 0 });
    expect(tokens().length).toBe(issued + 1); // one refresh, though two processes were refused at once
    expect(
      (await fetch(`${sandbox.url}/oauth/token/info`, { headers: { authorization: `Bearer ${oldToken}` } })).status,
    ).toBe(401);
    expect((await connection()).status).toBe('connected');
    expect(issuesIn(project.id)).toHaveLength(PER);

    // The user revokes the hub's access in GitLab mid-push.
    const second = (await org.owner.post(`/api/scans/${scan}/pushes`, { vulnerabilityId: xss })).json().pushId;
    await waitFor(() => issuesIn(project.id).length >= PER + 20, 60_000, '20 more issues');
    expect(sandbox.admin.revokeGrant('alice')).toBeGreaterThan(0);
    const told = await waitFor(
      async () => {
        const c = await connection();
        return c.status === 'reconnect_needed' && c;
      },
      20_000,
      'reconnect needed',
      async () =>
        `${JSON.stringify(await connection())} ${JSON.stringify((await pushSummary(second)).counts)} ${w.workers.map((x) => x.stderr().slice(-600)).join(' | ')}`,
    );
    expect(told.statusReason).toMatch(/revoked|refused/i);
    const settled = await waitFor(
      async () => {
        const jobs = await pushJobs(second);
        return jobs.every((j) => j.state === 'done' || j.state === 'paused') && jobs;
      },
      20_000,
      'the push to pause',
      async () => JSON.stringify(await pushJobs(second)),
    );
    const paused = (await pushSummary(second)) as { finished: boolean; counts: Record<string, number> };
    expect(paused.finished).toBe(false);
    expect(paused.counts.failed).toBe(0);
    const open = settled.filter((j) => j.item === 'pending' || j.item === 'waiting');
    expect(open.length).toBe(paused.counts.pending! + paused.counts.waiting!);
    expect(open.filter((j) => j.state !== 'paused')).toEqual([]); // every unfinished item has its job, paused
    expect(settled).toHaveLength(PER);
    const duringPause = issuesIn(project.id).length;
    expect(duringPause).toBeLessThan(2 * PER);

    expect((await authorizeViaOAuth(org.owner, target, w.instanceId)).location).toContain('gitlab=connected');
    expect((await connection()).status).toBe('connected');
    const resumed = await waitForPush(second, 60_000);
    expect(resumed.counts).toMatchObject({ total: PER, failed: 0 });
    expect(resumed.counts.created + resumed.counts.adopted).toBe(PER);
    const labels = issuesIn(project.id).map((i) => idLabelOf(sandbox, i));
    expect(labels).toHaveLength(2 * PER);
    expect(new Set(labels).size).toBe(2 * PER);
    expect(await db.selectFrom('jobs').select(['task', 'last_error']).where('state', '=', 'dead').execute()).toEqual(
      [],
    );
  });
});

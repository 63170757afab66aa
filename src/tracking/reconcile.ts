// Reconciliation of one project link: issues carrying our product label updated since the watermark
// (every page), and the notes of those whose note count moved. Missed, late, duplicated or reordered
// webhooks cost latency, never data; "polling" links sync only this way. Also heals the project hook,
// and retires a duplicate issue of ours that no create attempt was left to retire (retire-duplicate.ts).
import type { Kysely } from 'kysely';
import { type Database, nowIso, type ProjectLink } from '../db/index.ts';
import { randomToken } from '../crypto/index.ts';
import { PUBLIC_ID_PATTERN } from '../findings/index.ts';
import { recordAudit } from '../services/index.ts';
import { findConnection, GitlabError, ReconnectNeededError, webhookUrl, type GitlabDeps } from '../gitlab/index.ts';
import { enqueue, PauseJob, WaitUntil } from '../jobs/index.ts';
import { retireDuplicate } from './retire-duplicate.ts';
import { applyIssue, findTracked, syncNotes } from './sync-issue.ts';

/** The settled tracked issue of this project whose finding-ID label `labels` carries. */
async function trackedByIdLabel(db: Kysely<Database>, baseUrl: string, projectId: number, labels: string[]) {
  const ids = labels.filter((l) => PUBLIC_ID_PATTERN.test(l));
  if (ids.length === 0) return undefined;
  return db
    .selectFrom('tracked_issues')
    .selectAll()
    .where('base_url', '=', baseUrl)
    .where('project_id', '=', projectId)
    .where('public_id', 'in', ids)
    .where('iid', 'is not', null)
    .where('state', '!=', 'creating')
    .executeTakeFirst();
}

export const RECONCILE_TASK = 'reconcile-link';
/** A pass resumes from its watermark, so attempts are cheap; five outlast a worker killed three times
 * mid-pass (each kill spends the attempt in hand), which with three left the pass dead. */
const RECONCILE_ATTEMPTS = 5;

export async function reconcileLink(
  db: Kysely<Database>,
  deps: GitlabDeps,
  linkId: string,
): Promise<{ issues: number; notesSynced: number }> {
  const link = await db.selectFrom('project_links').selectAll().where('id', '=', linkId).executeTakeFirst();
  if (!link) return { issues: 0, notesSynced: 0 };
  const connection = await findConnection(db, link.organization_id, link.target_id);
  if (!connection || connection.status !== 'connected') throw new PauseJob('the GitLab connection needs reconnecting');
  try {
    const { client } = await deps.gitlab.tokens.client(connection.id);
    const projectId = Number(link.project_id);
    const issues = await client.issuesUpdatedAfter(projectId, deps.env.PRODUCT_LABEL, link.reconciled_until);
    let notesSynced = 0;
    let watermark = link.reconciled_until;
    // The watermark steps back a second: updated_after is exclusive and timestamps have second precision.
    const saveWatermark = () =>
      db
        .updateTable('project_links')
        .set({
          reconciled_until: watermark ? new Date(Date.parse(watermark) - 1000).toISOString() : null,
          updated_at: nowIso(),
        })
        .where('id', '=', link.id)
        .execute();
    try {
      for (const issue of issues) {
        const tracked = await findTracked(db, connection.base_url, projectId, issue.iid);
        if (!tracked) {
          // An issue of ours that the hub does not track: a duplicate that the attempt which made it
          // could not retire (it stopped right after the create).
          const of = await trackedByIdLabel(db, connection.base_url, projectId, issue.labels);
          if (of)
            await retireDuplicate(db, client, deps.env.PRODUCT_LABEL, of, issue, Number(connection.gitlab_user_id));
          continue;
        }
        await applyIssue(db, client, deps.env.PRODUCT_LABEL, tracked, issue);
        const known = await db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('tracked_issue_id', '=', tracked.id)
          .executeTakeFirstOrThrow();
        const count = (issue as { user_notes_count?: number }).user_notes_count;
        if (count === undefined || count !== Number(known.n) || !link.reconciled_until) {
          await syncNotes(db, client, tracked);
          notesSynced++;
        }
        if (!watermark || issue.updated_at > watermark) watermark = issue.updated_at;
      }
    } catch (error) {
      // Issues come oldest update first: keep the progress, so the retry resumes instead of starting over
      // (a long pass against a flaky GitLab would otherwise never finish).
      if (watermark !== link.reconciled_until) await saveWatermark();
      throw error;
    }
    await saveWatermark();
    await healHook(db, deps, client, link);
    return { issues: issues.length, notesSynced };
  } catch (error) {
    if (error instanceof ReconnectNeededError) throw new PauseJob(error.message);
    // GitLab said when to come back: wait that long without spending one of the pass's attempts.
    if (error instanceof GitlabError && error.failure === 'rate_limited')
      throw new WaitUntil(
        new Date(Date.now() + (error.retryAfterMs ?? 60_000)),
        `GitLab is rate limiting (${error.message})`,
      );
    throw error;
  }
}

type HookView = { alert_status?: string; disabled_until?: string | null };
const hookDisabled = (hook: HookView) =>
  (hook.alert_status !== undefined && hook.alert_status !== 'executable') ||
  (!!hook.disabled_until && Date.parse(hook.disabled_until) > Date.now());
const HOOK_STILL_DISABLED = 'GitLab has disabled the project webhook';
const utcMinute = () => `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A hook GitLab disabled after failures is re-enabled by a successful test, and the link says what
 * happened (the project's sync notice and the audit log); a deleted one is re-created with a fresh
 * secret (every link row that shared it follows); without Maintainer, the link polls. */
async function healHook(
  db: Kysely<Database>,
  deps: GitlabDeps,
  client: Awaited<ReturnType<GitlabDeps['gitlab']['tokens']['client']>>['client'],
  link: ProjectLink,
) {
  if (!link.hook_id) return;
  const shared = () =>
    db
      .updateTable('project_links')
      .where('target_id', '=', link.target_id)
      .where('project_id', '=', link.project_id)
      .where('hook_id', '=', link.hook_id);
  const hookPath = `/projects/${link.project_id}/hooks/${link.hook_id}`;
  try {
    const { data } = await client.http.request<HookView>('GET', hookPath);
    if (hookDisabled(data)) {
      await client.http.request('POST', `${hookPath}/test/issues_events`).catch(() => undefined);
      const back = !hookDisabled((await client.http.request<HookView>('GET', hookPath)).data);
      const status = data.alert_status ?? 'disabled';
      if (!back && link.sync_reason?.startsWith(HOOK_STILL_DISABLED)) return; // the user was told already
      const reason = back
        ? `GitLab disabled the project webhook (${status}) after failed deliveries; changes made meanwhile were synced by reconciliation, and Vulnbridge re-enabled the webhook on ${utcMinute()}.`
        : `${HOOK_STILL_DISABLED} (${status}) after failed deliveries; changes reach Vulnbridge by reconciliation (a few minutes of delay) until the webhook works again.`;
      // Two passes of one link at once (the timer's and one asked for) both find the hook disabled: only
      // the one that changes the notice tells the audit log, so the user hears of it once.
      const told = await shared()
        .set({ sync_reason: reason, updated_at: nowIso() })
        .where((eb) => eb.or([eb('sync_reason', 'is', null), eb('sync_reason', '!=', reason)]))
        .executeTakeFirst();
      if (Number(told.numUpdatedRows) === 0) return;
      await recordAudit(db, {
        organizationId: link.organization_id,
        actorUserId: null,
        action: back ? 'gitlab.hook_reenabled' : 'gitlab.hook_disabled',
        subjectType: 'project_link',
        subjectId: link.id,
        details: { hookId: Number(link.hook_id), alertStatus: status, disabledUntil: data.disabled_until ?? null },
      });
    } else if (link.sync_reason?.startsWith(HOOK_STILL_DISABLED)) {
      await shared()
        .set({
          sync_reason: `GitLab disabled the project webhook for a while; changes made meanwhile were synced by reconciliation, and the webhook works again since ${utcMinute()}.`,
          updated_at: nowIso(),
        })
        .execute();
    }
  } catch (error) {
    if (!(error instanceof GitlabError) || (error.failure !== 'not_found' && error.failure !== 'forbidden'))
      throw error;
    if (error.failure === 'forbidden') {
      await shared()
        .set({
          sync_mode: 'polling',
          sync_reason: 'the connected user may no longer manage webhooks (Maintainer needed); syncing by polling',
          updated_at: nowIso(),
        })
        .execute();
      return;
    }
    const secret = randomToken(32);
    const ref = link.hook_ref ?? link.id;
    const hook = await client.createHook(Number(link.project_id), { url: webhookUrl(deps.env, ref), token: secret });
    await shared()
      .set({
        hook_id: hook.id,
        hook_secret_enc: deps.secretBox.seal(secret, `hook:${ref}`),
        hook_ref: ref,
        sync_mode: 'webhook',
        sync_reason: null,
        updated_at: nowIso(),
      })
      .execute();
    await recordAudit(db, {
      organizationId: link.organization_id,
      actorUserId: null,
      action: 'gitlab.hook_recreated',
      subjectType: 'project_link',
      subjectId: link.id,
      details: { hookId: hook.id },
    });
  }
}

/** Enqueue one reconciliation per project link per period (idempotent across processes). */
export async function scheduleReconciliation(db: Kysely<Database>, everyMs: number): Promise<number> {
  const links = await db
    .selectFrom('project_links')
    .select(['id', 'organization_id', 'target_id'])
    .where('scan_id', 'is', null)
    .execute();
  const window = Math.floor(Date.now() / everyMs);
  let created = 0;
  for (const link of links) {
    const job = await enqueue(db, {
      task: RECONCILE_TASK,
      payload: { linkId: link.id },
      organizationId: link.organization_id,
      uniqueKey: `reconcile:${link.id}:${window}`,
      groupKey: `gitlab-target:${link.target_id}`,
      maxAttempts: RECONCILE_ATTEMPTS,
    });
    if (job.created) created++;
  }
  return created;
}

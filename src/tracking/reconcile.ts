// Reconciliation of one project link: issues carrying our product label updated since the watermark
// (every page), and the notes of those whose note count moved. Missed, late, duplicated or reordered
// webhooks cost latency, never data; "polling" links sync only this way. Also heals the project hook.
import type { Kysely } from 'kysely';
import { nowIso } from '../db/index.ts';
import { randomToken } from '../crypto/index.ts';
import type { Database, ProjectLink } from '../db/tables.ts';
import { recordAudit } from '../services/index.ts';
import { findConnection, GitlabError, ReconnectNeededError, webhookUrl } from '../gitlab/index.ts';
import { enqueue, PauseJob, type TaskDeps } from '../jobs/index.ts';
import { applyIssue, findTracked, syncNotes } from './sync-issue.ts';

export const RECONCILE_TASK = 'reconcile-link';

export async function reconcileLink(db: Kysely<Database>, deps: TaskDeps, linkId: string): Promise<{ issues: number; notesSynced: number }> {
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
    for (const issue of issues) {
      const tracked = await findTracked(db, connection.base_url, projectId, issue.iid);
      if (!tracked) continue;
      await applyIssue(db, client, deps.env.PRODUCT_LABEL, tracked, issue);
      const known = await db.selectFrom('comments').select((eb) => eb.fn.countAll<string>().as('n')).where('tracked_issue_id', '=', tracked.id).executeTakeFirstOrThrow();
      const count = (issue as { user_notes_count?: number }).user_notes_count;
      if (count === undefined || count !== Number(known.n) || !link.reconciled_until) {
        await syncNotes(db, client, tracked);
        notesSynced++;
      }
      if (!watermark || issue.updated_at > watermark) watermark = issue.updated_at;
    }
    // The watermark steps back a second: updated_after is exclusive and timestamps have second precision.
    const next = watermark ? new Date(Date.parse(watermark) - 1000).toISOString() : null;
    await db.updateTable('project_links').set({ reconciled_until: next, updated_at: nowIso() }).where('id', '=', link.id).execute();
    await healHook(db, deps, client, link);
    return { issues: issues.length, notesSynced };
  } catch (error) {
    if (error instanceof ReconnectNeededError) throw new PauseJob(error.message);
    throw error;
  }
}

/** A hook GitLab disabled after failures is re-enabled by a successful test; a deleted one is re-created
 * with a fresh secret (every link row that shared it follows); without Maintainer, the link polls. */
async function healHook(db: Kysely<Database>, deps: TaskDeps, client: Awaited<ReturnType<TaskDeps['gitlab']['tokens']['client']>>['client'], link: ProjectLink) {
  if (!link.hook_id) return;
  try {
    const { data } = await client.http.request<{ alert_status?: string; disabled_until?: string | null }>('GET', `/projects/${link.project_id}/hooks/${link.hook_id}`);
    if ((data.alert_status && data.alert_status !== 'executable') || (data.disabled_until && Date.parse(data.disabled_until) > Date.now())) {
      await client.http.request('POST', `/projects/${link.project_id}/hooks/${link.hook_id}/test/issues_events`).catch(() => undefined);
    }
  } catch (error) {
    if (!(error instanceof GitlabError) || (error.failure !== 'not_found' && error.failure !== 'forbidden')) throw error;
    const shared = db.updateTable('project_links').where('target_id', '=', link.target_id).where('project_id', '=', link.project_id).where('hook_id', '=', link.hook_id);
    if (error.failure === 'forbidden') {
      await shared.set({ sync_mode: 'polling', sync_reason: 'the connected user may no longer manage webhooks (Maintainer needed); syncing by polling', updated_at: nowIso() }).execute();
      return;
    }
    const secret = randomToken(32);
    const ref = link.hook_ref ?? link.id;
    const hook = await client.createHook(Number(link.project_id), { url: webhookUrl(deps.env, ref), token: secret });
    await shared.set({ hook_id: hook.id, hook_secret_enc: deps.secretBox.seal(secret, `hook:${ref}`), hook_ref: ref, sync_mode: 'webhook', sync_reason: null, updated_at: nowIso() }).execute();
    await recordAudit(db, { organizationId: link.organization_id, actorUserId: null, action: 'gitlab.hook_recreated', subjectType: 'project_link', subjectId: link.id, details: { hookId: hook.id } });
  }
}

/** Enqueue one reconciliation per project link per period (idempotent across processes). */
export async function scheduleReconciliation(db: Kysely<Database>, everyMs: number): Promise<number> {
  const links = await db.selectFrom('project_links').select(['id', 'organization_id', 'target_id']).where('scan_id', 'is', null).execute();
  const window = Math.floor(Date.now() / everyMs);
  let created = 0;
  for (const link of links) {
    const job = await enqueue(db, { task: RECONCILE_TASK, payload: { linkId: link.id }, organizationId: link.organization_id, uniqueKey: `reconcile:${link.id}:${window}`, groupKey: `gitlab-target:${link.target_id}`, maxAttempts: 3 });
    if (job.created) created++;
  }
  return created;
}

// One push item → one GitLab issue, never two: reserve the (identity, project) pair, look for an issue
// a previous attempt may have created (by the finding's ID label) before creating again, spend the
// shared creation budget, create, and record. Failures become job outcomes: wait (rate limit), pause
// (reconnect needed), retry (GitLab down, lost answer) or fail for good (GitLab refused).
// Exactly once across a paused worker: an attempt renews its job lease just before the POST and stops
// when another worker has taken the job over. The one gap left (paused after that renewal, before the
// request left) is closed after the fact: the first attempt to complete the reservation wins, and an
// attempt that finds it completed with another issue retires the one it made (retire-duplicate.ts).
import type { Kysely } from 'kysely';
import { publicUrl } from '../config/index.ts';
import { type Database, nowIso, type Push, type PushItemState } from '../db/index.ts';
import type { ScanInfo, TargetInfo, VulnerabilityInfo } from '../contracts/index.ts';
import {
  blockBudget,
  findConnection,
  GitlabError,
  type GitlabIssue,
  ReconnectNeededError,
  takeBudget,
  type GitlabDeps,
} from '../gitlab/index.ts';
import { LeaseLost, PauseJob, PermanentFailure, WaitUntil } from '../jobs/index.ts';
import { getScanRow, getTarget, toFindingInfo, toScanInfo, toVulnerabilityInfo } from '../services/index.ts';
import {
  completeReservation,
  getTrackedIssue,
  markCreateAttempted,
  releaseReservation,
  reserve,
} from './issue-reservation.ts';
import type { PushOptions } from './push-vulnerability.ts';
import { renderIssue } from './render-issue.ts';
import { retireDuplicate } from './retire-duplicate.ts';

export const issueBudgetKey = (baseUrl: string, gitlabUserId: number) => `issues:${baseUrl}:${gitlabUserId}`;

async function setItem(
  db: Kysely<Database>,
  itemId: string,
  state: PushItemState,
  values: { error?: string | null; trackedIssueId?: string } = {},
) {
  let update = db
    .updateTable('push_items')
    .set({
      state,
      updated_at: nowIso(),
      ...(values.error !== undefined ? { error: values.error } : {}),
      ...(values.trackedIssueId ? { tracked_issue_id: values.trackedIssueId } : {}),
    })
    .where('id', '=', itemId);
  // A finished item stays finished: an attempt whose lease another worker took over (and finished) must
  // not move it back to waiting, pending or failed (the push would never finish), nor relabel it.
  update = update.where('state', 'not in', ['created', 'adopted']);
  await update.execute();
}

export async function markItemFailed(db: Kysely<Database>, itemId: string, error: string): Promise<void> {
  await setItem(db, itemId, 'failed', { error });
}

export function issueLabels(productLabel: string, publicId: string, severity: string, options: PushOptions): string[] {
  const ours = [productLabel, publicId, ...(options.severityLabel ? [`severity::${severity}`] : [])];
  return [...new Set([...ours, ...options.labels.map((l) => l.trim()).filter(Boolean)])];
}

/** What every item of a push shares and never changes (the push, its scan, vulnerability, target,
 * project): read once per process, not once per finding. A cache of immutable rows only. */
interface PushContext {
  push: Push;
  projectPath: string;
  options: PushOptions;
  scan: ScanInfo;
  vulnerability: VulnerabilityInfo;
  target: TargetInfo;
}
const pushContexts = new Map<string, Promise<PushContext>>();

function pushContext(db: Kysely<Database>, pushId: string): Promise<PushContext> {
  let context = pushContexts.get(pushId);
  if (!context) {
    context = loadPushContext(db, pushId);
    context.catch(() => pushContexts.delete(pushId));
    pushContexts.set(pushId, context);
    if (pushContexts.size > 200) pushContexts.delete(pushContexts.keys().next().value ?? '');
  }
  return context;
}

async function loadPushContext(db: Kysely<Database>, pushId: string): Promise<PushContext> {
  const push = await db.selectFrom('pushes').selectAll().where('id', '=', pushId).executeTakeFirstOrThrow();
  const link = await db
    .selectFrom('project_links')
    .select('project_path')
    .where('id', '=', push.project_link_id)
    .executeTakeFirst();
  const scan = toScanInfo(await getScanRow(db, push.organization_id, push.scan_id));
  const vulnerability = toVulnerabilityInfo(
    await db
      .selectFrom('vulnerabilities')
      .selectAll()
      .where('id', '=', push.vulnerability_id)
      .executeTakeFirstOrThrow(),
  );
  const target = await getTarget(db, push.organization_id, push.target_id);
  return {
    push,
    projectPath: link?.project_path ?? String(push.project_id),
    options: JSON.parse(push.options) as PushOptions,
    scan,
    vulnerability,
    target,
  };
}

/** What the job attempt running this create can do: renew its lease (absent outside a worker). */
export interface CreateAttempt {
  holdLease?: () => Promise<boolean>;
}

type CreateResult = { state: PushItemState; iid?: number };

export async function createIssueForItem(
  db: Kysely<Database>,
  deps: GitlabDeps,
  itemId: string,
  attempt: CreateAttempt = {},
): Promise<CreateResult> {
  const item = await db.selectFrom('push_items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!item) throw new PermanentFailure('the push item no longer exists');
  if (item.state === 'created' || item.state === 'adopted') return { state: item.state };
  const { push, projectPath, options, scan, vulnerability, target } = await pushContext(db, item.push_id);
  const findingRow = await db
    .selectFrom('findings')
    .selectAll()
    .where('id', '=', item.finding_id)
    .executeTakeFirstOrThrow();
  const connection = await findConnection(db, push.organization_id, push.target_id);
  if (!connection) throw new PauseJob('the target is not connected to GitLab; it resumes when it is connected again');
  if (connection.status !== 'connected')
    throw new PauseJob(`the GitLab connection needs reconnecting: ${connection.status_reason ?? ''}`);
  const key = {
    organizationId: push.organization_id,
    targetId: push.target_id,
    identityId: findingRow.identity_id,
    publicId: findingRow.public_id,
    baseUrl: connection.base_url,
    projectId: Number(push.project_id),
    projectPath,
  };
  const reservation = await reserve(db, key, item.id);
  if (reservation.kind === 'exists') {
    await setItem(db, item.id, 'adopted', { trackedIssueId: reservation.tracked.id, error: null });
    return { state: 'adopted', ...(reservation.tracked.iid === null ? {} : { iid: Number(reservation.tracked.iid) }) };
  }
  if (reservation.kind === 'busy')
    throw new WaitUntil(new Date(Date.now() + 5000), 'another push is creating this finding’s issue');
  const tracked = reservation.tracked;

  try {
    const { client } = await deps.gitlab.tokens.client(connection.id);
    const gitlabUserId = Number(connection.gitlab_user_id);
    // Settles the reservation with `issue`, or finds another attempt settled it first with its own.
    const settle = async (issue: GitlabIssue, origin: 'created' | 'adopted'): Promise<CreateResult> => {
      if (await completeReservation(db, tracked.id, issue, origin)) {
        await setItem(db, item.id, origin, { trackedIssueId: tracked.id, error: null });
        return { state: origin, iid: issue.iid };
      }
      const settled = await getTrackedIssue(db, tracked.id);
      if (!settled || settled.iid === null)
        throw new Error('the issue reservation vanished while this attempt created the issue');
      await retireDuplicate(db, client, deps.env.PRODUCT_LABEL, settled, issue, gitlabUserId);
      await setItem(db, item.id, 'adopted', { trackedIssueId: tracked.id, error: null });
      return { state: 'adopted', iid: Number(settled.iid) };
    };
    if (tracked.create_attempted_at) {
      // A previous attempt may have created the issue and lost the answer: adopt it rather than repeat.
      // Two of them (an attempt paused past its lease, and the one that took over) leave two: the first
      // stays, the other is retired.
      const [found, ...extra] = (await client.issuesWithLabel(key.projectId, key.publicId)).sort(
        (a, b) => a.iid - b.iid,
      );
      if (found) {
        const result = await settle(found, 'adopted');
        const settled = extra.length > 0 ? await getTrackedIssue(db, tracked.id) : undefined;
        for (const issue of extra)
          if (settled) await retireDuplicate(db, client, deps.env.PRODUCT_LABEL, settled, issue, gitlabUserId);
        return result;
      }
    }
    const budgetKey = issueBudgetKey(connection.base_url, Number(connection.gitlab_user_id));
    const budget = await takeBudget(db, budgetKey, deps.env.ISSUE_CREATE_PER_MINUTE);
    if (!budget.ok) {
      await setItem(db, item.id, 'waiting');
      throw new WaitUntil(budget.retryAt, 'waiting for the GitLab issue-creation budget');
    }
    const finding = toFindingInfo(findingRow);
    const findingUrl = `${publicUrl(deps.env)}/scans/${scan.id}?vulnerability=${vulnerability.id}&finding=${finding.id}`;
    const extraNames = deps.env.REDACT_EXTRA_NAMES.split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const { title, description } = renderIssue(
      { vulnerability, finding, scan, target, findingUrl },
      { redact: { extraNames } },
    );
    // The last moment before the request that cannot be taken back: is the job still this attempt's?
    if (attempt.holdLease && !(await attempt.holdLease()))
      throw new LeaseLost('another worker took this job over before the issue was created');
    await markCreateAttempted(db, tracked.id);
    const issue = await client.createIssue(key.projectId, {
      title,
      description,
      labels: issueLabels(deps.env.PRODUCT_LABEL, key.publicId, vulnerability.severity, options),
      confidential: options.confidential,
      ...(options.assigneeIds.length ? { assignee_ids: options.assigneeIds } : {}),
      ...(options.milestoneId ? { milestone_id: options.milestoneId } : {}),
      ...(options.dueDate ? { due_date: options.dueDate } : {}),
    });
    return await settle(issue, 'created');
  } catch (error) {
    if (error instanceof WaitUntil || error instanceof PauseJob || error instanceof LeaseLost) throw error;
    if (error instanceof ReconnectNeededError) throw new PauseJob(error.message);
    if (error instanceof GitlabError) {
      if (error.failure === 'rate_limited') {
        const until = new Date(Date.now() + (error.retryAfterMs ?? 60_000));
        await blockBudget(db, issueBudgetKey(connection.base_url, Number(connection.gitlab_user_id)), until);
        await setItem(db, item.id, 'waiting');
        throw new WaitUntil(until, `GitLab is rate limiting (${error.message})`);
      }
      if (!error.transient) {
        await releaseReservation(db, tracked.id, item.id);
        throw new PermanentFailure(error.message);
      }
    }
    await setItem(db, item.id, 'pending', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

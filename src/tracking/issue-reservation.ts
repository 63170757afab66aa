// The reservation that makes "at most one issue per finding identity and project, ever" hold across
// retries, crashes and concurrent pushes: a tracked_issues row (unique on identity + instance + project)
// in state 'creating' owned by one push item, turned into the real issue once it exists.
import type { Kysely } from 'kysely';
import { type Database, newId, nowIso, type TrackedIssue } from '../db/index.ts';

/** A reservation left by an owner that stopped answering this long ago may be taken over. */
export const STALE_RESERVATION_MS = 2 * 60_000;

export interface IssueKey {
  organizationId: string;
  targetId: string;
  identityId: string;
  publicId: string;
  baseUrl: string;
  projectId: number;
  projectPath: string;
}

export type Reservation =
  | { kind: 'exists'; tracked: TrackedIssue }
  | { kind: 'owned'; tracked: TrackedIssue }
  | { kind: 'busy'; tracked: TrackedIssue };

async function find(db: Kysely<Database>, key: IssueKey): Promise<TrackedIssue | undefined> {
  return db
    .selectFrom('tracked_issues')
    .selectAll()
    .where('identity_id', '=', key.identityId)
    .where('base_url', '=', key.baseUrl)
    .where('project_id', '=', key.projectId)
    .executeTakeFirst();
}

export async function reserve(db: Kysely<Database>, key: IssueKey, owner: string): Promise<Reservation> {
  let tracked = await find(db, key);
  if (!tracked) {
    const now = nowIso();
    await db
      .insertInto('tracked_issues')
      .values({
        id: newId(),
        organization_id: key.organizationId,
        target_id: key.targetId,
        identity_id: key.identityId,
        public_id: key.publicId,
        base_url: key.baseUrl,
        project_id: key.projectId,
        project_path: key.projectPath,
        issue_id: null,
        iid: null,
        web_url: null,
        title: null,
        state: 'creating',
        assignees: '[]',
        labels: '[]',
        confidential: 0,
        origin: 'created',
        reserved_by: owner,
        create_attempted_at: null,
        gitlab_updated_at: null,
        synced_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    tracked = await find(db, key);
    if (!tracked) throw new Error('the issue reservation vanished');
  }
  if (tracked.state !== 'creating') return { kind: 'exists', tracked };
  if (tracked.reserved_by === owner) return { kind: 'owned', tracked };
  if (Date.parse(tracked.updated_at) + STALE_RESERVATION_MS > Date.now()) return { kind: 'busy', tracked };
  const taken = await db
    .updateTable('tracked_issues')
    .set({ reserved_by: owner, updated_at: nowIso() })
    .where('id', '=', tracked.id)
    .where('state', '=', 'creating')
    .where('reserved_by', '=', tracked.reserved_by)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) return reserve(db, key, owner);
  return { kind: 'owned', tracked: { ...tracked, reserved_by: owner } };
}

export async function markCreateAttempted(db: Kysely<Database>, trackedId: string): Promise<void> {
  const now = nowIso();
  await db
    .updateTable('tracked_issues')
    .set({ create_attempted_at: now, updated_at: now })
    .where('id', '=', trackedId)
    .execute();
}

export interface GitlabIssueFields {
  id: number;
  iid: number;
  web_url: string;
  title: string;
  state: string;
  confidential?: boolean;
  labels?: string[];
  assignees?: { id: number; username: string; name: string; avatar_url: string | null }[];
  updated_at?: string;
}

export function issueColumns(issue: GitlabIssueFields) {
  return {
    issue_id: issue.id,
    iid: issue.iid,
    web_url: issue.web_url,
    title: issue.title,
    state: issue.state === 'closed' ? ('closed' as const) : ('opened' as const),
    confidential: issue.confidential ? 1 : 0,
    labels: JSON.stringify(issue.labels ?? []),
    assignees: JSON.stringify(
      (issue.assignees ?? []).map((a) => ({ id: a.id, username: a.username, name: a.name, avatarUrl: a.avatar_url })),
    ),
    gitlab_updated_at: issue.updated_at ?? null,
    synced_at: nowIso(),
  };
}

/** The reservation becomes the issue GitLab has: the first attempt to complete it wins. False when
 * another attempt completed it first (it may have created another issue: the caller compares). */
export async function completeReservation(
  db: Kysely<Database>,
  trackedId: string,
  issue: GitlabIssueFields,
  origin: 'created' | 'adopted',
): Promise<boolean> {
  const result = await db
    .updateTable('tracked_issues')
    .set({ ...issueColumns(issue), origin, reserved_by: null, updated_at: nowIso() })
    .where('id', '=', trackedId)
    .where('state', '=', 'creating')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function getTrackedIssue(db: Kysely<Database>, trackedId: string): Promise<TrackedIssue | undefined> {
  return db.selectFrom('tracked_issues').selectAll().where('id', '=', trackedId).executeTakeFirst();
}

/** Give the reservation up (the create was refused for good): a later push may try again. */
export async function releaseReservation(db: Kysely<Database>, trackedId: string, owner: string): Promise<void> {
  await db
    .deleteFrom('tracked_issues')
    .where('id', '=', trackedId)
    .where('state', '=', 'creating')
    .where('reserved_by', '=', owner)
    .execute();
}

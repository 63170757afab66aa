// Applying GitLab's state to a tracked issue and its comments. Events are hints: what they say is
// re-read from the API, so duplicated, late and reordered deliveries all converge on GitLab's state.
import type { Kysely } from 'kysely';
import { type Database, newId, nowIso, type TrackedIssue } from '../db/index.ts';
import { type GitlabClient, GitlabError, type GitlabIssue, type GitlabNote } from '../gitlab/index.ts';
import { recordAudit } from '../services/index.ts';
import { issueColumns } from './issue-reservation.ts';

/** Our hidden marker: the note's last line (text quoted before it, even a look-alike, cannot pose as ours). */
export const COMMENT_MARKER = /<!--\s*vulnbridge:comment=([A-Za-z0-9]+)\s*-->\s*$/;
export const commentMarker = (commentId: string) => `<!-- vulnbridge:comment=${commentId} -->`;

export async function findTracked(
  db: Kysely<Database>,
  baseUrl: string,
  projectId: number,
  iid: number,
): Promise<TrackedIssue | undefined> {
  return db
    .selectFrom('tracked_issues')
    .selectAll()
    .where('base_url', '=', baseUrl)
    .where('project_id', '=', projectId)
    .where('iid', '=', iid)
    .executeTakeFirst();
}

/** Store what GitLab has; put our product and ID labels back if someone removed them (add, never replace). */
export async function applyIssue(
  db: Kysely<Database>,
  client: GitlabClient,
  productLabel: string,
  tracked: TrackedIssue,
  issue: GitlabIssue,
): Promise<void> {
  let current = issue;
  const missing = [productLabel, tracked.public_id].filter((l) => !issue.labels.includes(l));
  if (missing.length > 0 && issue.state !== 'closed') {
    current = await client.addLabels(Number(tracked.project_id), issue.iid, missing);
    await recordAudit(db, {
      organizationId: tracked.organization_id,
      actorUserId: null,
      action: 'gitlab.labels_restored',
      subjectType: 'tracked_issue',
      subjectId: tracked.id,
      details: { labels: missing, iid: issue.iid },
    });
  }
  await db
    .updateTable('tracked_issues')
    .set({ ...issueColumns(current), updated_at: nowIso() })
    .where('id', '=', tracked.id)
    .execute();
}

/** Re-read one issue; a deleted issue (404) or a moved one (moved_to_id) is marked, not forgotten. */
export async function syncIssue(
  db: Kysely<Database>,
  client: GitlabClient,
  productLabel: string,
  tracked: TrackedIssue,
): Promise<GitlabIssue | null> {
  try {
    const issue = await client.issue(Number(tracked.project_id), Number(tracked.iid));
    if (issue.moved_to_id) {
      await db
        .updateTable('tracked_issues')
        .set({ state: 'deleted', synced_at: nowIso(), updated_at: nowIso() })
        .where('id', '=', tracked.id)
        .execute();
      await recordAudit(db, {
        organizationId: tracked.organization_id,
        actorUserId: null,
        action: 'gitlab.issue_moved',
        subjectType: 'tracked_issue',
        subjectId: tracked.id,
        details: { movedToId: issue.moved_to_id },
      });
      return null;
    }
    await applyIssue(db, client, productLabel, tracked, issue);
    return issue;
  } catch (error) {
    if (error instanceof GitlabError && error.failure === 'not_found') {
      await db
        .updateTable('tracked_issues')
        .set({ state: 'deleted', synced_at: nowIso(), updated_at: nowIso() })
        .where('id', '=', tracked.id)
        .execute();
      return null;
    }
    throw error;
  }
}

/** One GitLab note into the hub. Our own notes (known id, or our hidden marker) are not copied back. */
export async function upsertNote(
  db: Kysely<Database>,
  tracked: TrackedIssue,
  note: GitlabNote,
): Promise<'ours' | 'stored' | 'skipped'> {
  if (note.system) return 'skipped';
  const now = nowIso();
  const mine = COMMENT_MARKER.exec(note.body);
  if (mine?.[1]) {
    await db
      .updateTable('comments')
      .set({ gitlab_note_id: note.id, outbound_state: 'posted', gitlab_updated_at: note.updated_at, updated_at: now })
      .where('id', '=', mine[1])
      .where('source', '=', 'hub')
      .where('tracked_issue_id', '=', tracked.id)
      .execute();
    return 'ours';
  }
  const existing = await db
    .selectFrom('comments')
    .select(['id', 'source'])
    .where('tracked_issue_id', '=', tracked.id)
    .where('gitlab_note_id', '=', note.id)
    .executeTakeFirst();
  if (existing?.source === 'hub') return 'ours';
  const values = {
    author_name: note.author.name,
    author_username: note.author.username,
    author_avatar_url: note.author.avatar_url,
    body: note.body,
    internal: note.internal || note.confidential ? 1 : 0,
    gitlab_created_at: note.created_at,
    gitlab_updated_at: note.updated_at,
    updated_at: now,
  };
  if (existing) {
    await db.updateTable('comments').set(values).where('id', '=', existing.id).execute();
  } else {
    await db
      .insertInto('comments')
      .values({
        id: newId(),
        organization_id: tracked.organization_id,
        tracked_issue_id: tracked.id,
        source: 'gitlab',
        author_user_id: null,
        gitlab_note_id: note.id,
        outbound_state: null,
        error: null,
        created_at: now,
        ...values,
      })
      .onConflict((oc) => oc.columns(['tracked_issue_id', 'gitlab_note_id']).doUpdateSet(values))
      .execute();
  }
  return 'stored';
}

/** Every note of the issue; comments whose note is gone from GitLab are removed (GitLab sends no event). */
export async function syncNotes(db: Kysely<Database>, client: GitlabClient, tracked: TrackedIssue): Promise<void> {
  const notes = await client.notes(Number(tracked.project_id), Number(tracked.iid));
  for (const note of notes) await upsertNote(db, tracked, note);
  const alive = notes.filter((n) => !n.system).map((n) => n.id);
  let gone = db.deleteFrom('comments').where('tracked_issue_id', '=', tracked.id).where('source', '=', 'gitlab');
  if (alive.length > 0) gone = gone.where('gitlab_note_id', 'not in', alive);
  await gone.execute();
}

export async function removeNote(db: Kysely<Database>, tracked: TrackedIssue, noteId: number): Promise<void> {
  await db
    .deleteFrom('comments')
    .where('tracked_issue_id', '=', tracked.id)
    .where('source', '=', 'gitlab')
    .where('gitlab_note_id', '=', noteId)
    .execute();
}

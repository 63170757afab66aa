// Comments written in the hub become notes on the GitLab issue, posted by the user who authorized the
// connection, through a job (pending → posted, or failed with retry; paused while the connection needs
// reconnecting). The note names its hub author and carries the text made inert (a Contributor must not
// act in GitLab with the connected user's rights), and a hidden marker so its webhook echo is
// recognised, and so a retry after a lost answer finds the note instead of posting twice.
import type { Kysely } from 'kysely';
import { type Database, newId, nowIso } from '../db/index.ts';
import { connectionGroupKey, findConnection, ReconnectNeededError, type GitlabDeps } from '../gitlab/index.ts';
import { enqueue, PauseJob, PermanentFailure } from '../jobs/index.ts';
import { DomainError, notFound } from '../lib/index.ts';
import { attributionLine, neutralizeMarkdown } from './neutralize-prose.ts';
import { COMMENT_MARKER, commentMarker } from './sync-issue.ts';

export const POST_COMMENT_TASK = 'post-comment';

/** The tracked issue of a finding (its identity's newest issue), or null. */
export async function trackedIssueOfFinding(db: Kysely<Database>, organizationId: string, findingId: string) {
  const finding = await db
    .selectFrom('findings')
    .select(['identity_id'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', findingId)
    .executeTakeFirst();
  if (!finding) throw notFound('finding');
  return (
    (await db
      .selectFrom('tracked_issues')
      .selectAll()
      .where('identity_id', '=', finding.identity_id)
      .where('state', '!=', 'creating')
      .orderBy('created_at', 'desc')
      .executeTakeFirst()) ?? null
  );
}

export async function addHubComment(
  db: Kysely<Database>,
  input: { organizationId: string; findingId: string; userId: string; authorName: string; body: string },
): Promise<string> {
  const tracked = await trackedIssueOfFinding(db, input.organizationId, input.findingId);
  if (!tracked) throw new DomainError('conflict', 'this finding has no GitLab issue yet: create one first');
  return db.transaction().execute(async (trx) => {
    const id = newId();
    const now = nowIso();
    await trx
      .insertInto('comments')
      .values({
        id,
        organization_id: input.organizationId,
        tracked_issue_id: tracked.id,
        source: 'hub',
        author_user_id: input.userId,
        author_name: input.authorName,
        author_username: null,
        author_avatar_url: null,
        body: input.body,
        internal: 0,
        gitlab_note_id: null,
        outbound_state: 'pending',
        error: null,
        gitlab_created_at: null,
        gitlab_updated_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await enqueue(trx, {
      task: POST_COMMENT_TASK,
      payload: { commentId: id },
      organizationId: input.organizationId,
      uniqueKey: `comment:${id}`,
      groupKey: connectionGroupKey(tracked.target_id),
    });
    return id;
  });
}

/**
 * The note as GitLab receives it: who wrote it in the hub, the text made inert (no quick action, no live
 * reference or mention, no raw HTML: DESIGN §5) but still Markdown, and the hidden marker last.
 */
export function noteBody(authorName: string, body: string, commentId: string): string {
  return `${attributionLine(authorName)}\n\n${neutralizeMarkdown(body)}\n\n${commentMarker(commentId)}`;
}

export async function postComment(
  db: Kysely<Database>,
  deps: GitlabDeps,
  commentId: string,
  attempt: number,
): Promise<string> {
  const comment = await db.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirst();
  if (!comment) return 'gone';
  if (comment.outbound_state === 'posted' || comment.gitlab_note_id !== null) return 'posted';
  const tracked = await db
    .selectFrom('tracked_issues')
    .selectAll()
    .where('id', '=', comment.tracked_issue_id)
    .executeTakeFirstOrThrow();
  if (tracked.state === 'deleted') throw new PermanentFailure('the GitLab issue was deleted or moved');
  const connection = await findConnection(db, tracked.organization_id, tracked.target_id);
  if (connection?.status !== 'connected')
    throw new PauseJob('the GitLab connection needs reconnecting; the comment is posted afterwards');
  try {
    const { client } = await deps.gitlab.tokens.client(connection.id);
    const projectId = Number(tracked.project_id);
    const iid = Number(tracked.iid);
    if (attempt > 1) {
      const existing = (await client.notes(projectId, iid)).find(
        (n) => COMMENT_MARKER.exec(n.body)?.[1] === comment.id,
      );
      if (existing) {
        await db
          .updateTable('comments')
          .set({ gitlab_note_id: existing.id, outbound_state: 'posted', error: null, updated_at: nowIso() })
          .where('id', '=', comment.id)
          .execute();
        return 'posted (found)';
      }
    }
    const note = await client.createNote(projectId, iid, noteBody(comment.author_name, comment.body, comment.id));
    await db
      .updateTable('comments')
      .set({
        gitlab_note_id: note.id,
        outbound_state: 'posted',
        error: null,
        gitlab_created_at: note.created_at,
        gitlab_updated_at: note.updated_at,
        author_username: note.author.username,
        author_avatar_url: note.author.avatar_url,
        updated_at: nowIso(),
      })
      .where('id', '=', comment.id)
      .execute();
    return 'posted';
  } catch (error) {
    if (error instanceof ReconnectNeededError) throw new PauseJob(error.message);
    await db
      .updateTable('comments')
      .set({ error: error instanceof Error ? error.message : String(error), updated_at: nowIso() })
      .where('id', '=', comment.id)
      .execute();
    throw error;
  }
}

/**
 * True when hub comments of this target wait on its GitLab connection (it needs reconnecting, so its
 * jobs are paused): the API shows their state as `paused` rather than `pending`.
 */
export async function commentsPaused(db: Kysely<Database>, organizationId: string, targetId: string): Promise<boolean> {
  const connection = await findConnection(db, organizationId, targetId);
  return connection?.status !== 'connected';
}

export async function markCommentFailed(db: Kysely<Database>, commentId: string, error: string): Promise<void> {
  await db
    .updateTable('comments')
    .set({ outbound_state: 'failed', error, updated_at: nowIso() })
    .where('id', '=', commentId)
    .execute();
}

/** A comment row by id (the one just added). */
export async function getComment(db: Kysely<Database>, commentId: string) {
  return db.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirstOrThrow();
}

/** The comments of a tracked issue, oldest first (GitLab's time where it has one). */
export async function listIssueComments(db: Kysely<Database>, trackedIssueId: string) {
  const rows = await db.selectFrom('comments').selectAll().where('tracked_issue_id', '=', trackedIssueId).execute();
  return rows.sort((a, b) => (a.gitlab_created_at ?? a.created_at).localeCompare(b.gitlab_created_at ?? b.created_at));
}

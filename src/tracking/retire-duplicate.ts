// A second GitLab issue for one finding is retired. It can only come from two attempts at one create
// that both reached GitLab: one paused or starved past its job's lease while the attempt that took the
// job over created the issue (found no issue with the ID label yet, so created it), or a create whose
// answer was lost after the other attempt had finished. The issue the hub tracks stays as it is; the
// other one is deleted when the connected user may (project Owner), otherwise closed with our product
// and ID labels taken off and a note that names the issue that tracks the finding. Only issues that
// Vulnbridge wrote are ever touched: by the connected GitLab user, carrying the finding's ID label, and
// with the hidden finding marker of our description (an issue the same person made by hand and
// labelled has none).
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { type GitlabClient, GitlabError, type GitlabIssue } from '../gitlab/index.ts';
import { recordAudit } from '../services/index.ts';
import { findingMarker } from './render-issue.ts';

export interface TrackedRef {
  id: string;
  organization_id: string;
  project_id: number | string;
  iid: number | string | null;
  public_id: string;
}

export type Retired = 'deleted' | 'closed' | 'untouched';

/** Whether `issue` is a duplicate of the tracked one that Vulnbridge itself made (and so may retire). */
export function isOurDuplicate(tracked: TrackedRef, issue: GitlabIssue, gitlabUserId: number): boolean {
  return (
    tracked.iid !== null &&
    issue.iid !== Number(tracked.iid) &&
    issue.labels.includes(tracked.public_id) &&
    issue.author?.id === gitlabUserId &&
    (issue.description ?? '').includes(findingMarker(tracked.public_id))
  );
}

export async function retireDuplicate(
  db: Kysely<Database>,
  client: GitlabClient,
  productLabel: string,
  tracked: TrackedRef,
  duplicate: GitlabIssue,
  gitlabUserId: number,
): Promise<Retired> {
  if (!isOurDuplicate(tracked, duplicate, gitlabUserId)) return 'untouched';
  const projectId = Number(tracked.project_id);
  let outcome: Retired;
  try {
    await client.deleteIssue(projectId, duplicate.iid);
    outcome = 'deleted';
  } catch (error) {
    if (error instanceof GitlabError && error.failure === 'not_found') return 'untouched'; // gone already
    if (!(error instanceof GitlabError) || error.failure !== 'forbidden') throw error;
    // Not an Owner: close it, take our labels off (so no lookup or reconciliation takes it for the
    // finding's issue), and say where the finding is tracked. The users' own labels stay.
    await client.closeIssue(projectId, duplicate.iid, [productLabel, tracked.public_id]);
    await client.createNote(
      projectId,
      duplicate.iid,
      `Vulnbridge created this issue twice (a retried request reached GitLab after the first had). Finding ${tracked.public_id} is tracked in #${Number(tracked.iid)}; this copy is closed and can be deleted.`,
    );
    outcome = 'closed';
  }
  await recordAudit(db, {
    organizationId: tracked.organization_id,
    actorUserId: null,
    action: 'gitlab.duplicate_retired',
    subjectType: 'tracked_issue',
    subjectId: tracked.id,
    details: { publicId: tracked.public_id, trackedIid: Number(tracked.iid), duplicateIid: duplicate.iid, outcome },
  });
  return outcome;
}

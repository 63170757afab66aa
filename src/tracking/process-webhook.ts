// Processing one stored webhook delivery: find the tracked issue it is about, then re-read from the API
// what the event hints at (the issue, or the note), so the hub ends where GitLab is.
import type { Kysely } from 'kysely';
import { type Database, nowIso } from '../db/index.ts';
import { findConnection, GitlabError, ReconnectNeededError, type GitlabDeps } from '../gitlab/index.ts';
import { PauseJob } from '../jobs/index.ts';
import { findTracked, removeNote, syncIssue, upsertNote } from './sync-issue.ts';

/** The job kind that processes a stored webhook delivery (src/tasks/process-webhook.ts). */
export const PROCESS_WEBHOOK_TASK = 'process-webhook';

interface HookPayload {
  object_kind?: string;
  project?: { id?: number };
  object_attributes?: { id?: number; iid?: number; noteable_type?: string };
  issue?: { iid?: number };
}

/** GitLab ids and iids are positive integers; anything else would only make a query fail (and retry). */
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

async function finish(db: Kysely<Database>, deliveryId: string, outcome: string): Promise<string> {
  await db
    .updateTable('webhook_deliveries')
    .set({ processed_at: nowIso(), outcome })
    .where('id', '=', deliveryId)
    .execute();
  return outcome;
}

export async function processDelivery(db: Kysely<Database>, deps: GitlabDeps, deliveryId: string): Promise<string> {
  const delivery = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!delivery) return 'gone';
  if (delivery.processed_at) return delivery.outcome ?? 'done';
  const link = await db
    .selectFrom('project_links')
    .selectAll()
    .where('hook_ref', '=', delivery.project_link_id)
    .orderBy('scan_id')
    .executeTakeFirst();
  if (!link) return finish(db, deliveryId, 'no project link');
  const connection = await findConnection(db, link.organization_id, link.target_id);
  if (!connection) throw new PauseJob('the target is not connected to GitLab');
  const payload = JSON.parse(delivery.payload) as HookPayload;
  // The hook belongs to one project of one organization: a payload naming another project (or a
  // project id that is not a number) is not acted on, whatever it says.
  const projectId = Number(link.project_id);
  if (payload.project?.id !== undefined && payload.project.id !== projectId)
    return finish(db, deliveryId, 'another project');
  const isNote = payload.object_kind === 'note';
  const iid = isNote ? payload.issue?.iid : payload.object_attributes?.iid;
  if (isNote && payload.object_attributes?.noteable_type !== 'Issue')
    return finish(db, deliveryId, 'not an issue note');
  if (!isId(iid)) return finish(db, deliveryId, 'no issue iid');
  const tracked = await findTracked(db, connection.base_url, projectId, iid);
  if (!tracked || tracked.organization_id !== link.organization_id) return finish(db, deliveryId, 'untracked issue');
  try {
    const { client } = await deps.gitlab.tokens.client(connection.id);
    if (!isNote) {
      await syncIssue(db, client, deps.env.PRODUCT_LABEL, tracked);
      return finish(db, deliveryId, 'issue synced');
    }
    const noteId = payload.object_attributes?.id;
    if (!isId(noteId)) return finish(db, deliveryId, 'no note id');
    try {
      const note = await client.note(projectId, iid, noteId);
      return finish(db, deliveryId, `note ${await upsertNote(db, tracked, note)}`);
    } catch (error) {
      if (error instanceof GitlabError && error.failure === 'not_found') {
        await removeNote(db, tracked, noteId);
        return finish(db, deliveryId, 'note gone');
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof ReconnectNeededError) throw new PauseJob(error.message);
    throw error;
  }
}

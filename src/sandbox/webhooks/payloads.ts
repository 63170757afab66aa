// Issue Hook and Note Hook payloads (doc/user/project/integrations/webhook_events.md).
import { avatarUrl, hookLabel, hookTime } from '../entities/basic.ts';
import { issueWebUrl } from '../entities/issue.ts';
import { hookProject } from '../entities/project.ts';
import type { Store } from '../state/store.ts';
import type { IssueRecord, NoteRecord, ProjectRecord, UserRecord } from '../state/types.ts';

export type IssueAction = 'open' | 'close' | 'reopen' | 'update';

/** What the changes block compares. */
export interface IssueSnapshot {
  title: string;
  description: string;
  state_id: number;
  closed_at: string | null;
  confidential: boolean;
  discussion_locked: boolean | null;
  due_date: string | null;
  milestone_id: number | null;
  updated_at: string | null;
  updated_by_id: number | null;
  last_edited_at: string | null;
  last_edited_by_id: number | null;
  labels: unknown[];
  assignees: unknown[];
}

function hookUser(base: string, u: UserRecord) {
  return { id: u.id, name: u.name, username: u.username, avatar_url: avatarUrl(base, u), email: u.email };
}

function assigneeObj(base: string, u: UserRecord) {
  return { id: u.id, name: u.name, username: u.username, avatar_url: avatarUrl(base, u), email: u.email };
}

export function snapshotIssue(store: Store, base: string, i: IssueRecord): IssueSnapshot {
  return {
    title: i.title,
    description: i.description,
    state_id: i.state === 'opened' ? 1 : 2,
    closed_at: hookTime(i.closedAt),
    confidential: i.confidential,
    discussion_locked: i.discussionLocked,
    due_date: i.dueDate,
    milestone_id: i.milestoneId,
    updated_at: hookTime(i.updatedAt),
    updated_by_id: i.updatedById,
    last_edited_at: hookTime(i.lastEditedAt),
    last_edited_by_id: i.lastEditedById,
    labels: i.labelIds.flatMap((id) => {
      const l = store.label(id);
      return l ? [hookLabel(l)] : [];
    }),
    assignees: i.assigneeIds.flatMap((id) => {
      const u = store.user(id);
      return u ? [assigneeObj(base, u)] : [];
    }),
  };
}

export function diffSnapshots(before: IssueSnapshot | null, after: IssueSnapshot, issue: IssueRecord) {
  const changes: Record<string, { previous: unknown; current: unknown }> = {};
  if (before === null) {
    changes.author_id = { previous: null, current: issue.authorId };
    changes.created_at = { previous: null, current: hookTime(issue.createdAt) };
    changes.id = { previous: null, current: issue.id };
    changes.iid = { previous: null, current: issue.iid };
    changes.project_id = { previous: null, current: issue.projectId };
  }
  for (const key of Object.keys(after) as (keyof IssueSnapshot)[]) {
    const prev = before ? before[key] : key === 'labels' || key === 'assignees' ? [] : null;
    const cur = after[key];
    if (JSON.stringify(prev) !== JSON.stringify(cur)) changes[key] = { previous: prev, current: cur };
  }
  if (before === null) {
    for (const k of ['labels', 'assignees', 'closed_at', 'last_edited_at', 'last_edited_by_id', 'updated_by_id']) {
      const cur = changes[k]?.current;
      if (!cur || (Array.isArray(cur) && cur.length === 0)) delete changes[k];
    }
  }
  return changes;
}

export function issueHookAttributes(store: Store, base: string, i: IssueRecord, p: ProjectRecord) {
  const snap = snapshotIssue(store, base, i);
  return {
    author_id: i.authorId,
    closed_at: snap.closed_at,
    confidential: i.confidential,
    created_at: hookTime(i.createdAt),
    description: i.description,
    discussion_locked: i.discussionLocked,
    due_date: i.dueDate,
    id: i.id,
    iid: i.iid,
    last_edited_at: snap.last_edited_at,
    last_edited_by_id: i.lastEditedById,
    milestone_id: i.milestoneId,
    moved_to_id: null,
    duplicated_to_id: null,
    project_id: i.projectId,
    relative_position: null,
    state_id: snap.state_id,
    time_estimate: 0,
    title: i.title,
    updated_at: snap.updated_at,
    updated_by_id: i.updatedById,
    type: 'Issue',
    url: issueWebUrl(store, base, p, i.iid),
    total_time_spent: 0,
    time_change: 0,
    human_total_time_spent: null,
    human_time_change: null,
    human_time_estimate: null,
    assignee_ids: [...i.assigneeIds],
    assignee_id: i.assigneeIds[0] ?? null,
    labels: snap.labels,
    state: i.state,
    severity: 'unknown',
    customer_relations_contacts: [],
  };
}

export function issuePayload(
  store: Store,
  base: string,
  actor: UserRecord,
  i: IssueRecord,
  action: IssueAction,
  changes: Record<string, unknown>,
) {
  const p = store.project(i.projectId) as ProjectRecord;
  const project = hookProject(store, base, p);
  const attrs = { ...issueHookAttributes(store, base, i, p), action };
  const payload: Record<string, unknown> = {
    object_kind: 'issue',
    event_type: i.confidential ? 'confidential_issue' : 'issue',
    user: hookUser(base, actor),
    project,
    object_attributes: attrs,
    labels: attrs.labels,
    changes,
    repository: { name: p.name, url: project.url, description: p.description, homepage: project.homepage },
  };
  const assignees = i.assigneeIds.flatMap((id) => {
    const u = store.user(id);
    return u ? [assigneeObj(base, u)] : [];
  });
  // Omitted entirely when the issue has no assignees (Gitlab::DataBuilder::Issuable).
  if (assignees.length > 0) {
    payload.assignees = assignees;
    payload.assignee = assignees[0];
  }
  return payload;
}

export function notePayload(
  store: Store,
  base: string,
  actor: UserRecord,
  note: NoteRecord,
  action: 'create' | 'update',
) {
  const i = store.issueById(note.issueId) as IssueRecord;
  const p = store.project(note.projectId) as ProjectRecord;
  const project = hookProject(store, base, p);
  const confidential = note.internal || i.confidential;
  return {
    object_kind: 'note',
    event_type: confidential ? 'confidential_note' : 'note',
    user: hookUser(base, actor),
    project_id: p.id,
    project,
    object_attributes: {
      attachment: null,
      author_id: note.authorId,
      change_position: null,
      commit_id: null,
      created_at: hookTime(note.createdAt),
      discussion_id: `${note.id.toString(16).padStart(40, '0')}`,
      id: note.id,
      line_code: null,
      note: note.body,
      noteable_id: i.id,
      noteable_type: 'Issue',
      original_position: null,
      position: null,
      project_id: p.id,
      resolved_at: null,
      resolved_by_id: null,
      resolved_by_push: null,
      st_diff: null,
      system: note.system,
      type: null,
      updated_at: hookTime(note.updatedAt),
      updated_by_id: null,
      description: note.body,
      internal: note.internal,
      confidential: note.internal,
      action,
      url: `${issueWebUrl(store, base, p, i.iid)}#note_${note.id}`,
    },
    repository: { name: p.name, url: project.url, description: p.description, homepage: project.homepage },
    issue: issueHookAttributes(store, base, i, p),
  };
}

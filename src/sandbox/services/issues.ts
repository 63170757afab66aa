// Creating and changing issues, shared by the REST API and the HTML pages, so both run quick
// actions, drop a Guest's metadata, create unknown labels, write system notes and fire webhooks.
import { accessLevel, canReadProject, canSetMetadata } from '../auth/permissions.ts';
import { validation } from '../http/reply.ts';
import { type IssueChanges, runQuickActions } from '../quick-actions/apply.ts';
import type { Runtime } from '../runtime.ts';
import type { IssueRecord, LabelRecord, ProjectRecord, UserRecord } from '../state/types.ts';
import { AccessLevel } from '../state/types.ts';
import { hookTime } from '../entities/basic.ts';
import { type IssueAction, diffSnapshots, issuePayload, snapshotIssue } from '../webhooks/payloads.ts';
import { addSystemNote, processMentions } from './mentions.ts';

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 1_048_576;

export interface CreateIssueInput extends IssueChanges {
  title: string;
  issueType?: string;
  createdAt?: number;
  iid?: number;
}

function checkText(title: string | undefined, description: string | undefined): void {
  const errors: Record<string, string[]> = {};
  if (title !== undefined && title.trim() === '') errors.title = ["can't be blank"];
  if (title !== undefined && title.length > TITLE_MAX)
    errors.title = [`is too long (maximum is ${TITLE_MAX} characters)`];
  if (description !== undefined && description.length > DESCRIPTION_MAX)
    errors.description = [`is too long (maximum is ${DESCRIPTION_MAX} characters)`];
  if (Object.keys(errors).length > 0) throw validation(errors);
}

/** Finds labels by name, creating missing ones when the actor may (as the API does). */
function findOrCreateLabels(rt: Runtime, actor: UserRecord, project: ProjectRecord, names: string[]): LabelRecord[] {
  const out: LabelRecord[] = [];
  const mayCreate = accessLevel(rt.store, actor, project) >= AccessLevel.planner;
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    let label = rt.store.labelByName(project.id, name);
    if (!label && mayCreate) {
      if (name.length > 255) throw validation({ title: ['is too long (maximum is 255 characters)'] });
      const now = rt.store.now();
      label = rt.store.addLabel({
        id: rt.store.nextId('label'),
        projectId: project.id,
        name,
        color: '#6699cc',
        description: null,
        priority: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    if (label && !out.includes(label)) out.push(label);
  }
  return out;
}

/** Drops what a caller without set_issue_metadata may not set (silently, as GitLab does). */
function filterMetadata(rt: Runtime, actor: UserRecord, project: ProjectRecord, c: IssueChanges): IssueChanges {
  if (canSetMetadata(rt.store, actor, project)) return c;
  const { labels: _l, addLabels: _a, removeLabels: _r, assigneeIds: _as, milestoneId: _m, dueDate: _d, ...rest } = c;
  return rest;
}

function applyChanges(
  rt: Runtime,
  actor: UserRecord,
  project: ProjectRecord,
  issue: IssueRecord,
  c: IssueChanges,
): void {
  const store = rt.store;
  const now = store.now();
  if (c.title !== undefined) issue.title = c.title;
  if (c.description !== undefined) issue.description = c.description;
  if (c.labels !== undefined) issue.labelIds = findOrCreateLabels(rt, actor, project, c.labels).map((l) => l.id);
  if (c.addLabels !== undefined) {
    for (const l of findOrCreateLabels(rt, actor, project, c.addLabels))
      if (!issue.labelIds.includes(l.id)) issue.labelIds.push(l.id);
  }
  if (c.removeLabels !== undefined) {
    const drop = new Set(c.removeLabels.map((n) => store.labelByName(project.id, n)?.id));
    issue.labelIds = issue.labelIds.filter((id) => !drop.has(id));
  }
  if (c.assigneeIds !== undefined) {
    const valid = c.assigneeIds.filter((id) => {
      const u = id > 0 ? store.user(id) : undefined;
      return u !== undefined && canReadProject(store, u, project);
    });
    issue.assigneeIds = valid.slice(0, 1); // GitLab Free: a single assignee
  }
  if (c.milestoneId !== undefined) {
    const m = c.milestoneId
      ? store.data.milestones.find((x) => x.id === c.milestoneId && x.projectId === project.id)
      : undefined;
    issue.milestoneId = m?.id ?? null;
  }
  if (c.dueDate !== undefined) issue.dueDate = c.dueDate;
  if (c.confidential !== undefined) issue.confidential = c.confidential;
  if (c.discussionLocked !== undefined) issue.discussionLocked = c.discussionLocked;
  if (c.stateEvent === 'close' && issue.state === 'opened') {
    issue.state = 'closed';
    issue.closedAt = now;
    issue.closedById = actor.id;
  } else if (c.stateEvent === 'reopen' && issue.state === 'closed') {
    issue.state = 'opened';
    issue.closedAt = null;
    issue.closedById = null;
  }
}

function emitIssueHook(
  rt: Runtime,
  actor: UserRecord,
  issue: IssueRecord,
  action: IssueAction,
  changes: Record<string, unknown>,
): void {
  const payload = issuePayload(rt.store, rt.url, actor, issue, action, changes);
  rt.hooks.emit(issue.projectId, issue.confidential ? 'confidential_issue' : 'issue', payload);
}

function systemNotesFor(rt: Runtime, actor: UserRecord, issue: IssueRecord, before: IssueRecord): void {
  const store = rt.store;
  const names = (ids: number[]) => ids.map((id) => `@${store.user(id)?.username ?? id}`).join(', ');
  const added = issue.assigneeIds.filter((id) => !before.assigneeIds.includes(id));
  const removed = before.assigneeIds.filter((id) => !issue.assigneeIds.includes(id));
  if (added.length && removed.length)
    addSystemNote(rt, actor, issue, `assigned to ${names(added)} and unassigned ${names(removed)}`);
  else if (added.length) addSystemNote(rt, actor, issue, `assigned to ${names(added)}`);
  else if (removed.length) addSystemNote(rt, actor, issue, `unassigned ${names(removed)}`);
  if (before.title !== issue.title)
    addSystemNote(rt, actor, issue, `changed title from **${before.title}** to **${issue.title}**`);
  if (before.description !== issue.description) addSystemNote(rt, actor, issue, 'changed the description');
  if (before.confidential !== issue.confidential)
    addSystemNote(
      rt,
      actor,
      issue,
      issue.confidential ? 'made the issue confidential' : 'made the issue visible to everyone',
    );
  if (before.dueDate !== issue.dueDate)
    addSystemNote(rt, actor, issue, issue.dueDate ? `changed due date to ${issue.dueDate}` : 'removed due date');
  for (const id of added) {
    if (id !== actor.id) {
      store.data.todos.push({
        id: store.nextId('todo'),
        userId: id,
        authorId: actor.id,
        projectId: issue.projectId,
        issueId: issue.id,
        noteId: null,
        actionName: 'assigned',
        body: issue.title,
        state: 'pending',
        createdAt: store.now(),
      });
    }
  }
}

export function createIssue(
  rt: Runtime,
  actor: UserRecord,
  project: ProjectRecord,
  input: CreateIssueInput,
): IssueRecord {
  const store = rt.store;
  checkText(input.title, input.description);
  const now = input.createdAt ?? store.now();
  const issue: IssueRecord = {
    id: 0,
    iid: 0,
    projectId: project.id,
    title: input.title,
    description: '',
    state: 'opened',
    authorId: actor.id,
    assigneeIds: [],
    labelIds: [],
    milestoneId: null,
    dueDate: null,
    confidential: false,
    discussionLocked: null,
    issueType: input.issueType ?? 'issue',
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedById: null,
    updatedById: null,
    lastEditedAt: null,
    lastEditedById: null,
  };
  // Quick actions in the description run first (IssuableBaseService#create), then the params.
  const qa = runQuickActions(store, actor, project, null, input.description ?? '');
  const { title: _t, issueType: _it, createdAt: _c, iid: _i, ...params } = input;
  const merged = filterMetadata(rt, actor, project, { ...params, ...qa.changes, description: qa.text });
  if (merged.stateEvent) delete merged.stateEvent;
  const before = { ...issue, assigneeIds: [] };
  applyChanges(rt, actor, project, issue, merged);
  issue.id = store.nextId('issue');
  issue.iid = input.iid ?? project.nextIssueIid;
  project.nextIssueIid = Math.max(project.nextIssueIid, issue.iid) + 1;
  store.addIssue(issue);
  project.lastActivityAt = now;
  systemNotesFor(rt, actor, issue, {
    ...before,
    title: issue.title,
    description: issue.description,
    confidential: issue.confidential,
    dueDate: issue.dueDate,
  });
  emitIssueHook(rt, actor, issue, 'open', diffSnapshots(null, snapshotIssue(store, rt.url, issue), issue));
  processMentions(rt, actor, issue, null, issue.description, '');
  return issue;
}

/** Applies changes (and, for a new description, its quick actions). Returns the issue. */
export function updateIssue(
  rt: Runtime,
  actor: UserRecord,
  project: ProjectRecord,
  issue: IssueRecord,
  input: IssueChanges,
): IssueRecord {
  const store = rt.store;
  checkText(input.title, input.description);
  let changes = { ...input };
  if (input.description !== undefined) {
    const qa = runQuickActions(store, actor, project, issue, input.description);
    changes = { ...changes, ...qa.changes, description: qa.text };
  }
  changes = filterMetadata(rt, actor, project, changes);
  const before = { ...issue, assigneeIds: [...issue.assigneeIds], labelIds: [...issue.labelIds] };
  const snapBefore = snapshotIssue(store, rt.url, issue);
  applyChanges(rt, actor, project, issue, changes);
  const now = store.now();
  const changed = JSON.stringify(snapshotIssue(store, rt.url, issue)) !== JSON.stringify(snapBefore);
  if (!changed) return issue;
  issue.updatedAt = Math.max(now, issue.updatedAt + 1);
  issue.updatedById = actor.id;
  if (before.title !== issue.title || before.description !== issue.description) {
    issue.lastEditedAt = now;
    issue.lastEditedById = actor.id;
  }
  project.lastActivityAt = now;
  systemNotesFor(rt, actor, issue, before);
  const action: IssueAction = before.state !== issue.state ? (issue.state === 'closed' ? 'close' : 'reopen') : 'update';
  const hookChanges = diffSnapshots(snapBefore, snapshotIssue(store, rt.url, issue), issue);
  // Rails' previous_changes always has updated_at, even when the seconds shown are equal.
  hookChanges.updated_at = { previous: snapBefore.updated_at, current: hookTime(issue.updatedAt) };
  emitIssueHook(rt, actor, issue, action, hookChanges);
  if (before.description !== issue.description)
    processMentions(rt, actor, issue, null, issue.description, before.description);
  return issue;
}

export function deleteIssue(rt: Runtime, issue: IssueRecord): void {
  rt.store.removeIssue(issue);
}

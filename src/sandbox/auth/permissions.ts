// Who may do what, by access level (doc/user/permissions.md).
import type { Store } from '../state/store.ts';
import type { GroupRecord, IssueRecord, NoteRecord, ProjectRecord, UserRecord } from '../state/types.ts';
import { AccessLevel } from '../state/types.ts';

export function accessLevel(store: Store, user: UserRecord | null, project: ProjectRecord): number {
  if (!user) return AccessLevel.none;
  if (user.admin) return AccessLevel.owner;
  return store.projectAccess(user.id, project);
}

export function canReadProject(store: Store, user: UserRecord | null, project: ProjectRecord): boolean {
  if (project.visibility === 'public') return true;
  if (!user) return false;
  if (project.visibility === 'internal') return true;
  return accessLevel(store, user, project) >= AccessLevel.guest;
}

export function canReadGroup(store: Store, user: UserRecord | null, group: GroupRecord): boolean {
  if (group.visibility === 'public') return true;
  if (!user) return false;
  if (user.admin || group.visibility === 'internal') return true;
  if (store.groupAccess(user.id, group.id) >= AccessLevel.guest) return true;
  // A member of a descendant group or project can see the ancestors.
  const below = new Set([group.id, ...store.descendantGroups(group.id).map((g) => g.id)]);
  if (store.data.members.some((m) => m.userId === user.id && m.sourceType === 'group' && below.has(m.sourceId)))
    return true;
  return store.data.members.some((m) => {
    if (m.userId !== user.id || m.sourceType !== 'project') return false;
    const p = store.project(m.sourceId);
    return p !== undefined && p.groupId !== null && below.has(p.groupId);
  });
}

/** Planner and above may set assignees, labels, milestone and due date (set_issue_metadata). */
export function canSetMetadata(store: Store, user: UserRecord, project: ProjectRecord): boolean {
  return accessLevel(store, user, project) >= AccessLevel.planner;
}

export function canReadIssue(
  store: Store,
  user: UserRecord | null,
  issue: IssueRecord,
  project: ProjectRecord,
): boolean {
  if (!canReadProject(store, user, project)) return false;
  if (!issue.confidential) return true;
  if (!user) return false;
  if (issue.authorId === user.id || issue.assigneeIds.includes(user.id)) return true;
  return accessLevel(store, user, project) >= AccessLevel.planner;
}

export function canCreateIssue(store: Store, user: UserRecord, project: ProjectRecord): boolean {
  return accessLevel(store, user, project) >= AccessLevel.guest || (project.visibility !== 'private' && !!user);
}

/** update_issue: the author, an assignee, or Planner and above. */
export function canUpdateIssue(store: Store, user: UserRecord, issue: IssueRecord, project: ProjectRecord): boolean {
  if (issue.authorId === user.id || issue.assigneeIds.includes(user.id)) return true;
  return accessLevel(store, user, project) >= AccessLevel.planner;
}

export function canDeleteIssue(store: Store, user: UserRecord, project: ProjectRecord): boolean {
  return accessLevel(store, user, project) >= AccessLevel.owner;
}

/** Internal notes are written and read by Planner and above. */
export function canReadInternalNotes(store: Store, user: UserRecord | null, project: ProjectRecord): boolean {
  return !!user && accessLevel(store, user, project) >= AccessLevel.planner;
}

export function canReadNote(store: Store, user: UserRecord | null, note: NoteRecord, project: ProjectRecord): boolean {
  return !note.internal || canReadInternalNotes(store, user, project);
}

export function canAdminNote(store: Store, user: UserRecord, note: NoteRecord, project: ProjectRecord): boolean {
  return note.authorId === user.id || accessLevel(store, user, project) >= AccessLevel.maintainer;
}

export function canAdminLabels(store: Store, user: UserRecord, project: ProjectRecord): boolean {
  return accessLevel(store, user, project) >= AccessLevel.planner;
}

export function canAdminHooks(store: Store, user: UserRecord, project: ProjectRecord): boolean {
  return accessLevel(store, user, project) >= AccessLevel.maintainer;
}

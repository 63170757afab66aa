// System notes, and what references outside code do: `@user` gives that user a to-do, `@all` gives
// every project member one, `#N` puts a "mentioned in" system note on issue N. Label and milestone
// references have no side effect in GitLab; they are recorded so tests can see they were parsed.
import { canReadIssue } from '../auth/permissions.ts';
import { findReferences } from '../quick-actions/references.ts';
import type { Runtime } from '../runtime.ts';
import type { IssueRecord, NoteRecord, UserRecord } from '../state/types.ts';

export function addSystemNote(rt: Runtime, actor: UserRecord, issue: IssueRecord, body: string): NoteRecord {
  const now = rt.store.now();
  // System notes never trigger Note Hooks (Notes::PostProcessService).
  return rt.store.addNote({
    id: rt.store.nextId('note'),
    projectId: issue.projectId,
    issueId: issue.id,
    authorId: actor.id,
    body,
    system: true,
    internal: false,
    createdAt: now,
    updatedAt: now,
  });
}

export function processMentions(
  rt: Runtime,
  actor: UserRecord,
  issue: IssueRecord,
  note: NoteRecord | null,
  text: string,
  previousText: string,
): void {
  const store = rt.store;
  const project = store.project(issue.projectId);
  if (!project) return;
  const found = findReferences(text);
  const before = findReferences(previousText);
  const now = store.now();
  const log = (kind: 'user' | 'all' | 'issue' | 'label' | 'milestone', value: string) =>
    store.data.references.push({ kind, value, projectId: project.id, issueId: issue.id, noteId: note?.id ?? null, authorId: actor.id, createdAt: now });
  const todoFor = (user: UserRecord, action: 'mentioned' | 'directly_addressed') => {
    if (user.id === actor.id || !canReadIssue(store, user, issue, project)) return;
    store.data.todos.push({
      id: store.nextId('todo'),
      userId: user.id,
      authorId: actor.id,
      projectId: project.id,
      issueId: issue.id,
      noteId: note?.id ?? null,
      actionName: action,
      body: text.slice(0, 200),
      state: 'pending',
      createdAt: now,
    });
  };
  const addressed = /^\s*@([\w.-]+)/.exec(text)?.[1]?.toLowerCase();
  for (const name of found.users.filter((u) => !before.users.includes(u))) {
    const user = store.userByName(name);
    if (!user) continue;
    log('user', user.username);
    todoFor(user, addressed === name.toLowerCase() ? 'directly_addressed' : 'mentioned');
  }
  if (found.all && !before.all) {
    log('all', 'all');
    for (const u of store.data.users) if (store.projectAccess(u.id, project) >= 10) todoFor(u, 'mentioned');
  }
  for (const iid of found.issues.filter((n) => !before.issues.includes(n))) {
    const target = store.issueByIid(project.id, iid);
    if (!target || target.id === issue.id) continue;
    log('issue', String(iid));
    addSystemNote(rt, actor, target, `mentioned in issue #${issue.iid}`);
  }
  for (const l of found.labels.filter((n) => !before.labels.includes(n))) if (store.labelByName(project.id, l)) log('label', l);
  for (const m of found.milestones.filter((n) => !before.milestones.includes(n))) {
    if (store.data.milestones.some((x) => x.projectId === project.id && x.title === m)) log('milestone', m);
  }
}

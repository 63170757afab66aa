// System notes, and what references outside code do: `@user` gives that user a to-do, `@all` gives
// every project member one, `#N` and `group/project#N` put a "mentioned in" system note on that issue.
// Label and milestone references have no side effect in GitLab; they are recorded so tests can see they
// were parsed. The sandbox has no merge requests, snippets, epics or wiki: `!N`, `$N`, `&N` and
// `[[page]]` are recorded as parsed (GitLab would link them, and cross-reference `!N`, if they existed).
import { canReadIssue } from '../auth/permissions.ts';
import { findReferences } from '../quick-actions/references.ts';
import type { Runtime } from '../runtime.ts';
import type { IssueRecord, NoteRecord, ReferenceRecord, UserRecord } from '../state/types.ts';

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
  const log = (kind: ReferenceRecord['kind'], value: string) =>
    store.data.references.push({
      kind,
      value,
      projectId: project.id,
      issueId: issue.id,
      noteId: note?.id ?? null,
      authorId: actor.id,
      createdAt: now,
    });
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
  const seen = new Set(before.projectIssues.map((r) => `${r.project.toLowerCase()}#${r.iid}`));
  for (const ref of found.projectIssues.filter((r) => !seen.has(`${r.project.toLowerCase()}#${r.iid}`))) {
    const other = store.projectByPath(ref.project);
    const target = other && store.issueByIid(other.id, ref.iid);
    if (!other || !target || target.id === issue.id || !canReadIssue(store, actor, target, other)) continue;
    log('issue', `${store.projectFullPath(other)}#${ref.iid}`);
    addSystemNote(
      rt,
      actor,
      target,
      other.id === project.id
        ? `mentioned in issue #${issue.iid}`
        : `mentioned in issue ${store.projectFullPath(project)}#${issue.iid}`,
    );
  }
  for (const [kind, list, previous] of [
    ['merge_request', found.mergeRequests, before.mergeRequests],
    ['snippet', found.snippets, before.snippets],
    ['epic', found.epics, before.epics],
    ['wiki', found.wikiPages, before.wikiPages],
  ] as const) {
    for (const value of (list as readonly (string | number)[]).filter(
      (v) => !(previous as readonly (string | number)[]).includes(v),
    ))
      log(kind, String(value));
  }
  for (const l of found.labels.filter((n) => !before.labels.includes(n)))
    if (store.labelByName(project.id, l)) log('label', l);
  for (const m of found.milestones.filter((n) => !before.milestones.includes(n))) {
    if (store.data.milestones.some((x) => x.projectId === project.id && x.title === m)) log('milestone', m);
  }
}

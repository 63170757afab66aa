// Lookups shared by the REST endpoints: a project by id or URL-encoded path (404 when it cannot be
// seen), an issue by iid, the signed-in user.
import { canReadIssue, canReadProject } from '../auth/permissions.ts';
import type { Ctx } from '../http/router.ts';
import { forbidden, notFound, unauthorized } from '../http/reply.ts';
import type { IssueRecord, ProjectRecord, UserRecord } from '../state/types.ts';

export function currentUser(ctx: Ctx): UserRecord {
  if (!ctx.user) throw unauthorized();
  return ctx.user;
}

export function loadProject(ctx: Ctx, param = 'id'): ProjectRecord {
  const raw = ctx.params[param] ?? '';
  const store = ctx.rt.store;
  const project = /^\d+$/.test(raw) ? store.project(Number(raw)) : store.projectByPath(raw);
  if (!project || !canReadProject(store, ctx.user, project)) throw notFound('Project');
  return project;
}

export function loadIssue(ctx: Ctx, project: ProjectRecord, param = 'issue_iid'): IssueRecord {
  const raw = ctx.params[param] ?? '';
  const issue = /^\d+$/.test(raw) ? ctx.rt.store.issueByIid(project.id, Number(raw)) : undefined;
  if (!issue || !canReadIssue(ctx.rt.store, ctx.user, issue, project)) throw notFound('Issue');
  return issue;
}

export function ensure(allowed: boolean): void {
  if (!allowed) throw forbidden();
}

export function sortBy<T>(items: T[], key: (t: T) => number | string, dir: 'asc' | 'desc'): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}

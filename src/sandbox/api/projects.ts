// GET /projects, GET /projects/:id, GET /groups/:id/projects, /user, /users, /todos.
import { canReadGroup, canReadProject } from '../auth/permissions.ts';
import { iso, userBasic, userPublic } from '../entities/basic.ts';
import { issueEntity } from '../entities/issue.ts';
import { projectFull, projectSimple } from '../entities/project.ts';
import { isKeyset, keysetPage, paginate } from '../http/pagination.ts';
import { bool, int, oneOf, str } from '../http/params.ts';
import { HttpError, json, notFound } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import type { ProjectRecord } from '../state/types.ts';
import { currentUser, loadProject, sortBy } from './common.ts';

const ORDERS = [
  'id',
  'name',
  'path',
  'created_at',
  'updated_at',
  'last_activity_at',
  'similarity',
  'star_count',
] as const;

function projectKey(ctx: Ctx, order: string) {
  const store = ctx.rt.store;
  return (p: ProjectRecord): number | string => {
    if (order === 'name') return p.name.toLowerCase();
    if (order === 'path') return store.projectFullPath(p).toLowerCase();
    if (order === 'last_activity_at' || order === 'updated_at') return p.lastActivityAt * 1e6 + p.id;
    if (order === 'created_at') return p.createdAt * 1e6 + p.id;
    return p.id;
  };
}

/** Filters, sorts and pages a list of projects the way GET /projects does. */
function listProjects(ctx: Ctx, candidates: ProjectRecord[]) {
  const store = ctx.rt.store;
  const user = ctx.user;
  const membership = bool(ctx.input, 'membership') ?? false;
  const owned = bool(ctx.input, 'owned') ?? false;
  const minAccess = int(ctx.input, 'min_access_level');
  const search = str(ctx.input, 'search')?.toLowerCase();
  const searchNamespaces = bool(ctx.input, 'search_namespaces') ?? false;
  const visibility = oneOf(ctx.input, 'visibility', ['private', 'internal', 'public'] as const);
  const order = oneOf(ctx.input, 'order_by', ORDERS) ?? 'created_at';
  const sort = oneOf(ctx.input, 'sort', ['asc', 'desc'] as const) ?? 'desc';
  const simple = bool(ctx.input, 'simple') ?? false;
  if (bool(ctx.input, 'starred')) return paginate(ctx, [], () => null);
  let items = candidates.filter((p) => canReadProject(store, user, p));
  if (membership || minAccess !== undefined || owned) {
    const need = owned ? 50 : Math.max(minAccess ?? 10, 10);
    items = items.filter((p) => (user ? store.projectAccess(user.id, p) : 0) >= need);
  }
  if (visibility) items = items.filter((p) => p.visibility === visibility);
  if (search) {
    items = items.filter(
      (p) =>
        p.name.toLowerCase().includes(search) ||
        p.path.toLowerCase().includes(search) ||
        (searchNamespaces && store.projectFullPath(p).toLowerCase().includes(search)),
    );
  }
  const map = (p: ProjectRecord) =>
    simple && user ? projectSimple(store, ctx.rt.url, p) : projectFull(store, ctx.rt.url, p, user);
  if (isKeyset(ctx)) {
    if (order !== 'id') {
      throw new HttpError(json(405, { error: 'Keyset pagination is not yet available for this type of request' }));
    }
    return keysetPage(
      ctx,
      sortBy(items, (p) => p.id, sort),
      (p) => p.id,
      sort,
      map,
      'id_after',
    );
  }
  return paginate(ctx, sortBy(items, projectKey(ctx, order), sort), map);
}

function getUser(ctx: Ctx) {
  return json(200, userPublic(ctx.rt.url, currentUser(ctx)));
}

function listUsers(ctx: Ctx) {
  const username = str(ctx.input, 'username');
  const search = str(ctx.input, 'search')?.toLowerCase();
  let users = ctx.rt.store.data.users;
  if (username) users = users.filter((u) => u.username.toLowerCase() === username.toLowerCase());
  if (search)
    users = users.filter(
      (u) => u.username.includes(search) || u.name.toLowerCase().includes(search) || u.email === search,
    );
  return paginate(ctx, users, (u) => userBasic(ctx.rt.url, u));
}

function getUserById(ctx: Ctx) {
  const u = ctx.rt.store.user(Number(ctx.params.user_id));
  if (!u) throw notFound('User');
  return json(200, { ...userBasic(ctx.rt.url, u), created_at: iso(u.createdAt), bio: '', bot: false });
}

function groupProjects(ctx: Ctx) {
  const store = ctx.rt.store;
  const raw = ctx.params.id ?? '';
  const group = /^\d+$/.test(raw) ? store.group(Number(raw)) : store.groupByPath(raw);
  if (!group || !canReadGroup(store, ctx.user, group)) throw notFound('Group');
  const ids = new Set([group.id]);
  if (bool(ctx.input, 'include_subgroups')) for (const g of store.descendantGroups(group.id)) ids.add(g.id);
  return listProjects(
    ctx,
    store.data.projects.filter((p) => p.groupId !== null && ids.has(p.groupId)),
  );
}

function listTodos(ctx: Ctx) {
  const user = currentUser(ctx);
  const store = ctx.rt.store;
  const state = str(ctx.input, 'state') ?? 'pending';
  const todos = store.data.todos
    .filter((t) => t.userId === user.id && (state === 'all' || t.state === state))
    .reverse();
  return paginate(ctx, todos, (t) => {
    const issue = store.issueById(t.issueId);
    const project = store.project(t.projectId);
    const author = store.user(t.authorId);
    return {
      id: t.id,
      project: project
        ? { id: project.id, name: project.name, path_with_namespace: store.projectFullPath(project) }
        : null,
      author: author ? userBasic(ctx.rt.url, author) : null,
      action_name: t.actionName,
      target_type: 'Issue',
      target: issue ? issueEntity(store, ctx.rt.url, issue, user.id) : null,
      target_url:
        issue && project
          ? `${ctx.rt.url}/${store.projectFullPath(project)}/-/issues/${issue.iid}${t.noteId ? `#note_${t.noteId}` : ''}`
          : null,
      body: t.body,
      state: t.state,
      created_at: iso(t.createdAt),
      updated_at: iso(t.createdAt),
    };
  });
}

export const projectRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v4/user', auth: 'user', handler: getUser },
  { method: 'GET', pattern: '/api/v4/users', auth: 'optional', handler: listUsers },
  { method: 'GET', pattern: '/api/v4/users/:user_id', auth: 'optional', handler: getUserById },
  { method: 'GET', pattern: '/api/v4/todos', auth: 'read', handler: listTodos },
  {
    method: 'GET',
    pattern: '/api/v4/projects',
    auth: 'optional',
    limit: 'projects_api',
    handler: (ctx) => listProjects(ctx, ctx.rt.store.data.projects),
  },
  {
    method: 'GET',
    pattern: '/api/v4/projects/:id',
    auth: 'optional',
    handler: (ctx) => json(200, projectFull(ctx.rt.store, ctx.rt.url, loadProject(ctx), ctx.user)),
  },
  {
    method: 'GET',
    pattern: '/api/v4/groups/:id/projects',
    auth: 'optional',
    limit: 'group_projects_api',
    handler: groupProjects,
  },
];

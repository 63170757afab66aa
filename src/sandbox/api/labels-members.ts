// Project labels (list, create with 409 on duplicates), milestones and members (for pickers).
import { canAdminLabels } from '../auth/permissions.ts';
import { label as labelEntity, member, milestone } from '../entities/basic.ts';
import { paginate } from '../http/pagination.ts';
import { bool, int, oneOf, requiredStr, str } from '../http/params.ts';
import { conflict, json, missing, validation } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import { currentUser, ensure, loadProject, sortBy } from './common.ts';

const CSS_COLORS = new Set([
  'red',
  'green',
  'blue',
  'black',
  'white',
  'orange',
  'yellow',
  'purple',
  'gray',
  'grey',
  'pink',
  'brown',
  'cyan',
  'magenta',
  'navy',
  'teal',
  'olive',
  'maroon',
  'lime',
  'silver',
  'gold',
  'indigo',
  'violet',
]);

function listLabels(ctx: Ctx) {
  const store = ctx.rt.store;
  const project = loadProject(ctx);
  const withCounts = bool(ctx.input, 'with_counts') ?? false;
  const search = str(ctx.input, 'search')?.toLowerCase();
  let labels = store.projectLabels(project.id);
  if (search) labels = labels.filter((l) => l.name.toLowerCase().includes(search));
  const issues = store.projectIssues(project.id);
  return paginate(
    ctx,
    sortBy(labels, (l) => l.name.toLowerCase(), 'asc'),
    (l) =>
      labelEntity(
        l,
        withCounts
          ? {
              open: issues.filter((i) => i.state === 'opened' && i.labelIds.includes(l.id)).length,
              closed: issues.filter((i) => i.state === 'closed' && i.labelIds.includes(l.id)).length,
            }
          : undefined,
      ),
  );
}

function createLabel(ctx: Ctx) {
  const user = currentUser(ctx);
  const store = ctx.rt.store;
  const project = loadProject(ctx);
  const name = requiredStr(ctx.input, 'name').trim();
  const color = str(ctx.input, 'color');
  if (color === undefined || color === '') throw missing('color');
  ensure(canAdminLabels(store, user, project));
  const errors: Record<string, string[]> = {};
  if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) && !CSS_COLORS.has(color.toLowerCase()))
    errors.color = ['must be a valid color code'];
  if (name.includes(',')) errors.title = ['is invalid'];
  if (name.length > 255) errors.title = ['is too long (maximum is 255 characters)'];
  if (Object.keys(errors).length > 0) throw validation(errors);
  if (store.labelByName(project.id, name)) throw conflict('Label already exists');
  const now = store.now();
  const label = store.addLabel({
    id: store.nextId('label'),
    projectId: project.id,
    name,
    color: color.startsWith('#') ? color : color.toLowerCase(),
    description: str(ctx.input, 'description') ?? null,
    priority: int(ctx.input, 'priority') ?? null,
    createdAt: now,
    updatedAt: now,
  });
  return json(201, labelEntity(label));
}

function listMilestones(ctx: Ctx) {
  const store = ctx.rt.store;
  const project = loadProject(ctx);
  const state = oneOf(ctx.input, 'state', ['active', 'closed'] as const);
  const search = str(ctx.input, 'search')?.toLowerCase();
  const title = str(ctx.input, 'title');
  let items = store.data.milestones.filter((m) => m.projectId === project.id);
  if (state) items = items.filter((m) => m.state === state);
  if (search) items = items.filter((m) => m.title.toLowerCase().includes(search));
  if (title) items = items.filter((m) => m.title === title);
  const path = store.projectFullPath(project);
  return paginate(
    ctx,
    sortBy(items, (m) => m.id, 'desc'),
    (m) => milestone(ctx.rt.url, path, m),
  );
}

function listMembers(ctx: Ctx, inherited: boolean) {
  const store = ctx.rt.store;
  const project = loadProject(ctx);
  const query = str(ctx.input, 'query')?.toLowerCase();
  const rows = store.data.users.flatMap((u) => {
    const direct = store.directMember('project', project.id, u.id);
    const level = inherited ? store.projectAccess(u.id, project) : (direct?.accessLevel ?? 0);
    return level > 0 ? [{ u, level, direct }] : [];
  });
  const filtered = query
    ? rows.filter((r) => r.u.username.includes(query) || r.u.name.toLowerCase().includes(query))
    : rows;
  return paginate(ctx, filtered, (r) => member(ctx.rt.url, r.u, r.level, r.direct));
}

export const labelMemberRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v4/projects/:id/labels', auth: 'optional', handler: listLabels },
  { method: 'POST', pattern: '/api/v4/projects/:id/labels', auth: 'write', handler: createLabel },
  { method: 'GET', pattern: '/api/v4/projects/:id/milestones', auth: 'optional', handler: listMilestones },
  {
    method: 'GET',
    pattern: '/api/v4/projects/:id/members',
    auth: 'optional',
    handler: (ctx) => listMembers(ctx, false),
  },
  {
    method: 'GET',
    pattern: '/api/v4/projects/:id/members/all',
    auth: 'optional',
    handler: (ctx) => listMembers(ctx, true),
  },
];

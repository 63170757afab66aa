// GET /groups, /groups/:id, /groups/:id/subgroups, /groups/:id/descendant_groups.
import { canReadGroup } from '../auth/permissions.ts';
import { group as groupEntity } from '../entities/basic.ts';
import { paginate } from '../http/pagination.ts';
import { bool, int, oneOf, str } from '../http/params.ts';
import { json, notFound } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import type { GroupRecord } from '../state/types.ts';
import { sortBy } from './common.ts';

function loadGroup(ctx: Ctx): GroupRecord {
  const store = ctx.rt.store;
  const raw = ctx.params.id ?? '';
  const g = /^\d+$/.test(raw) ? store.group(Number(raw)) : store.groupByPath(raw);
  if (!g || !canReadGroup(store, ctx.user, g)) throw notFound('Group');
  return g;
}

function listGroups(ctx: Ctx, candidates: GroupRecord[], defaultAll: boolean) {
  const store = ctx.rt.store;
  const user = ctx.user;
  const allAvailable = bool(ctx.input, 'all_available') ?? (defaultAll || !user || user.admin);
  const minAccess = int(ctx.input, 'min_access_level');
  const owned = bool(ctx.input, 'owned') ?? false;
  const search = str(ctx.input, 'search')?.toLowerCase();
  const topLevel = bool(ctx.input, 'top_level_only') ?? false;
  const order = oneOf(ctx.input, 'order_by', ['name', 'path', 'id', 'similarity'] as const) ?? 'name';
  const sort = oneOf(ctx.input, 'sort', ['asc', 'desc'] as const) ?? 'asc';
  let items = candidates.filter((g) => canReadGroup(store, user, g));
  const level = (g: GroupRecord) => (user ? store.groupAccess(user.id, g.id) : 0);
  if (!allAvailable || minAccess !== undefined || owned) {
    const need = owned ? 50 : Math.max(minAccess ?? 10, 10);
    items = items.filter((g) => level(g) >= need);
  }
  if (search)
    items = items.filter((g) => g.name.toLowerCase().includes(search) || g.path.toLowerCase().includes(search));
  if (topLevel) items = items.filter((g) => g.parentId === null);
  const key = (g: GroupRecord): string | number =>
    order === 'id' ? g.id : order === 'path' ? g.fullPath : g.name.toLowerCase();
  return paginate(ctx, sortBy(items, key, sort), (g) => groupEntity(ctx.rt.url, g));
}

export const groupRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v4/groups',
    auth: 'optional',
    limit: 'groups_api',
    handler: (ctx) => listGroups(ctx, ctx.rt.store.data.groups, false),
  },
  {
    method: 'GET',
    pattern: '/api/v4/groups/:id',
    auth: 'optional',
    handler: (ctx) =>
      json(200, {
        ...groupEntity(ctx.rt.url, loadGroup(ctx)),
        shared_with_groups: [],
        projects: [],
        shared_projects: [],
      }),
  },
  {
    method: 'GET',
    pattern: '/api/v4/groups/:id/subgroups',
    auth: 'optional',
    handler: (ctx) => {
      const g = loadGroup(ctx);
      return listGroups(
        ctx,
        ctx.rt.store.data.groups.filter((x) => x.parentId === g.id),
        true,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/api/v4/groups/:id/descendant_groups',
    auth: 'optional',
    handler: (ctx) => listGroups(ctx, ctx.rt.store.descendantGroups(loadGroup(ctx).id), true),
  },
];

// The project picker: projects where the connected user can create issues (Planner or higher, direct or
// inherited), searchable and paged as the user scrolls. With "include group resources", also every
// project of every group and subgroup the user belongs to, at any depth, without duplicates: those come
// from the user's top-most groups (include_subgroups), and the user's own projects that sit inside
// those groups are left out of the first list. Stateless: the cursor carries the plan. (GitLab's group
// project lists carry no `permissions`, and inherited access shows as null there, so access levels are
// not used to deduplicate; the access level is checked when a project is saved.)
import type { GitlabClient, GitlabGroup, GitlabProject } from './client.ts';
import { GitlabError } from './errors.ts';

export const PLANNER = 15;
export const REPORTER = 20;
export const MAINTAINER = 40;
const PER_PAGE = 50;

export interface PickerProject {
  id: number;
  name: string;
  pathWithNamespace: string;
  namespace: string;
  webUrl: string;
  avatarUrl: string | null;
}

interface Cursor {
  source: number; // 0: the user's projects; 1..n: group[source-1]
  page: number;
  /** With group resources: the user's top-most groups (ids and full paths). */
  groups?: { id: number; path: string }[];
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(value: string | undefined): Cursor {
  if (!value) return { source: 0, page: 1 };
  try {
    const c = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
    if (Number.isInteger(c.source) && Number.isInteger(c.page) && c.page >= 1) return c;
  } catch {
    // fall through
  }
  throw new GitlabError('invalid', 'the page cursor is not valid; start again');
}

const toPicker = (p: GitlabProject): PickerProject => ({
  id: p.id,
  name: p.name,
  pathWithNamespace: p.path_with_namespace,
  namespace: p.namespace?.full_path ?? p.path_with_namespace.split('/').slice(0, -1).join('/'),
  webUrl: p.web_url,
  avatarUrl: p.avatar_url,
});

/** The user's groups that have no ancestor among the user's groups. */
export function topMostGroups(groups: GitlabGroup[]): GitlabGroup[] {
  const paths = new Set(groups.map((g) => g.full_path));
  return groups.filter((g) => {
    const parts = g.full_path.split('/');
    for (let i = 1; i < parts.length; i++) if (paths.has(parts.slice(0, i).join('/'))) return false;
    return true;
  });
}

/** One page for the picker. A GitLab page that filtering leaves empty is followed at once (up to a few
 * calls), so a person is not shown an empty list with more behind it. */
export async function listPickerProjects(
  client: GitlabClient,
  options: { search?: string; includeGroups: boolean; cursor?: string },
): Promise<{ projects: PickerProject[]; nextCursor: string | null }> {
  let page = await listPickerPage(client, options);
  for (let calls = 1; page.projects.length === 0 && page.nextCursor !== null && calls < 5; calls++) {
    page = await listPickerPage(client, { ...options, cursor: page.nextCursor });
  }
  return page;
}

async function listPickerPage(
  client: GitlabClient,
  options: { search?: string; includeGroups: boolean; cursor?: string },
): Promise<{ projects: PickerProject[]; nextCursor: string | null }> {
  let cursor = decodeCursor(options.cursor);
  if (options.includeGroups && !cursor.groups) {
    const groups = topMostGroups(await client.groups({ min_access_level: 10 })).map((g) => ({
      id: g.id,
      path: g.full_path,
    }));
    cursor = { ...cursor, groups };
  }
  const groups = cursor.groups ?? [];
  const search = options.search?.trim() || undefined;
  const common = { search, order_by: 'path', sort: 'asc', per_page: PER_PAGE, page: cursor.page } as const;
  const next = (hasMore: boolean): string | null => {
    if (hasMore) return encodeCursor({ ...cursor, page: cursor.page + 1 });
    if (options.includeGroups && cursor.source < groups.length)
      return encodeCursor({ source: cursor.source + 1, page: 1, groups });
    return null;
  };
  if (cursor.source === 0) {
    const page = await client.projects({ ...common, membership: true, min_access_level: PLANNER });
    const inGroups = (p: GitlabProject) => groups.some((g) => p.path_with_namespace.startsWith(`${g.path}/`));
    return { projects: page.items.filter((p) => !inGroups(p)).map(toPicker), nextCursor: next(page.nextPage !== null) };
  }
  const group = groups[cursor.source - 1];
  if (!group) return { projects: [], nextCursor: null };
  const page = await client.groupProjects(group.id, { ...common, include_subgroups: true, with_shared: false });
  return { projects: page.items.map(toPicker), nextCursor: next(page.nextPage !== null) };
}

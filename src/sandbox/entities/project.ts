// Project entities: BasicProjectDetails (simple=true) and ProjectWithAccess (the full shape).
import type { Store } from '../state/store.ts';
import type { ProjectRecord, UserRecord } from '../state/types.ts';
import { iso, userBasic } from './basic.ts';

function namespaceOf(store: Store, base: string, p: ProjectRecord) {
  if (p.groupId !== null) {
    const g = store.group(p.groupId);
    return {
      id: g?.id ?? 0,
      name: g?.name ?? '',
      path: g?.path ?? '',
      kind: 'group',
      full_path: g?.fullPath ?? '',
      parent_id: g?.parentId ?? null,
      avatar_url: null,
      web_url: `${base}/groups/${g?.fullPath ?? ''}`,
    };
  }
  const u = store.user(p.ownerUserId ?? 0);
  return {
    id: 100000 + (u?.id ?? 0),
    name: u?.name ?? '',
    path: u?.username ?? '',
    kind: 'user',
    full_path: u?.username ?? '',
    parent_id: null,
    avatar_url: null,
    web_url: `${base}/${u?.username ?? ''}`,
  };
}

function nameWithNamespace(store: Store, p: ProjectRecord): string {
  const chain =
    p.groupId !== null
      ? store
          .groupChain(p.groupId)
          .reverse()
          .map((g) => g.name)
      : [store.user(p.ownerUserId ?? 0)?.name ?? ''];
  return [...chain, p.name].join(' / ');
}

export function projectSimple(store: Store, base: string, p: ProjectRecord) {
  const full = store.projectFullPath(p);
  const host = new URL(base).host;
  return {
    id: p.id,
    description: p.description,
    name: p.name,
    name_with_namespace: nameWithNamespace(store, p),
    path: p.path,
    path_with_namespace: full,
    created_at: iso(p.createdAt),
    default_branch: 'main',
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${host.split(':')[0]}:${full}.git`,
    http_url_to_repo: `${base}/${full}.git`,
    web_url: `${base}/${full}`,
    readme_url: `${base}/${full}/-/blob/main/README.md`,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: iso(p.lastActivityAt),
    namespace: namespaceOf(store, base, p),
  };
}

export function projectFull(store: Store, base: string, p: ProjectRecord, viewer: UserRecord | null) {
  const simple = projectSimple(store, base, p);
  const api = `${base}/api/v4/projects/${p.id}`;
  const openIssues = store.projectIssues(p.id).filter((i) => i.state === 'opened').length;
  const out: Record<string, unknown> = {
    ...simple,
    container_registry_image_prefix: `registry.${new URL(base).hostname}/${simple.path_with_namespace}`,
    _links: {
      self: api,
      issues: `${api}/issues`,
      merge_requests: `${api}/merge_requests`,
      repo_branches: `${api}/repository/branches`,
      labels: `${api}/labels`,
      events: `${api}/events`,
      members: `${api}/members`,
      cluster_agents: `${api}/cluster_agents`,
    },
    packages_enabled: true,
    visibility: p.visibility,
    empty_repo: false,
    archived: false,
    resolve_outdated_diff_discussions: false,
    container_registry_enabled: true,
    issues_enabled: true,
    merge_requests_enabled: true,
    wiki_enabled: true,
    jobs_enabled: true,
    snippets_enabled: true,
    issues_access_level: 'enabled',
    merge_requests_access_level: 'enabled',
    creator_id: p.ownerUserId ?? 1,
    import_status: 'none',
    open_issues_count: openIssues,
    description_html: p.description
      ? `<p data-sourcepos="1:1-1:${p.description.length}" dir="auto">${p.description}</p>`
      : '',
    updated_at: iso(p.lastActivityAt),
    public_jobs: true,
    shared_with_groups: [],
    only_allow_merge_if_pipeline_succeeds: false,
    request_access_enabled: true,
    remove_source_branch_after_merge: true,
    printing_merge_request_link_enabled: true,
    merge_method: 'merge',
    squash_option: 'default_off',
    autoclose_referenced_issues: true,
    issue_branch_template: null,
  };
  if (p.ownerUserId !== null) {
    const owner = store.user(p.ownerUserId);
    if (owner) out.owner = userBasic(base, owner);
  }
  if (viewer) {
    const direct = store.directMember('project', p.id, viewer.id);
    const groupLevel = p.groupId !== null ? store.groupAccess(viewer.id, p.groupId) : 0;
    out.permissions = {
      project_access: direct ? { access_level: direct.accessLevel, notification_level: 3 } : null,
      group_access: groupLevel > 0 ? { access_level: groupLevel, notification_level: 3 } : null,
    };
  }
  return out;
}

/** The project object inside webhook payloads. */
export function hookProject(store: Store, base: string, p: ProjectRecord) {
  const full = store.projectFullPath(p);
  const host = new URL(base).hostname;
  const visibilityLevel = p.visibility === 'public' ? 20 : p.visibility === 'internal' ? 10 : 0;
  const ns = p.groupId !== null ? (store.group(p.groupId)?.name ?? '') : (store.user(p.ownerUserId ?? 0)?.name ?? '');
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    web_url: `${base}/${full}`,
    avatar_url: null,
    git_ssh_url: `git@${host}:${full}.git`,
    git_http_url: `${base}/${full}.git`,
    namespace: ns,
    visibility_level: visibilityLevel,
    path_with_namespace: full,
    default_branch: 'main',
    ci_config_path: null,
    homepage: `${base}/${full}`,
    url: `git@${host}:${full}.git`,
    ssh_url: `git@${host}:${full}.git`,
    http_url: `${base}/${full}.git`,
  };
}

// REST entities shaped like GitLab's (lib/api/entities/*): users, groups, labels, milestones, members.
import type { Store } from '../state/store.ts';
import type { GroupRecord, LabelRecord, MemberRecord, MilestoneRecord, UserRecord } from '../state/types.ts';

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Webhook timestamps: `2015-05-17 17:06:40 UTC`. */
export function hookTime(ms: number | null): string | null {
  return ms === null ? null : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Where the sandbox serves the user's avatar itself (GitLab self-managed's upload path; never a third party). */
export function avatarUrl(base: string, user: UserRecord): string {
  return `${base}/uploads/-/system/user/avatar/${user.id}/avatar.svg`;
}

/** UserBasic */
export function userBasic(base: string, user: UserRecord) {
  return {
    id: user.id,
    username: user.username,
    public_email: null,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: avatarUrl(base, user),
    web_url: `${base}/${user.username}`,
  };
}

/** UserPublic (GET /user), plus is_admin for admins. */
export function userPublic(base: string, user: UserRecord) {
  const out: Record<string, unknown> = {
    ...userBasic(base, user),
    created_at: iso(user.createdAt),
    bio: '',
    location: '',
    linkedin: '',
    twitter: '',
    discord: '',
    website_url: '',
    github: '',
    job_title: '',
    pronouns: null,
    organization: '',
    bot: false,
    work_information: null,
    local_time: null,
    last_sign_in_at: iso(user.createdAt),
    confirmed_at: iso(user.createdAt),
    last_activity_on: new Date(user.createdAt).toISOString().slice(0, 10),
    email: user.email,
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: 100000,
    current_sign_in_at: iso(user.createdAt),
    identities: [],
    can_create_group: true,
    can_create_project: true,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: user.email,
    preferred_language: 'en',
  };
  if (user.admin) out.is_admin = true;
  return out;
}

export function group(base: string, g: GroupRecord) {
  return {
    id: g.id,
    web_url: `${base}/groups/${g.fullPath}`,
    name: g.name,
    path: g.path,
    description: g.description,
    visibility: g.visibility,
    share_with_group_lock: false,
    require_two_factor_authentication: false,
    two_factor_grace_period: 48,
    project_creation_level: 'developer',
    auto_devops_enabled: null,
    subgroup_creation_level: 'maintainer',
    emails_disabled: false,
    emails_enabled: true,
    mentions_disabled: null,
    lfs_enabled: true,
    default_branch: null,
    default_branch_protection: 2,
    avatar_url: null,
    request_access_enabled: true,
    full_name: g.fullPath.split('/').length > 1 ? g.fullPath.split('/').join(' / ') : g.name,
    full_path: g.fullPath,
    created_at: iso(g.createdAt),
    parent_id: g.parentId,
    organization_id: 1,
    shared_runners_setting: 'enabled',
    ldap_cn: null,
    ldap_access: null,
    wiki_access_level: 'enabled',
    marked_for_deletion_on: null,
    archived: false,
  };
}

export function groupFullName(store: Store, g: GroupRecord): string {
  return store
    .groupChain(g.id)
    .reverse()
    .map((x) => x.name)
    .join(' / ');
}

/** LabelBasic (issues with with_labels_details=true). */
export function labelBasic(l: LabelRecord) {
  return {
    id: l.id,
    name: l.name,
    description: l.description,
    description_html: l.description ?? '',
    text_color: textColor(l.color),
    color: l.color,
  };
}

/** Label entity of GET/POST /projects/:id/labels. */
export function label(l: LabelRecord, counts?: { open: number; closed: number }) {
  const out: Record<string, unknown> = {
    id: l.id,
    name: l.name,
    description: l.description,
    description_html: l.description ?? '',
    text_color: textColor(l.color),
    color: l.color,
    subscribed: false,
    priority: l.priority,
    is_project_label: true,
    archived: false,
  };
  if (counts) {
    out.open_issues_count = counts.open;
    out.closed_issues_count = counts.closed;
    out.open_merge_requests_count = 0;
  }
  return out;
}

/** Label as it appears inside webhook payloads. */
export function hookLabel(l: LabelRecord) {
  return {
    id: l.id,
    title: l.name,
    color: l.color,
    project_id: l.projectId,
    created_at: hookTime(l.createdAt),
    updated_at: hookTime(l.updatedAt),
    template: false,
    description: l.description,
    type: 'ProjectLabel',
    group_id: null,
  };
}

export function textColor(color: string): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (!m?.[1]) return '#FFFFFF';
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  return r * 0.299 + g * 0.587 + b * 0.114 > 186 ? '#1F1E24' : '#FFFFFF';
}

export function milestone(base: string, projectPath: string, m: MilestoneRecord) {
  return {
    id: m.id,
    iid: m.iid,
    project_id: m.projectId,
    title: m.title,
    description: m.description,
    state: m.state,
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    due_date: m.dueDate,
    start_date: m.startDate,
    expired: m.dueDate !== null && m.dueDate < new Date().toISOString().slice(0, 10),
    web_url: `${base}/${projectPath}/-/milestones/${m.iid}`,
  };
}

export function member(base: string, user: UserRecord, accessLevel: number, m?: MemberRecord) {
  return {
    ...userBasic(base, user),
    access_level: accessLevel,
    created_at: iso(m?.createdAt ?? user.createdAt),
    created_by: null,
    expires_at: null,
    group_saml_identity: null,
    membership_state: 'active',
  };
}

// Typed calls for the GitLab endpoints Vulnbridge uses.
import { GitlabHttp, type GitlabHttpOptions, type Page, type Query } from './http.ts';

export interface GitlabUser {
  id: number;
  username: string;
  name: string;
  avatar_url: string | null;
  web_url?: string;
}

export interface GitlabNamespace {
  id: number;
  name: string;
  path: string;
  kind: string;
  full_path: string;
  parent_id: number | null;
}

export interface GitlabProject {
  id: number;
  name: string;
  name_with_namespace: string;
  path_with_namespace: string;
  web_url: string;
  avatar_url: string | null;
  namespace: GitlabNamespace;
  permissions?: {
    project_access: { access_level: number } | null;
    group_access: { access_level: number } | null;
  };
}

export interface GitlabGroup {
  id: number;
  name: string;
  full_path: string;
  parent_id: number | null;
}

export interface GitlabLabel {
  id: number;
  name: string;
  color: string;
}

export interface GitlabHook {
  id: number;
  url: string;
  issues_events: boolean;
  confidential_issues_events: boolean;
  note_events: boolean;
  confidential_note_events: boolean;
}

export interface GitlabIssue {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed';
  web_url: string;
  labels: string[];
  confidential: boolean;
  assignees?: { id: number; username: string; name: string; avatar_url: string | null }[];
  updated_at: string;
  moved_to_id?: number | null;
  author?: { id: number; username: string };
}

export interface NewIssue {
  title: string;
  description: string;
  labels: string[];
  assignee_ids?: number[];
  milestone_id?: number;
  due_date?: string;
  confidential?: boolean;
}

export interface GitlabNote {
  id: number;
  body: string;
  system: boolean;
  internal?: boolean;
  confidential?: boolean;
  author: { id: number; username: string; name: string; avatar_url: string | null };
  created_at: string;
  updated_at: string;
}

export interface GitlabMilestone {
  id: number;
  iid: number;
  title: string;
  state: string;
}

export interface GitlabMember {
  id: number;
  username: string;
  name?: string;
  avatar_url?: string | null;
  access_level: number;
}

const enc = (id: number | string) => encodeURIComponent(String(id));

export class GitlabClient {
  readonly http: GitlabHttp;
  constructor(options: GitlabHttpOptions) {
    this.http = new GitlabHttp(options);
  }

  async currentUser(): Promise<GitlabUser> {
    return (await this.http.request<GitlabUser>('GET', '/user')).data;
  }

  projects(query: Query): Promise<Page<GitlabProject>> {
    return this.http.page<GitlabProject>('/projects', query);
  }

  groups(query: Query): Promise<GitlabGroup[]> {
    return this.http.all<GitlabGroup>('/groups', query);
  }

  groupProjects(groupId: number, query: Query): Promise<Page<GitlabProject>> {
    return this.http.page<GitlabProject>(`/groups/${groupId}/projects`, query);
  }

  async project(id: number | string): Promise<GitlabProject> {
    return (await this.http.request<GitlabProject>('GET', `/projects/${enc(id)}`)).data;
  }

  /** The user's effective access level in a project (direct or inherited), 0 when none. Uses the
   * members list filtered by `query` (supported by every GitLab version), matched by user id. */
  async accessLevel(projectId: number, user: { id: number; username: string }): Promise<number> {
    const members = await this.http.all<GitlabMember>(`/projects/${projectId}/members/all`, { query: user.username });
    return members.find((m) => m.id === user.id)?.access_level ?? 0;
  }

  labels(projectId: number, search?: string): Promise<GitlabLabel[]> {
    return this.http.all<GitlabLabel>(`/projects/${projectId}/labels`, search ? { search } : {});
  }

  async createLabel(
    projectId: number,
    label: { name: string; color: string; description?: string },
  ): Promise<GitlabLabel> {
    return (await this.http.request<GitlabLabel>('POST', `/projects/${projectId}/labels`, { body: label })).data;
  }

  /** POST an issue. Never retried by the transport: the caller looks for it by its ID label first. */
  async createIssue(projectId: number, issue: NewIssue): Promise<GitlabIssue> {
    const body = { ...issue, labels: issue.labels.join(',') };
    return (await this.http.request<GitlabIssue>('POST', `/projects/${projectId}/issues`, { body })).data;
  }

  /** Issues carrying a label (our finding-ID label), open or closed. */
  async issuesWithLabel(projectId: number, label: string): Promise<GitlabIssue[]> {
    return (
      await this.http.page<GitlabIssue>(`/projects/${projectId}/issues`, { labels: label, state: 'all', per_page: 20 })
    ).items;
  }

  /** Up to 100 issues by iid in one call. */
  async issuesByIids(projectId: number, iids: number[]): Promise<GitlabIssue[]> {
    return (await this.http.page<GitlabIssue>(`/projects/${projectId}/issues`, { iids, state: 'all', per_page: 100 }))
      .items;
  }

  async issue(projectId: number, iid: number): Promise<GitlabIssue> {
    return (await this.http.request<GitlabIssue>('GET', `/projects/${projectId}/issues/${iid}`)).data;
  }

  /** Adds labels without touching the others (never replaces the list). */
  async addLabels(projectId: number, iid: number, labels: string[]): Promise<GitlabIssue> {
    return (
      await this.http.request<GitlabIssue>('PUT', `/projects/${projectId}/issues/${iid}`, {
        body: { add_labels: labels.join(',') },
      })
    ).data;
  }

  /** Deletes an issue (GitLab allows it to project Owners and administrators only). */
  async deleteIssue(projectId: number, iid: number): Promise<void> {
    await this.http.request('DELETE', `/projects/${projectId}/issues/${iid}`);
  }

  /** Closes an issue and takes labels off it, leaving every other label as it is. */
  async closeIssue(projectId: number, iid: number, removeLabels: string[]): Promise<GitlabIssue> {
    const body = { state_event: 'close', ...(removeLabels.length ? { remove_labels: removeLabels.join(',') } : {}) };
    return (await this.http.request<GitlabIssue>('PUT', `/projects/${projectId}/issues/${iid}`, { body })).data;
  }

  /** Issues with a label updated after a time, every page, oldest change first. */
  issuesUpdatedAfter(projectId: number, label: string, after: string | null): Promise<GitlabIssue[]> {
    return this.http.all<GitlabIssue>(`/projects/${projectId}/issues`, {
      labels: label,
      state: 'all',
      order_by: 'updated_at',
      sort: 'asc',
      ...(after ? { updated_after: after } : {}),
    });
  }

  notes(projectId: number, iid: number): Promise<GitlabNote[]> {
    return this.http.all<GitlabNote>(`/projects/${projectId}/issues/${iid}/notes`, {
      sort: 'asc',
      order_by: 'created_at',
    });
  }

  async note(projectId: number, iid: number, noteId: number): Promise<GitlabNote> {
    return (await this.http.request<GitlabNote>('GET', `/projects/${projectId}/issues/${iid}/notes/${noteId}`)).data;
  }

  /** POST a note. Never retried by the transport: the caller looks for its marker first. */
  async createNote(projectId: number, iid: number, body: string, internal = false): Promise<GitlabNote> {
    return (
      await this.http.request<GitlabNote>('POST', `/projects/${projectId}/issues/${iid}/notes`, {
        body: { body, ...(internal ? { internal: true } : {}) },
      })
    ).data;
  }

  members(projectId: number): Promise<GitlabMember[]> {
    return this.http.all<GitlabMember>(`/projects/${projectId}/members/all`, {}, 20);
  }

  milestones(projectId: number): Promise<GitlabMilestone[]> {
    return this.http.all<GitlabMilestone>(`/projects/${projectId}/milestones`, { state: 'active' }, 20);
  }

  hooks(projectId: number): Promise<GitlabHook[]> {
    return this.http.all<GitlabHook>(`/projects/${projectId}/hooks`);
  }

  async createHook(projectId: number, hook: { url: string; token: string }): Promise<GitlabHook> {
    const body = {
      url: hook.url,
      token: hook.token,
      issues_events: true,
      confidential_issues_events: true,
      note_events: true,
      confidential_note_events: true,
      push_events: false,
      enable_ssl_verification: true,
    };
    return (await this.http.request<GitlabHook>('POST', `/projects/${projectId}/hooks`, { body })).data;
  }

  async deleteHook(projectId: number, hookId: number): Promise<void> {
    await this.http.request('DELETE', `/projects/${projectId}/hooks/${hookId}`);
  }
}

// Issue, Note and ProjectHook entities (doc/api/issues.md, notes.md, project_webhooks.md).
import type { Store } from '../state/store.ts';
import type { HookRecord, IssueRecord, NoteRecord, ProjectRecord } from '../state/types.ts';
import { iso, milestone, userBasic } from './basic.ts';

export function issueWebUrl(store: Store, base: string, p: ProjectRecord, iid: number): string {
  return `${base}/${store.projectFullPath(p)}/-/issues/${iid}`;
}

export function issueEntity(store: Store, base: string, issue: IssueRecord, viewerId: number | null) {
  const p = store.project(issue.projectId) as ProjectRecord;
  const full = store.projectFullPath(p);
  const api = `${base}/api/v4/projects/${p.id}`;
  const assignees = issue.assigneeIds.flatMap((id) => {
    const u = store.user(id);
    return u ? [userBasic(base, u)] : [];
  });
  const author = store.user(issue.authorId);
  const closer = issue.closedById === null ? undefined : store.user(issue.closedById);
  const ms = issue.milestoneId === null ? undefined : store.data.milestones.find((m) => m.id === issue.milestoneId);
  const notes = store.issueNotes(issue.id).filter((n) => !n.system).length;
  const tasks = [...issue.description.matchAll(/^\s*[-*+] \[( |x|X)\]/gm)];
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: issue.projectId,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: iso(issue.closedAt),
    closed_by: closer ? userBasic(base, closer) : null,
    // Entities::IssueBasic: `issue.labels.map(&:title).sort`
    labels: issue.labelIds
      .flatMap((id) => {
        const l = store.label(id);
        return l ? [l.name] : [];
      })
      .sort(),
    milestone: ms ? milestone(base, full, ms) : null,
    assignees,
    author: author ? userBasic(base, author) : null,
    type: 'ISSUE',
    assignee: assignees[0] ?? null,
    user_notes_count: notes,
    merge_requests_count: 0,
    upvotes: 0,
    downvotes: 0,
    due_date: issue.dueDate,
    confidential: issue.confidential,
    discussion_locked: issue.discussionLocked,
    issue_type: issue.issueType,
    web_url: issueWebUrl(store, base, p, issue.iid),
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    task_completion_status: { count: tasks.length, completed_count: tasks.filter((t) => t[1] !== ' ').length },
    blocking_issues_count: 0,
    has_tasks: tasks.length > 0,
    task_status: `${tasks.filter((t) => t[1] !== ' ').length} of ${tasks.length} checklist items completed`,
    _links: {
      self: `${api}/issues/${issue.iid}`,
      notes: `${api}/issues/${issue.iid}/notes`,
      award_emoji: `${api}/issues/${issue.iid}/award_emoji`,
      project: api,
      closed_as_duplicate_of: null,
    },
    references: { short: `#${issue.iid}`, relative: `#${issue.iid}`, full: `${full}#${issue.iid}` },
    severity: 'UNKNOWN',
    subscribed: viewerId !== null && (viewerId === issue.authorId || issue.assigneeIds.includes(viewerId)),
    moved_to_id: null,
    imported: false,
    imported_from: 'none',
    service_desk_reply_to: null,
  };
}

export function noteEntity(
  store: Store,
  base: string,
  note: NoteRecord,
  commandsChanges: Record<string, unknown> = {},
) {
  const author = store.user(note.authorId);
  const issue = store.issueById(note.issueId);
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: author ? userBasic(base, author) : null,
    created_at: iso(note.createdAt),
    updated_at: iso(note.updatedAt),
    system: note.system,
    noteable_id: note.issueId,
    noteable_type: 'Issue',
    project_id: note.projectId,
    resolvable: false,
    confidential: note.internal,
    internal: note.internal,
    imported: false,
    imported_from: 'none',
    noteable_iid: issue?.iid ?? null,
    commands_changes: commandsChanges,
  };
}

export function hookEntity(h: HookRecord, now: number) {
  const temporarily = !h.permanentlyDisabled && h.disabledUntil !== null && h.disabledUntil > now;
  return {
    id: h.id,
    url: h.url,
    name: h.name,
    description: h.description,
    project_id: h.projectId,
    push_events: h.pushEvents,
    push_events_branch_filter: '',
    branch_filter_strategy: 'wildcard',
    issues_events: h.issuesEvents,
    confidential_issues_events: h.confidentialIssuesEvents,
    merge_requests_events: h.mergeRequestsEvents,
    tag_push_events: h.tagPushEvents,
    note_events: h.noteEvents,
    confidential_note_events: h.confidentialNoteEvents,
    job_events: false,
    pipeline_events: false,
    wiki_page_events: false,
    deployment_events: false,
    releases_events: false,
    feature_flag_events: false,
    milestone_events: false,
    emoji_events: false,
    resource_access_token_events: false,
    repository_update_events: false,
    enable_ssl_verification: h.enableSslVerification,
    alert_status: h.permanentlyDisabled ? 'disabled' : temporarily ? 'temporarily_disabled' : 'executable',
    disabled_until: temporarily ? iso(h.disabledUntil) : null,
    url_variables: [],
    created_at: iso(h.createdAt),
    custom_webhook_template: '',
    custom_headers: h.customHeaders.map((c) => ({ key: c.key })),
  };
}

// Project issues: list, get, create, edit, delete (doc/api/issues.md).
import { accessLevel, canCreateIssue, canDeleteIssue, canReadIssue, canUpdateIssue } from '../auth/permissions.ts';
import { labelBasic } from '../entities/basic.ts';
import { issueEntity } from '../entities/issue.ts';
import { isKeyset, keysetPage, paginate } from '../http/pagination.ts';
import { type Input, bool, dateTime, has, int, intArray, oneOf, requiredStr, str, strList } from '../http/params.ts';
import { invalidParam, json, missing } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import type { IssueChanges } from '../quick-actions/apply.ts';
import { createIssue, deleteIssue, updateIssue } from '../services/issues.ts';
import type { IssueRecord } from '../state/types.ts';
import { AccessLevel } from '../state/types.ts';
import { currentUser, ensure, loadIssue, loadProject, sortBy } from './common.ts';

const UPDATE_KEYS = [
  'title',
  'description',
  'assignee_id',
  'assignee_ids',
  'confidential',
  'created_at',
  'due_date',
  'labels',
  'milestone_id',
  'state_event',
  'updated_at',
  'discussion_locked',
  'add_labels',
  'remove_labels',
  'issue_type',
];

function dueDate(input: Input): string | null | undefined {
  const v = str(input, 'due_date');
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw invalidParam('due_date is invalid');
  return v;
}

/** The changes common to create and edit. */
function readChanges(input: Input): IssueChanges {
  const c: IssueChanges = {};
  const description = str(input, 'description');
  if (description !== undefined) c.description = description;
  const labels = strList(input, 'labels');
  if (labels !== undefined) c.labels = labels;
  const add = strList(input, 'add_labels');
  if (add !== undefined) c.addLabels = add;
  const remove = strList(input, 'remove_labels');
  if (remove !== undefined) c.removeLabels = remove;
  const ids = intArray(input, 'assignee_ids');
  const single = int(input, 'assignee_id');
  if (ids !== undefined) c.assigneeIds = ids.filter((id) => id > 0);
  else if (single !== undefined) c.assigneeIds = single > 0 ? [single] : [];
  const milestone = int(input, 'milestone_id');
  if (milestone !== undefined) c.milestoneId = milestone > 0 ? milestone : null;
  else if (has(input, 'milestone_id')) c.milestoneId = null;
  const due = dueDate(input);
  if (due !== undefined) c.dueDate = due;
  const confidential = bool(input, 'confidential');
  if (confidential !== undefined) c.confidential = confidential;
  const locked = bool(input, 'discussion_locked');
  if (locked !== undefined) c.discussionLocked = locked;
  return c;
}

function listIssues(ctx: Ctx) {
  const store = ctx.rt.store;
  const project = loadProject(ctx);
  const input = ctx.input;
  const state = oneOf(input, 'state', ['opened', 'closed', 'all'] as const) ?? 'all';
  const order =
    oneOf(input, 'order_by', [
      'created_at',
      'updated_at',
      'due_date',
      'title',
      'priority',
      'relative_position',
      'label_priority',
      'milestone_due',
      'popularity',
    ] as const) ?? 'created_at';
  const sort = oneOf(input, 'sort', ['asc', 'desc'] as const) ?? 'desc';
  const iids = intArray(input, 'iids');
  const labels = strList(input, 'labels');
  const search = str(input, 'search')?.toLowerCase();
  const inFields = (str(input, 'in') ?? 'title,description').split(',');
  const updatedAfter = dateTime(input, 'updated_after');
  const updatedBefore = dateTime(input, 'updated_before');
  const createdAfter = dateTime(input, 'created_after');
  const createdBefore = dateTime(input, 'created_before');
  const confidential = bool(input, 'confidential');
  const assigneeId = str(input, 'assignee_id');
  const assigneeUsername = strList(input, 'assignee_username');
  const authorId = int(input, 'author_id');
  const authorUsername = str(input, 'author_username');
  const milestone = str(input, 'milestone');
  const withLabelDetails = bool(input, 'with_labels_details') ?? false;
  let items = store.projectIssues(project.id).filter((i) => canReadIssue(store, ctx.user, i, project));
  if (state !== 'all') items = items.filter((i) => i.state === state);
  if (iids?.length) items = items.filter((i) => iids.includes(i.iid));
  if (labels?.length) {
    const names = (i: IssueRecord) => i.labelIds.map((id) => store.label(id)?.name);
    if (labels.length === 1 && labels[0]?.toLowerCase() === 'none')
      items = items.filter((i) => i.labelIds.length === 0);
    else if (labels.length === 1 && labels[0]?.toLowerCase() === 'any')
      items = items.filter((i) => i.labelIds.length > 0);
    else items = items.filter((i) => labels.every((l) => names(i).includes(l)));
  }
  if (search) {
    items = items.filter(
      (i) =>
        (inFields.includes('title') && i.title.toLowerCase().includes(search)) ||
        (inFields.includes('description') && i.description.toLowerCase().includes(search)),
    );
  }
  if (updatedAfter !== undefined) items = items.filter((i) => i.updatedAt >= updatedAfter);
  if (updatedBefore !== undefined) items = items.filter((i) => i.updatedAt <= updatedBefore);
  if (createdAfter !== undefined) items = items.filter((i) => i.createdAt >= createdAfter);
  if (createdBefore !== undefined) items = items.filter((i) => i.createdAt <= createdBefore);
  if (confidential !== undefined) items = items.filter((i) => i.confidential === confidential);
  if (assigneeId !== undefined) {
    const a = assigneeId.toLowerCase();
    items = items.filter((i) =>
      a === 'none'
        ? i.assigneeIds.length === 0
        : a === 'any'
          ? i.assigneeIds.length > 0
          : i.assigneeIds.includes(Number(a)),
    );
  }
  if (assigneeUsername?.length) {
    const ids = assigneeUsername.map((u) => store.userByName(u)?.id ?? -1);
    items = items.filter((i) => ids.every((id) => i.assigneeIds.includes(id)));
  }
  if (authorId !== undefined) items = items.filter((i) => i.authorId === authorId);
  if (authorUsername) items = items.filter((i) => i.authorId === store.userByName(authorUsername)?.id);
  if (milestone !== undefined) {
    const m = milestone.toLowerCase();
    items = items.filter((i) => {
      if (m === 'none') return i.milestoneId === null;
      if (m === 'any') return i.milestoneId !== null;
      return store.data.milestones.find((x) => x.id === i.milestoneId)?.title === milestone;
    });
  }
  const viewer = ctx.user?.id ?? null;
  const map = (i: IssueRecord) => {
    const e = issueEntity(store, ctx.rt.url, i, viewer);
    if (!withLabelDetails) return e;
    const labels = i.labelIds
      .flatMap((id) => store.label(id) ?? [])
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { ...e, labels: labels.map(labelBasic) };
  };
  const key = (i: IssueRecord): number | string =>
    order === 'updated_at'
      ? i.updatedAt * 1e4 + (i.id % 1e4)
      : order === 'title'
        ? i.title.toLowerCase()
        : order === 'due_date'
          ? (i.dueDate ?? '9999')
          : i.id;
  if (isKeyset(ctx))
    return keysetPage(
      ctx,
      sortBy(items, (i) => i.id, sort),
      (i) => i.id,
      sort,
      map,
      'cursor',
    );
  return paginate(ctx, sortBy(items, key, sort), map);
}

function create(ctx: Ctx) {
  const user = currentUser(ctx);
  const project = loadProject(ctx);
  ensure(canCreateIssue(ctx.rt.store, user, project));
  const title = requiredStr(ctx.input, 'title');
  const privileged = user.admin || accessLevel(ctx.rt.store, user, project) >= AccessLevel.owner;
  const createdAt = privileged ? dateTime(ctx.input, 'created_at') : undefined;
  const iid = privileged ? int(ctx.input, 'iid') : undefined;
  const issueType = oneOf(ctx.input, 'issue_type', ['issue', 'incident', 'test_case', 'task'] as const);
  const issue = createIssue(ctx.rt, user, project, {
    ...readChanges(ctx.input),
    title,
    ...(issueType ? { issueType } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(iid !== undefined ? { iid } : {}),
  });
  return json(201, issueEntity(ctx.rt.store, ctx.rt.url, issue, user.id));
}

function update(ctx: Ctx) {
  const user = currentUser(ctx);
  const project = loadProject(ctx);
  const issue = loadIssue(ctx, project);
  if (!UPDATE_KEYS.some((k) => has(ctx.input, k))) throw missing(...UPDATE_KEYS);
  ensure(canUpdateIssue(ctx.rt.store, user, issue, project));
  const changes = readChanges(ctx.input);
  const title = str(ctx.input, 'title');
  if (title !== undefined) changes.title = title;
  const stateEvent = oneOf(ctx.input, 'state_event', ['close', 'reopen'] as const);
  if (stateEvent) changes.stateEvent = stateEvent;
  updateIssue(ctx.rt, user, project, issue, changes);
  return json(200, issueEntity(ctx.rt.store, ctx.rt.url, issue, user.id));
}

function remove(ctx: Ctx) {
  const user = currentUser(ctx);
  const project = loadProject(ctx);
  const issue = loadIssue(ctx, project);
  ensure(canDeleteIssue(ctx.rt.store, user, project));
  deleteIssue(ctx.rt, issue);
  return { status: 204 };
}

export const issueRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v4/projects/:id/issues', auth: 'optional', handler: listIssues },
  { method: 'POST', pattern: '/api/v4/projects/:id/issues', auth: 'write', limit: 'issues_create', handler: create },
  {
    method: 'GET',
    pattern: '/api/v4/projects/:id/issues/:issue_iid',
    auth: 'optional',
    handler: (ctx) => {
      const issue = loadIssue(ctx, loadProject(ctx));
      return json(200, issueEntity(ctx.rt.store, ctx.rt.url, issue, ctx.user?.id ?? null));
    },
  },
  { method: 'PUT', pattern: '/api/v4/projects/:id/issues/:issue_iid', auth: 'write', handler: update },
  { method: 'DELETE', pattern: '/api/v4/projects/:id/issues/:issue_iid', auth: 'write', handler: remove },
];

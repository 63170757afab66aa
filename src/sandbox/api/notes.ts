// Issue notes: list, get, create (202 for a note of only quick actions), edit, delete.
import { canAdminNote, canReadNote } from '../auth/permissions.ts';
import { noteEntity } from '../entities/issue.ts';
import { paginate } from '../http/pagination.ts';
import { bool, dateTime, oneOf, str } from '../http/params.ts';
import { json, missing, notFound } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import { createNote, deleteNote, updateNote } from '../services/notes.ts';
import { AccessLevel } from '../state/types.ts';
import { accessLevel } from '../auth/permissions.ts';
import { currentUser, ensure, loadIssue, loadProject, sortBy } from './common.ts';

function loadNote(ctx: Ctx) {
  const project = loadProject(ctx);
  const issue = loadIssue(ctx, project);
  const note = ctx.rt.store.issueNotes(issue.id).find((n) => n.id === Number(ctx.params.note_id));
  if (!note || !canReadNote(ctx.rt.store, ctx.user, note, project)) throw notFound('Note');
  return { project, issue, note };
}

function list(ctx: Ctx) {
  const store = ctx.rt.store;
  const project = loadProject(ctx);
  const issue = loadIssue(ctx, project);
  const sort = oneOf(ctx.input, 'sort', ['asc', 'desc'] as const) ?? 'desc';
  const order = oneOf(ctx.input, 'order_by', ['created_at', 'updated_at'] as const) ?? 'created_at';
  const notes = store.issueNotes(issue.id).filter((n) => canReadNote(store, ctx.user, n, project));
  const key = (n: { createdAt: number; updatedAt: number; id: number }) =>
    (order === 'updated_at' ? n.updatedAt : n.createdAt) * 1e6 + n.id;
  return paginate(ctx, sortBy(notes, key, sort), (n) => noteEntity(store, ctx.rt.url, n));
}

function create(ctx: Ctx) {
  const user = currentUser(ctx);
  const project = loadProject(ctx);
  const issue = loadIssue(ctx, project);
  const body = str(ctx.input, 'body');
  if (body === undefined) throw missing('body');
  const internal = bool(ctx.input, 'internal') ?? bool(ctx.input, 'confidential') ?? false;
  const privileged = user.admin || accessLevel(ctx.rt.store, user, project) >= AccessLevel.owner;
  const createdAt = privileged ? dateTime(ctx.input, 'created_at') : undefined;
  const result = createNote(ctx.rt, user, project, issue, body, internal, createdAt);
  if (result.kind === 'commands_only') {
    return json(202, { commands_changes: result.commandsChanges, summary: result.summary });
  }
  return json(201, noteEntity(ctx.rt.store, ctx.rt.url, result.note, result.commandsChanges));
}

function update(ctx: Ctx) {
  const user = currentUser(ctx);
  const { project, issue, note } = loadNote(ctx);
  const body = str(ctx.input, 'body');
  if (body === undefined) throw missing('body');
  ensure(!note.system && canAdminNote(ctx.rt.store, user, note, project));
  updateNote(ctx.rt, user, issue, note, body);
  return json(200, noteEntity(ctx.rt.store, ctx.rt.url, note));
}

function remove(ctx: Ctx) {
  const user = currentUser(ctx);
  const { project, note } = loadNote(ctx);
  ensure(!note.system && canAdminNote(ctx.rt.store, user, note, project));
  deleteNote(ctx.rt, note);
  return { status: 204 };
}

const base = '/api/v4/projects/:id/issues/:issue_iid/notes';
export const noteRoutes: Route[] = [
  { method: 'GET', pattern: base, auth: 'optional', handler: list },
  { method: 'POST', pattern: base, auth: 'write', limit: 'notes_create', handler: create },
  {
    method: 'GET',
    pattern: `${base}/:note_id`,
    auth: 'optional',
    handler: (ctx) => json(200, noteEntity(ctx.rt.store, ctx.rt.url, loadNote(ctx).note)),
  },
  { method: 'PUT', pattern: `${base}/:note_id`, auth: 'write', handler: update },
  { method: 'DELETE', pattern: `${base}/:note_id`, auth: 'write', handler: remove },
];

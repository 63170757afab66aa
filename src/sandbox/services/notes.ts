// Creating, editing and deleting issue notes (comments), shared by the API and the HTML pages.
import { accessLevel, canReadInternalNotes } from '../auth/permissions.ts';
import { HttpError, forbidden, json } from '../http/reply.ts';
import { runQuickActions } from '../quick-actions/apply.ts';
import type { Runtime } from '../runtime.ts';
import type { IssueRecord, NoteRecord, ProjectRecord, UserRecord } from '../state/types.ts';
import { AccessLevel } from '../state/types.ts';
import { notePayload } from '../webhooks/payloads.ts';
import { updateIssue } from './issues.ts';
import { processMentions } from './mentions.ts';

export const NOTE_MAX = 1_000_000;

export type CreateNoteResult =
  | { kind: 'note'; note: NoteRecord; commandsChanges: Record<string, unknown> }
  | { kind: 'commands_only'; commandsChanges: Record<string, unknown>; summary: string[] };

function noteInvalid(detail: string): HttpError {
  return new HttpError(json(400, { message: `Note {:note=>["${detail}"]}` }));
}

function emitNoteHook(
  rt: Runtime,
  actor: UserRecord,
  note: NoteRecord,
  issue: IssueRecord,
  action: 'create' | 'update',
): void {
  const confidential = note.internal || issue.confidential;
  rt.hooks.emit(
    note.projectId,
    confidential ? 'confidential_note' : 'note',
    notePayload(rt.store, rt.url, actor, note, action),
  );
}

export function createNote(
  rt: Runtime,
  actor: UserRecord,
  project: ProjectRecord,
  issue: IssueRecord,
  body: string,
  internal: boolean,
  createdAt?: number,
): CreateNoteResult {
  const store = rt.store;
  if (body.length > NOTE_MAX) throw noteInvalid(`is too long (maximum is ${NOTE_MAX} characters)`);
  if (issue.discussionLocked && accessLevel(store, actor, project) < AccessLevel.reporter) throw forbidden();
  if (internal && !canReadInternalNotes(store, actor, project)) throw forbidden();
  const qa = runQuickActions(store, actor, project, issue, body);
  if (qa.executed > 0) updateIssue(rt, actor, project, issue, qa.changes);
  const text = qa.executed > 0 ? qa.text : body;
  if (text.trim() === '') {
    if (qa.executed > 0) return { kind: 'commands_only', commandsChanges: qa.commandsChanges, summary: qa.summary };
    throw noteInvalid("can't be blank");
  }
  const now = createdAt ?? store.now();
  const note = store.addNote({
    id: store.nextId('note'),
    projectId: project.id,
    issueId: issue.id,
    authorId: actor.id,
    body: text,
    system: false,
    internal,
    createdAt: now,
    updatedAt: now,
  });
  // A note touches its issue (Note belongs_to noteable, touch: true).
  issue.updatedAt = Math.max(store.now(), issue.updatedAt + 1);
  project.lastActivityAt = store.now();
  emitNoteHook(rt, actor, note, issue, 'create');
  processMentions(rt, actor, issue, note, text, '');
  return { kind: 'note', note, commandsChanges: qa.commandsChanges };
}

export function updateNote(
  rt: Runtime,
  actor: UserRecord,
  issue: IssueRecord,
  note: NoteRecord,
  body: string,
): NoteRecord {
  if (body.length > NOTE_MAX) throw noteInvalid(`is too long (maximum is ${NOTE_MAX} characters)`);
  if (body.trim() === '') throw noteInvalid("can't be blank");
  const previous = note.body;
  if (previous === body) return note;
  note.body = body;
  note.updatedAt = Math.max(rt.store.now(), note.updatedAt + 1);
  issue.updatedAt = Math.max(rt.store.now(), issue.updatedAt + 1);
  emitNoteHook(rt, actor, note, issue, 'update');
  processMentions(rt, actor, issue, note, body, previous);
  return note;
}

export function deleteNote(rt: Runtime, note: NoteRecord): void {
  rt.store.removeNote(note);
}

// Reading the audit log: one organization's events, newest first, filtered, in pages keyed on
// (created_at, id) so a page costs the same however deep it is and new events never shift a page.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEvent, AuditEventPage, AuditFilter } from '../contracts/index.ts';
import { auditSourceSchema } from '../contracts/index.ts';
import type { AuditEventsTable, Database } from '../db/index.ts';
import { DomainError } from '../lib/index.ts';

export interface AuditPageRequest {
  /** Older events than this cursor (the next page). */
  after?: string | undefined;
  /** Newer events than this cursor (the previous page). */
  before?: string | undefined;
  limit: number;
}

interface Key {
  createdAt: string;
  id: string;
}

type Row = Selectable<AuditEventsTable> & { actor_name: string | null; actor_email: string | null };

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Key {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new DomainError(
    'invalid_request',
    'the page cursor is not one this server gave out; start from the first page',
  );
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The lower bound (inclusive) of a `from` filter as a stored timestamp. */
function fromBound(value: string): string {
  return DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/** The upper bound of a `to` filter: a day includes the whole day (exclusive next midnight). */
function toBound(value: string): { op: '<' | '<='; at: string } {
  if (!DATE_ONLY.test(value)) return { op: '<=', at: new Date(value).toISOString() };
  const next = new Date(`${value}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { op: '<', at: next.toISOString() };
}

/** An exact action, or a prefix when it ends in `.` or `*` (`member.`, `gitlab.*`). */
function actionMatch(value: string): { prefix: string } | { exact: string } {
  if (value.endsWith('*')) return { prefix: value.slice(0, -1) };
  if (value.endsWith('.')) return { prefix: value };
  return { exact: value };
}

function filtered(db: Kysely<Database>, organizationId: string, filter: AuditFilter) {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .selectAll('audit_events')
    .select(['users.name as actor_name', 'users.email as actor_email'])
    .where('audit_events.organization_id', '=', organizationId);
  if (filter.actor) {
    const actor = filter.actor;
    query = actor.includes('@')
      ? query.where(
          'audit_events.actor_user_id',
          'in',
          db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', actor.toLowerCase()),
        )
      : query.where('audit_events.actor_user_id', '=', actor);
  }
  if (filter.action) {
    const match = actionMatch(filter.action);
    if ('exact' in match) query = query.where('audit_events.action', '=', match.exact);
    else if (match.prefix)
      query = query.where(
        sql<string>`substr(${sql.ref('audit_events.action')}, 1, ${match.prefix.length})`,
        '=',
        match.prefix,
      );
  }
  if (filter.subjectType) query = query.where('audit_events.subject_type', '=', filter.subjectType);
  if (filter.subjectId) query = query.where('audit_events.subject_id', '=', filter.subjectId);
  if (filter.from) query = query.where('audit_events.created_at', '>=', fromBound(filter.from));
  if (filter.to) {
    const bound = toBound(filter.to);
    query = query.where('audit_events.created_at', bound.op, bound.at);
  }
  return query;
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}

function toEvent(row: Row): AuditEvent {
  const source = auditSourceSchema.safeParse(row.source);
  return {
    id: row.id,
    createdAt: row.created_at,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: parseDetails(row.details),
    actor: row.actor_user_id ? { userId: row.actor_user_id, name: row.actor_name, email: row.actor_email } : null,
    apiToken: row.api_token_id ? { id: row.api_token_id, name: row.api_token_name } : null,
    source: source.success ? source.data : null,
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

const keyOf = (event: AuditEvent): Key => ({ createdAt: event.createdAt, id: event.id });

async function older(
  db: Kysely<Database>,
  organizationId: string,
  filter: AuditFilter,
  after: Key | null,
  limit: number,
): Promise<AuditEvent[]> {
  let query = filtered(db, organizationId, filter);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('audit_events.created_at', '<', after.createdAt),
        eb.and([eb('audit_events.created_at', '=', after.createdAt), eb('audit_events.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('audit_events.created_at', 'desc')
    .orderBy('audit_events.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

async function newer(
  db: Kysely<Database>,
  organizationId: string,
  filter: AuditFilter,
  before: Key,
  limit: number,
): Promise<AuditEvent[]> {
  const rows = await filtered(db, organizationId, filter)
    .where((eb) =>
      eb.or([
        eb('audit_events.created_at', '>', before.createdAt),
        eb.and([eb('audit_events.created_at', '=', before.createdAt), eb('audit_events.id', '>', before.id)]),
      ]),
    )
    .orderBy('audit_events.created_at', 'asc')
    .orderBy('audit_events.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

/** One page of an organization's events, newest first, with cursors to the pages beside it. */
export async function listAudit(
  db: Kysely<Database>,
  organizationId: string,
  filter: AuditFilter,
  page: AuditPageRequest,
): Promise<AuditEventPage> {
  if (page.after && page.before) throw new DomainError('invalid_request', 'give `after` or `before`, not both');
  if (page.before) {
    const rows = await newer(db, organizationId, filter, decodeCursor(page.before), page.limit + 1);
    const events = rows.slice(0, page.limit).reverse();
    const first = events[0];
    const last = events.at(-1);
    return {
      events,
      prevCursor: rows.length > page.limit && first ? encodeCursor(keyOf(first)) : null,
      nextCursor: last ? encodeCursor(keyOf(last)) : page.before,
    };
  }
  const rows = await older(db, organizationId, filter, page.after ? decodeCursor(page.after) : null, page.limit + 1);
  const events = rows.slice(0, page.limit);
  const first = events[0];
  const last = events.at(-1);
  return {
    events,
    nextCursor: rows.length > page.limit && last ? encodeCursor(keyOf(last)) : null,
    prevCursor: page.after ? (first ? encodeCursor(keyOf(first)) : page.after) : null,
  };
}

/** Every matching event, newest first, read in batches (for the CSV export). */
export async function* iterateAudit(
  db: Kysely<Database>,
  organizationId: string,
  filter: AuditFilter,
  batch = 500,
): AsyncGenerator<AuditEvent> {
  let after: Key | null = null;
  for (;;) {
    const events = await older(db, organizationId, filter, after, batch);
    yield* events;
    const last = events.at(-1);
    if (!last || events.length < batch) return;
    after = keyOf(last);
  }
}

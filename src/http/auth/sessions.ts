// Sessions live in the database behind an httpOnly, SameSite cookie. The cookie holds a random secret;
// the table holds only its sha256, so a database leak yields no usable session.
import type { Kysely } from 'kysely';
import { randomToken, sha256 } from '../../crypto/index.ts';
import { type Database, nowIso, type Role } from '../../db/index.ts';

export const SESSION_COOKIE = 'vb_session';
export const SESSION_IDLE_MS = 24 * 60 * 60_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60_000;

export interface SessionPrincipal {
  kind: 'session';
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  organizationId: string;
  organizationName: string;
  role: Role;
  csrfToken: string;
}

export async function createSession(
  db: Kysely<Database>,
  input: { userId: string; organizationId: string; userAgent?: string },
) {
  const secret = randomToken(32);
  const now = Date.now();
  const csrfToken = randomToken(24);
  await db
    .insertInto('sessions')
    .values({
      id: sha256(secret),
      user_id: input.userId,
      organization_id: input.organizationId,
      csrf_token: csrfToken,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      expires_at: new Date(now + SESSION_ABSOLUTE_MS).toISOString(),
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { secret, csrfToken };
}

/** The live session for a cookie value: not expired, not idle too long, and its membership still there. */
export async function findSession(db: Kysely<Database>, secret: string): Promise<SessionPrincipal | null> {
  const id = sha256(secret);
  const now = nowIso();
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.user_id', '=', 'sessions.user_id')
        .onRef('memberships.organization_id', '=', 'sessions.organization_id'),
    )
    .innerJoin('organizations', 'organizations.id', 'sessions.organization_id')
    .select([
      'sessions.id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.disabled_at',
      'organizations.id as organization_id',
      'organizations.name as organization_name',
      'memberships.role',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row || row.disabled_at) return null;
  if (row.expires_at <= now || Date.parse(row.last_seen_at) + SESSION_IDLE_MS <= Date.now()) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  // Touch at most once a minute, so reads do not turn into a write each.
  if (Date.parse(row.last_seen_at) + 60_000 < Date.now()) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  }
  return {
    kind: 'session',
    sessionId: row.id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    role: row.role,
    csrfToken: row.csrf_token,
  };
}

export async function destroySession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** The session still exists (not signed out, switched away or removed with its membership). */
export async function sessionExists(db: Kysely<Database>, sessionId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst());
}

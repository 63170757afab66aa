import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionInfo } from '../../../contracts/index.ts';
import type { Db, Role } from '../../../db/index.ts';
import type { AppContext } from '../../context.ts';
import {
  createSession,
  destroySession,
  findSession,
  SESSION_ABSOLUTE_MS,
  SESSION_COOKIE,
} from '../../auth/sessions.ts';

/** Start a new session (rotating away any session the browser already had) and set its cookie. */
export async function startSession(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  who: { user: { id: string; email: string; name: string }; organization: { id: string; name: string }; role: Role },
): Promise<SessionInfo> {
  await endCurrentSession(context.db, request);
  const { secret, csrfToken } = await createSession(context.db.kysely, {
    userId: who.user.id,
    organizationId: who.organization.id,
    ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
  });
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: context.env.PUBLIC_URL?.startsWith('https:') ?? false,
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
  return {
    user: { id: who.user.id, email: who.user.email, name: who.user.name },
    organization: { id: who.organization.id, name: who.organization.name },
    role: who.role,
    csrfToken,
  };
}

export async function endCurrentSession(db: Db, request: FastifyRequest): Promise<void> {
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return;
  const session = await findSession(db.kysely, cookie);
  if (session) await destroySession(db.kysely, session.sessionId);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

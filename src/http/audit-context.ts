// The audit context of a request (DESIGN: audit records who, what, when and from where): set by a
// preHandler hook, i.e. after authentication, around the route handler, so every recordAudit the
// handler reaches knows the address, the user agent and the API token without being told.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { type AuditContext, runWithAuditContext } from '../audit/index.ts';

export function auditContextOf(request: FastifyRequest): AuditContext {
  const principal = request.principal;
  const userAgent = request.headers['user-agent'];
  return {
    source: principal?.kind === 'token' ? 'api' : 'web',
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    apiTokenId: principal?.kind === 'token' ? principal.tokenId : null,
  };
}

/** A callback-style hook: `done` (and with it the handler) runs inside the context. */
export function withAuditContext(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  runWithAuditContext(auditContextOf(request), done);
}

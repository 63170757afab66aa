// Expected failures are values with a code (DomainError, src/lib/errors.ts); this file alone maps them
// to HTTP status.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { GitlabError, ReconnectNeededError } from '../gitlab/index.ts';
import { DomainError, type ErrorCode } from '../lib/index.ts';
import { isClientAbort } from './request-log.ts';

export { DomainError, type ErrorCode, notFound } from '../lib/index.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  weak_password: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  already_set_up: 409,
  invalid_setup_code: 403,
  too_many_attempts: 429,
  payload_too_large: 413,
  invalid_report: 422,
  reconnect_needed: 409,
  gitlab_unavailable: 502,
  gitlab_refused: 502,
  internal: 500,
};

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) {
    return reply
      .status(STATUS[error.code])
      .headers(error.headers)
      .send({ error: { code: error.code, message: error.message } });
  }
  if (error instanceof ReconnectNeededError) {
    return reply.status(409).send({
      error: {
        code: 'reconnect_needed',
        message: `${error.message}: open the target's GitLab settings and click Reconnect`,
      },
    });
  }
  if (error instanceof GitlabError) {
    const code = error.transient ? 'gitlab_unavailable' : 'gitlab_refused';
    const hint =
      error.failure === 'rate_limited'
        ? ' GitLab is rate limiting; wait a minute and try again.'
        : error.transient
          ? ' GitLab may be down; try again shortly.'
          : '';
    // Why GitLab could not be reached (refused, TLS, DNS, blocked) goes to the log only, never to the caller.
    if (error.detail) request.log.warn({ gitlabDetail: error.detail }, error.message);
    const headers: Record<string, string> = error.retryAfterMs
      ? { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) }
      : {};
    return reply
      .status(STATUS[code])
      .headers(headers)
      .send({ error: { code, message: `${error.message}.${hint}` } });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const message = error.validation
      .map((issue) => {
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return path ? `${path}: ${issue.message}` : issue.message;
      })
      .join('; ');
    return reply.status(400).send({ error: { code: 'invalid_request', message } });
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) {
    return reply
      .status(413)
      .send({ error: { code: 'payload_too_large', message: 'the request body is larger than allowed' } });
  }
  if (status === 429) {
    return reply
      .status(429)
      .send({ error: { code: 'too_many_attempts', message: 'too many requests; wait and try again' } });
  }
  if (status >= 400 && status < 500) {
    return reply.status(status).send({ error: { code: 'invalid_request', message: fastifyError.message } });
  }
  if (isClientAbort(error, request)) {
    // The request log's onRequestAbort line already says so at info.
    request.log.debug(
      `${request.method} ${request.url} ended by the client before it was read whole (${error.message})`,
    );
    return reply
      .status(400)
      .send({ error: { code: 'invalid_request', message: 'the request ended before its body was complete' } });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply
    .status(500)
    .send({ error: { code: 'internal', message: 'something went wrong on our side; it has been logged' } });
}

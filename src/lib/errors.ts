// Expected failures are values with a code. Only src/http/errors.ts maps codes to HTTP status.

export type ErrorCode =
  | 'invalid_request'
  | 'weak_password'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'csrf_failed'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'already_set_up'
  | 'invalid_setup_code'
  | 'too_many_attempts'
  | 'payload_too_large'
  | 'invalid_report'
  | 'reconnect_needed'
  | 'gitlab_unavailable'
  | 'gitlab_refused'
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);

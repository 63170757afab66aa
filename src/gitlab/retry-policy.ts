// Method-aware retries (DESIGN §2): reads and idempotent writes (GET, PUT, DELETE) are retried on network
// errors, 429 and 5xx, honouring Retry-After; a POST is never retried here, because a create that
// reached GitLab but whose answer was lost would be made twice. Creates are retried by their job, after
// looking for what the failed attempt may have created.
import type { GitlabError } from './errors.ts';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longer waits than this are not slept through here; the error goes to the caller (a job defers). */
  maxInlineWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  maxInlineWaitMs: 10_000,
};

export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE';
}

/** The delay before the next attempt, or null when the call should not be retried. */
export function retryDelay(
  policy: RetryPolicy,
  method: string,
  attempt: number,
  error: GitlabError,
  random = Math.random,
): number | null {
  if (!isIdempotent(method) || !error.transient || attempt >= policy.attempts) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const delay = error.retryAfterMs ?? Math.round(backoff / 2 + (random() * backoff) / 2);
  return delay > policy.maxInlineWaitMs ? null : delay;
}

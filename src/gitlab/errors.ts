// What a failed GitLab call means for us, as a value: the caller decides to retry, wait, pause or give up.

export type GitlabFailure =
  | 'network' // no answer: reset, timeout, DNS
  | 'unauthorized' // 401: token expired, revoked, or invalid
  | 'insufficient_scope' // 403 insufficient_scope
  | 'forbidden' // 403
  | 'not_found' // 404 (or not visible to this user)
  | 'conflict' // 409
  | 'invalid' // 400/422
  | 'rate_limited' // 429
  | 'server'; // 5xx

export class GitlabError extends Error {
  constructor(
    readonly failure: GitlabFailure,
    message: string,
    readonly status: number | null = null,
    /** When GitLab said when to come back (Retry-After), in ms from now. */
    readonly retryAfterMs: number | null = null,
    /** What went wrong underneath (refused, reset, TLS, DNS, blocked): for the server log only, never shown
     * to a user, so an answer cannot tell a closed port from a refused handshake. */
    readonly detail: string | null = null,
  ) {
    super(message);
    this.name = 'GitlabError';
  }

  get transient(): boolean {
    return this.failure === 'network' || this.failure === 'server' || this.failure === 'rate_limited';
  }
}

/** The one message for a GitLab that did not answer, whatever the cause (the cause goes in `detail`). */
export function unreachable(baseUrl: string, error: unknown, what: string): GitlabError {
  let origin = baseUrl;
  try {
    origin = new URL(baseUrl).origin;
  } catch {}
  const cause = (error as { cause?: Error }).cause;
  return new GitlabError(
    'network',
    `could not reach GitLab at ${origin}`,
    null,
    null,
    `${what}: ${cause?.message ?? (error as Error).message}`,
  );
}

export function failureOf(status: number, body: unknown): GitlabFailure {
  if (status === 401) return 'unauthorized';
  if (status === 403)
    return (body as { error?: string } | null)?.error === 'insufficient_scope' ? 'insufficient_scope' : 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'invalid';
}

/** GitLab's error bodies come as {"message": string | object} or {"error", "error_description"}. */
export function describeGitlabBody(body: unknown): string {
  if (typeof body === 'string') {
    // A proxy or GitLab's own error page: keep its title, not the page.
    const title = /<title>([^<]{1,200})<\/title>/i.exec(body)?.[1];
    if (title) return title.trim();
    return /<html|<!doctype/i.test(body) ? 'an HTML error page' : body.slice(0, 300);
  }
  if (!body || typeof body !== 'object') return '';
  const b = body as { message?: unknown; error?: unknown; error_description?: unknown };
  if (typeof b.error_description === 'string') return `${String(b.error)}: ${b.error_description}`;
  if (typeof b.message === 'string') return b.message;
  if (b.message && typeof b.message === 'object') {
    return Object.entries(b.message as Record<string, unknown>)
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
      .join('; ');
  }
  if (typeof b.error === 'string') return b.error;
  return '';
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

// Rate-limit profiles and GitLab's two kinds of 429:
// - Rack::Attack throttles: plain text `Retry later`, RateLimit-* headers on every answer,
//   RateLimit-ResetTime and Retry-After on the 429;
// - application limits (issues_create, notes_create): JSON body, no RateLimit or Retry-After headers.
import type { Reply } from '../http/reply.ts';

export type RateLimitProfile = 'gitlab.com' | 'self-managed' | 'off';
export const RATE_LIMIT_PROFILES: readonly RateLimitProfile[] = ['gitlab.com', 'self-managed', 'off'];

export type AppLimit = 'issues_create' | 'notes_create' | 'projects_api' | 'groups_api' | 'group_projects_api';

interface ProfileLimits {
  /** Requests per minute per user, authenticated API (Rack::Attack). */
  authenticatedApi: number | null;
  /** Requests per minute per IP, unauthenticated. */
  unauthenticated: number | null;
  /** Application limits: [requests, window ms]. */
  app: Partial<Record<AppLimit, [number, number]>>;
}

const MIN = 60_000;
const PROFILES: Record<RateLimitProfile, ProfileLimits> = {
  // doc/user/gitlab_com/_index.md: issues 200/min, notes 60/min, GET /projects 2,000 per 10 min,
  // GET /groups/:id/projects 600/min, GET /groups 200/min.
  'gitlab.com': {
    authenticatedApi: 2000,
    unauthenticated: 500,
    app: {
      issues_create: [200, MIN],
      notes_create: [60, MIN],
      projects_api: [2000, 10 * MIN],
      group_projects_api: [600, MIN],
      groups_api: [200, MIN],
    },
  },
  // Self-managed: user and IP throttles are off by default; issue and note creation 300/min.
  'self-managed': {
    authenticatedApi: null,
    unauthenticated: null,
    app: { issues_create: [300, MIN], notes_create: [300, MIN] },
  },
  off: { authenticatedApi: null, unauthenticated: null, app: {} },
};

const WINDOW_MS = 60_000;
export const APP_LIMIT_BODY = {
  message: { error: 'This endpoint has been requested too many times. Try again later.' },
};

export class RateLimiter {
  profile: RateLimitProfile;
  private counters = new Map<string, { windowStart: number; count: number }>();

  constructor(
    profile: RateLimitProfile,
    private readonly now: () => number,
  ) {
    this.profile = profile;
  }

  setProfile(profile: RateLimitProfile): void {
    this.profile = profile;
    this.counters.clear();
  }

  private hit(key: string, windowMs = WINDOW_MS): { count: number; resetAt: number } {
    const now = this.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    let c = this.counters.get(key);
    if (!c || c.windowStart !== windowStart) {
      c = { windowStart, count: 0 };
      this.counters.set(key, c);
    }
    c.count += 1;
    return { count: c.count, resetAt: windowStart + windowMs };
  }

  /**
   * Rack::Attack-style throttle for an API request. Returns headers to add to the answer, and a
   * ready 429 when over the limit.
   */
  throttle(userId: number | null, ip: string): { headers: Record<string, string>; reject?: Reply } {
    const p = PROFILES[this.profile];
    const limit = userId === null ? p.unauthenticated : p.authenticatedApi;
    if (limit === null) return { headers: {} };
    const name = userId === null ? 'throttle_unauthenticated_api' : 'throttle_authenticated_api';
    const { count, resetAt } = this.hit(`${name}:${userId ?? ip}`);
    const resetSeconds = Math.max(1, Math.ceil((resetAt - this.now()) / 1000));
    const headers: Record<string, string> = {
      'ratelimit-name': name,
      'ratelimit-limit': String(limit),
      'ratelimit-observed': String(count),
      'ratelimit-remaining': String(Math.max(0, limit - count)),
      'ratelimit-reset': String(resetSeconds),
    };
    if (count <= limit) return { headers };
    const reject: Reply = {
      status: 429,
      text: 'Retry later\n',
      headers: {
        ...headers,
        'ratelimit-resettime': new Date(resetAt).toUTCString(),
        'retry-after': String(resetSeconds),
      },
    };
    return { headers, reject };
  }

  /** Application rate limiter: true when the action is allowed. */
  allowApp(kind: AppLimit, scope: string): boolean {
    const rule = PROFILES[this.profile].app[kind];
    if (!rule || rule[0] === 0) return true;
    return this.hit(`${kind}:${scope}`, rule[1]).count <= rule[0];
  }

  /** A counted limit that is not part of a profile (e.g. hook test 5/min). */
  allowFixed(key: string, limit: number): boolean {
    return this.hit(`fixed:${key}`).count <= limit;
  }
}

// Everything a handler can reach: the state, the hook dispatcher, faults, rate limits, sessions.
import { Faults } from './faults/faults.ts';
import { type RateLimitProfile, RateLimiter } from './limits/rate-limiter.ts';
import type { SeedInfo } from './state/seed.ts';
import type { Store } from './state/store.ts';
import { HookDispatcher } from './webhooks/dispatcher.ts';

export interface RuntimeOptions {
  rateLimits: RateLimitProfile;
  hookTimeoutMs: number;
  /** Username signed in and approving automatically at /oauth/authorize, or null. */
  autoApprove: string | null;
  faultSeed: number;
}

export class Runtime {
  url = '';
  readonly hooks: HookDispatcher;
  readonly faults: Faults;
  readonly limits: RateLimiter;
  /** Browser sessions: cookie value to user id. */
  readonly sessions = new Map<string, number>();

  constructor(
    readonly store: Store,
    readonly info: SeedInfo,
    readonly options: RuntimeOptions,
  ) {
    this.hooks = new HookDispatcher(store, () => this.url, options.hookTimeoutMs);
    this.faults = new Faults(options.faultSeed);
    this.limits = new RateLimiter(options.rateLimits, () => store.now());
  }
}

// The door of src/sandbox: a local GitLab for tests, the demo and people. Production never imports it.
export { type Sandbox, type SandboxOptions, startSandbox } from './app.ts';
export type { SandboxAdmin } from './admin/admin.ts';
export { type FaultRule, type FaultKind, parseFaultSpec } from './faults/faults.ts';
export { RATE_LIMIT_PROFILES, type RateLimitProfile } from './limits/rate-limiter.ts';
export { DEFAULT_REDIRECT_URI, type SeedInfo, type SeedSpec, defaultSeedSpec } from './state/seed.ts';
export { AccessLevel } from './state/types.ts';
export { recordSecret, type SecretKind } from './ledger.ts';
export type { HookEventRecord } from './state/types.ts';

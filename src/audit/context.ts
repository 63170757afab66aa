// Who acted and from where, carried with the work (AsyncLocalStorage) instead of through every call:
// the HTTP app sets it per request after authentication, the command line sets 'cli', the worker
// 'worker'. recordAudit reads it, so the ~40 call sites stay as they are.
import { AsyncLocalStorage } from 'node:async_hooks';

/** web: a browser session or a public page; api: an API token; cli: the command line; worker: a job. */
export type AuditSource = 'web' | 'api' | 'cli' | 'worker';

export interface AuditContext {
  source: AuditSource;
  ip?: string | null;
  userAgent?: string | null;
  apiTokenId?: string | null;
  apiTokenName?: string | null;
}

const storage = new AsyncLocalStorage<AuditContext>();

/** Runs `fn` (and everything it starts) with this context; an inner call replaces an outer one. */
export function runWithAuditContext<T>(context: AuditContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the work in progress, or undefined outside any (a test calling a service directly). */
export function currentAuditContext(): AuditContext | undefined {
  return storage.getStore();
}

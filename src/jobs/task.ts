// A task is a typed job kind: its payload schema, how it is performed, and what happens when it dies.
import type { z } from 'zod';
import type { Db } from '../db/index.ts';
import type { Job } from '../db/tables.ts';
import type { Env } from '../config/index.ts';
import type { SecretBox } from '../crypto/index.ts';
import type { TokenProvider } from '../gitlab/index.ts';
import type { Logger } from '../lib/logger.ts';

/** What tasks that talk to GitLab need besides the database. */
export interface TaskDeps {
  env: Env;
  secretBox: SecretBox;
  gitlab: { fetch: typeof fetch; tokens: TokenProvider };
}

export interface TaskContext {
  db: Db;
  job: Job;
  logger: Logger;
  signal: AbortSignal;
  deps: TaskDeps | undefined;
  /**
   * Renews this attempt's lease on its job now. False when the lease is gone: another worker has taken
   * the job over (this attempt was paused or starved past its lease), so this attempt must not start an
   * action that cannot be taken back. True means the lease is this attempt's for at least half a lease more.
   */
  holdLease(): Promise<boolean>;
}

export function requireDeps(context: TaskContext): TaskDeps {
  if (!context.deps) throw new Error(`task ${context.job.task} needs the worker to be given its dependencies`);
  return context.deps;
}

export interface TaskDefinition<P = unknown> {
  name: string;
  payload: z.ZodType<P>;
  maxAttempts?: number;
  perform(payload: P, context: TaskContext): Promise<unknown>;
  /** Called once when the job goes dead (out of attempts or a permanent failure). */
  onDead?(payload: P, context: TaskContext, error: string): Promise<void>;
}

export function defineTask<P>(definition: TaskDefinition<P>): TaskDefinition<P> {
  return definition;
}

/** Thrown by a task to wait until a given time without spending an attempt (Retry-After, rate budget). */
export class WaitUntil extends Error {
  constructor(
    readonly until: Date,
    reason: string,
  ) {
    super(reason);
    this.name = 'WaitUntil';
  }
}

/** Thrown by a task whose failure no retry can fix (bad payload, a 404 that will stay a 404). */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
}

/** Thrown by a task whose attempt lost its lease to another worker: the job is that worker's now, so
 * this attempt records nothing (the fenced transitions would refuse it anyway). */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

/** Thrown by a task that cannot run until something outside changes (a connection needs reconnecting). */
export class PauseJob extends Error {
  override name = 'PauseJob';
}

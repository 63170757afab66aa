// A task is a typed job kind: its payload schema, how it is performed, and what happens when it dies.
// The engine names no domain type: what tasks need besides the database (D) is given to the Worker by
// the composition root and handed to each task as it is (src/tasks defines the kinds and their deps).
import type { z } from 'zod';
import type { Db, Job } from '../db/index.ts';
import type { Logger } from '../lib/index.ts';

export interface TaskContext<D = unknown> {
  db: Db;
  job: Job;
  logger: Logger;
  signal: AbortSignal;
  deps: D | undefined;
  /**
   * Renews this attempt's lease on its job now. False when the lease is gone: another worker has taken
   * the job over (this attempt was paused or starved past its lease), so this attempt must not start an
   * action that cannot be taken back. True means the lease is this attempt's for at least half a lease more.
   */
  holdLease(): Promise<boolean>;
}

/** The worker's dependencies, or a clear failure for a worker that was started without them. */
export function requireDeps<D>(context: TaskContext<D>): D {
  if (!context.deps) throw new Error(`task ${context.job.task} needs the worker to be given its dependencies`);
  return context.deps;
}

export interface TaskDefinition<P = unknown, D = unknown> {
  name: string;
  payload: z.ZodType<P>;
  maxAttempts?: number;
  perform(payload: P, context: TaskContext<D>): Promise<unknown>;
  /** Called once when the job goes dead (out of attempts or a permanent failure). */
  onDead?(payload: P, context: TaskContext<D>, error: string): Promise<void>;
}

export function defineTask<P, D = unknown>(definition: TaskDefinition<P, D>): TaskDefinition<P, D> {
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

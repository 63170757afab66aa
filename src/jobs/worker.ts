// The worker loop: claims due jobs, runs their task under a lease that it keeps extending, and records
// the outcome with a fenced transition (a worker whose lease was taken over cannot overwrite the result).
import { hostname } from 'node:os';
import { runWithAuditContext } from '../audit/index.ts';
import type { Db, Job } from '../db/index.ts';
import { newId } from '../db/index.ts';
import type { Logger } from '../lib/index.ts';
import { claimJobs, completeJob, deferJob, extendLease, failJob, pauseJob } from './queue.ts';
import { LeaseLost, PauseJob, PermanentFailure, type TaskContext, type TaskDefinition, WaitUntil } from './task.ts';

export interface WorkerOptions<D = unknown> {
  db: Db;
  logger: Logger;
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds tasks of every payload type
  tasks: TaskDefinition<any, D>[];
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  workerId?: string;
  deps?: D;
  /** Delay before retrying a failed job (default: exponential backoff with jitter). */
  retryDelayMs?: (attempt: number) => number;
}

export class Worker<D = unknown> {
  readonly id: string;
  private readonly tasks: Map<string, TaskDefinition<unknown, D>>;
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: WorkerOptions<D>) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${newId().slice(-8)}`;
    this.tasks = new Map(options.tasks.map((task) => [task.name, task as TaskDefinition<unknown, D>]));
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 500;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Ask the loop to look for jobs now rather than at its next poll. */
  poke(): void {
    this.wake?.();
  }

  /** Stop claiming, and wait for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  /** Run until no due job is left (for one-shot commands and tests). */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await this.claim(this.concurrency);
      if (claimed.length === 0 && this.running.size === 0) return;
      for (const job of claimed) this.track(job);
      if (this.running.size > 0) await Promise.race(this.running);
    }
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.abort.signal.aborted) {
      const free = this.concurrency - this.running.size;
      let claimed: Job[] = [];
      if (free > 0) {
        try {
          claimed = await this.claim(free);
        } catch (error) {
          logger.warn({ err: error }, 'claiming jobs failed; will retry');
        }
      }
      for (const job of claimed) this.track(job);
      if (claimed.length === 0 || this.running.size >= this.concurrency) await this.sleep();
    }
  }

  private claim(limit: number): Promise<Job[]> {
    return claimJobs(this.options.db.kysely, this.options.db.dialect, {
      workerId: this.id,
      limit,
      leaseMs: this.leaseMs,
      tasks: [...this.tasks.keys()],
    });
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.running.size >= this.concurrency ? this.pollMs * 4 : this.pollMs);
      const race = Promise.race(this.running);
      race.then(done, done);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private track(job: Job): void {
    // Recording the outcome can fail too (the database went away mid-job): the job keeps its lease, which
    // expires, and it runs again. The rejection must not escape, or it kills the process (unhandled).
    // Audit events a job records say they came from the worker (src/audit context).
    const promise = runWithAuditContext({ source: 'worker' }, () => this.perform(job))
      .catch((error) =>
        this.options.logger.warn(
          { err: error, jobId: job.id, task: job.task },
          'could not record the job outcome; it runs again when its lease expires',
        ),
      )
      .finally(() => {
        this.running.delete(promise);
        this.wake?.();
      });
    this.running.add(promise);
  }

  private async perform(job: Job): Promise<void> {
    const { db, logger: root } = this.options;
    const logger = root.child({ jobId: job.id, task: job.task, attempt: job.attempts });
    const task = this.tasks.get(job.task);
    if (!task) return;
    const context: TaskContext<D> = {
      db,
      job,
      logger,
      signal: this.abort.signal,
      deps: this.options.deps,
      holdLease: () => this.holdLease(job),
    };
    if (job.attempts > job.max_attempts) {
      await failJob(db.kysely, job, 'lease expired after the last attempt (the worker stopped mid-job)', {
        permanent: true,
      });
      await this.dead(task, job, context, 'lease expired after the last attempt');
      return;
    }
    const heartbeat = setInterval(
      () => {
        extendLease(db.kysely, job, this.leaseMs).catch((error) =>
          logger.warn({ err: error }, 'lease extension failed'),
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    try {
      const parsed = task.payload.safeParse(JSON.parse(job.payload));
      if (!parsed.success) throw new PermanentFailure(`invalid payload: ${parsed.error.message}`);
      const result = await task.perform(parsed.data, context);
      await completeJob(db.kysely, job, result);
    } catch (error) {
      await this.recordFailure(task, job, context, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Renews the attempt's lease: false when another worker took the job over. A renewal answered late
   * (this process was paused or starved meanwhile) may be stale by the time it is read, so it is asked
   * again: true means the lease is this attempt's for at least half a lease more. */
  private async holdLease(job: Job): Promise<boolean> {
    for (let ask = 0; ask < 3; ask++) {
      const asked = Date.now();
      if (!(await extendLease(this.options.db.kysely, job, this.leaseMs))) return false;
      if (Date.now() - asked < this.leaseMs / 2) return true;
    }
    return false;
  }

  private async recordFailure(
    task: TaskDefinition<unknown, D>,
    job: Job,
    context: TaskContext<D>,
    error: unknown,
  ): Promise<void> {
    const { db } = this.options;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof LeaseLost) {
      context.logger.warn({ err: error }, 'the job was taken over by another worker; this attempt stopped');
      return;
    }
    if (error instanceof WaitUntil) {
      await deferJob(db.kysely, job, error.until, message);
      return;
    }
    if (error instanceof PauseJob) {
      await pauseJob(db.kysely, job, message);
      return;
    }
    const permanent = error instanceof PermanentFailure;
    const willDie = permanent || job.attempts >= job.max_attempts;
    context.logger.warn({ err: error, willDie }, 'job failed');
    const retryAt = this.options.retryDelayMs
      ? new Date(Date.now() + this.options.retryDelayMs(job.attempts))
      : undefined;
    await failJob(db.kysely, job, message, { permanent, ...(retryAt ? { retryAt } : {}) });
    if (willDie) await this.dead(task, job, context, message);
  }

  private async dead(
    task: TaskDefinition<unknown, D>,
    job: Job,
    context: TaskContext<D>,
    error: string,
  ): Promise<void> {
    if (!task.onDead) return;
    try {
      const payload = task.payload.parse(JSON.parse(job.payload));
      await task.onDead(payload, context, error);
    } catch (hookError) {
      context.logger.error({ err: hookError }, 'onDead hook failed');
    }
  }
}

// The durable job queue (DESIGN §2): a jobs table in the same database, enqueued inside the caller's
// transaction (outbox pattern), claimed with UPDATE … RETURNING (plus FOR UPDATE SKIP LOCKED on
// PostgreSQL) under a lease, retried with exponential backoff and jitter, dead when out of attempts.
import { type Kysely, sql, type Transaction } from 'kysely';
import { type Database, type Db, type DialectName, type Job, type JobState, newId, nowIso } from '../db/index.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface EnqueueOptions {
  task: string;
  payload: unknown;
  organizationId?: string | null;
  /** Idempotent enqueue: a second job with the same key is not created; the first one is returned. */
  uniqueKey?: string;
  /** Jobs of one group (a GitLab connection, say) can be paused and resumed together. */
  groupKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

/** Enqueue a job with `executor`, which should be the caller's transaction. Returns the job's id and
 * whether it was created now (false when a job with the same unique key already existed). */
export async function enqueue(executor: Executor, options: EnqueueOptions): Promise<{ id: string; created: boolean }> {
  const now = nowIso();
  const id = newId();
  const inserted = await executor
    .insertInto('jobs')
    .values({
      id,
      organization_id: options.organizationId ?? null,
      task: options.task,
      payload: JSON.stringify(options.payload ?? null),
      state: 'queued',
      unique_key: options.uniqueKey ?? null,
      group_key: options.groupKey ?? null,
      max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: (options.runAt ?? new Date()).toISOString(),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await executor
    .selectFrom('jobs')
    .select('id')
    .where('unique_key', '=', options.uniqueKey ?? '')
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** Claim up to `limit` runnable jobs for `workerId`: queued and due, or running with an expired lease
 * (their worker died). Each claim increments `attempts`. */
export async function claimJobs(
  db: Kysely<Database>,
  dialect: DialectName,
  options: { workerId: string; limit: number; leaseMs: number; tasks?: string[] },
): Promise<Job[]> {
  if (options.tasks?.length === 0) return [];
  const now = nowIso();
  const lockedUntil = nowIso(options.leaseMs);
  const tasks = options.tasks ?? null;
  const taskFilter = tasks ? sql`and task in (${sql.join(tasks)})` : sql``;
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<Job>`
    update jobs set state = 'running', locked_by = ${options.workerId}, locked_until = ${lockedUntil},
      attempts = attempts + 1, updated_at = ${now}
    where id in (
      select id from jobs
      where ((state = 'queued' and run_at <= ${now}) or (state = 'running' and locked_until < ${now})) ${taskFilter}
      order by run_at, id
      limit ${options.limit}
      ${lock}
    )
    returning *`.execute(db);
  return result.rows.map((row) => ({ ...row, attempts: Number(row.attempts), max_attempts: Number(row.max_attempts) }));
}

/** The fence for every transition a worker makes: the job must still be its own claim. */
function owned(job: Job) {
  return { id: job.id, locked_by: job.locked_by ?? '', attempts: job.attempts };
}

async function transition(db: Executor, job: Job, values: Partial<Omit<Job, 'id'>>): Promise<boolean> {
  const fence = owned(job);
  const result = await db
    .updateTable('jobs')
    .set({ ...values, updated_at: nowIso() })
    .where('id', '=', fence.id)
    .where('state', '=', 'running')
    .where('locked_by', '=', fence.locked_by)
    .where('attempts', '=', fence.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function completeJob(db: Executor, job: Job, result: unknown): Promise<boolean> {
  const now = nowIso();
  return transition(db, job, {
    state: 'done',
    result: result === undefined ? null : JSON.stringify(result),
    locked_by: null,
    locked_until: null,
    last_error: null,
    finished_at: now,
  });
}

/** Exponential backoff with full jitter: base 2^attempt seconds, capped at 15 minutes. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(15 * 60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Record a failure: retried after backoff (or at `retryAt`, e.g. from Retry-After), or dead when out
 * of attempts or when the error is permanent. */
export function failJob(
  db: Executor,
  job: Job,
  error: string,
  options: { retryAt?: Date; permanent?: boolean } = {},
): Promise<boolean> {
  const dead = options.permanent === true || job.attempts >= job.max_attempts;
  const runAt = options.retryAt ?? new Date(Date.now() + backoffMs(job.attempts));
  return transition(db, job, {
    state: dead ? 'dead' : 'queued',
    last_error: error.slice(0, 4000),
    run_at: runAt.toISOString(),
    locked_by: null,
    locked_until: null,
    finished_at: dead ? nowIso() : null,
  });
}

/** The job asked to wait (rate limit, Retry-After): back to the queue at `until`, the attempt not counted. */
export function deferJob(db: Executor, job: Job, until: Date, reason: string): Promise<boolean> {
  return transition(db, job, {
    state: 'queued',
    attempts: job.attempts - 1,
    run_at: until.toISOString(),
    last_error: reason.slice(0, 4000),
    locked_by: null,
    locked_until: null,
  });
}

/** Park a running job (its connection needs reconnecting): it waits, the attempt not counted. */
export function pauseJob(db: Executor, job: Job, reason: string): Promise<boolean> {
  return transition(db, job, {
    state: 'paused',
    attempts: job.attempts - 1,
    last_error: reason.slice(0, 4000),
    locked_by: null,
    locked_until: null,
  });
}

/** Extend the lease of a job still being worked on. */
export async function extendLease(db: Kysely<Database>, job: Job, leaseMs: number): Promise<boolean> {
  return transition(db, job, { locked_until: nowIso(leaseMs) });
}

/** Pause every queued job of a group (running ones pause themselves when they fail for that reason). */
export async function pauseGroup(db: Executor, groupKey: string): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'paused', updated_at: nowIso() })
    .where('group_key', '=', groupKey)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Resume every paused job of a group, due now. */
export async function resumeGroup(db: Executor, groupKey: string): Promise<number> {
  const now = nowIso();
  const result = await db
    .updateTable('jobs')
    .set({ state: 'queued', run_at: now, updated_at: now })
    .where('group_key', '=', groupKey)
    .where('state', '=', 'paused')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Put a dead job back in the queue with a fresh set of attempts. */
export async function retryDeadJob(db: Executor, id: string, organizationId: string | null): Promise<boolean> {
  let query = db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: nowIso(), finished_at: null, updated_at: nowIso() })
    .where('id', '=', id)
    .where('state', '=', 'dead');
  if (organizationId !== null) query = query.where('organization_id', '=', organizationId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countJobs(db: Executor, where: { task?: string; state?: JobState } = {}): Promise<number> {
  let query = db.selectFrom('jobs').select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (where.task) query = query.where('task', '=', where.task);
  if (where.state) query = query.where('state', '=', where.state);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An organization's jobs for the Jobs screen, newest first (at most 200), optionally of one state. */
export async function listJobs(db: Db, organizationId: string, state?: JobState) {
  let query = db.kysely.selectFrom('jobs').selectAll().where('organization_id', '=', organizationId);
  if (state) query = query.where('state', '=', state);
  const rows = await query.orderBy('updated_at', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    task: r.task,
    state: r.state,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    runAt: r.run_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

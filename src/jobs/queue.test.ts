import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/databases.ts';
import { silentLogger } from '../../test/support/silent-logger.ts';
import {
  backoffMs,
  claimJobs,
  completeJob,
  countJobs,
  enqueue,
  pauseGroup,
  resumeGroup,
  retryDeadJob,
} from './queue.ts';
import { defineTask, PermanentFailure, WaitUntil } from './task.ts';
import { Worker } from './worker.ts';

describe.each(DIALECTS)('job queue on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());
  beforeEach(async () => {
    await t.db.kysely.deleteFrom('jobs').execute();
  });

  const claim = (workerId: string, leaseMs = 60_000, limit = 10) =>
    claimJobs(t.db.kysely, t.db.dialect, { workerId, limit, leaseMs });

  it('enqueues inside the caller transaction: a rollback leaves no job', async () => {
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await enqueue(trx, { task: 'noop', payload: {} });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await countJobs(t.db.kysely)).toBe(0);
    await t.db.kysely.transaction().execute((trx) => enqueue(trx, { task: 'noop', payload: {} }));
    expect(await countJobs(t.db.kysely)).toBe(1);
  });

  it('enqueues idempotently by unique key', async () => {
    const first = await enqueue(t.db.kysely, { task: 'noop', payload: { n: 1 }, uniqueKey: 'push:f1' });
    const second = await enqueue(t.db.kysely, { task: 'noop', payload: { n: 2 }, uniqueKey: 'push:f1' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(await countJobs(t.db.kysely)).toBe(1);
  });

  it('leases a claimed job to one worker and gives it to another when the lease expires', async () => {
    await enqueue(t.db.kysely, { task: 'noop', payload: {} });
    const [job] = await claim('w1', 150);
    expect(job?.attempts).toBe(1);
    expect(await claim('w2')).toEqual([]);
    await new Promise((r) => setTimeout(r, 250));
    const [again] = await claim('w2');
    expect(again?.id).toBe(job?.id);
    expect(again?.attempts).toBe(2);
    // The first worker's lease was taken over: its late completion must not count.
    expect(await completeJob(t.db.kysely, job!, 'late')).toBe(false);
    expect(await completeJob(t.db.kysely, again!, 'ok')).toBe(true);
    const row = await t.db.kysely.selectFrom('jobs').selectAll().where('id', '=', job!.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('done');
    expect(JSON.parse(row.result ?? 'null')).toBe('ok');
  });

  it('does not claim jobs before their run_at', async () => {
    await enqueue(t.db.kysely, { task: 'noop', payload: {}, runAt: new Date(Date.now() + 60_000) });
    expect(await claim('w1')).toEqual([]);
  });

  it('retries with backoff, then keeps the job dead with its last error and calls onDead once', async () => {
    const deaths: string[] = [];
    const task = defineTask({
      name: 'flaky',
      payload: z.object({ n: z.number() }),
      perform: async () => {
        throw new Error('GitLab answered 500');
      },
      onDead: async (_payload, _context, error) => {
        deaths.push(error);
      },
    });
    const { id } = await enqueue(t.db.kysely, { task: 'flaky', payload: { n: 1 }, maxAttempts: 2 });
    const worker = new Worker({ db: t.db, logger: silentLogger, tasks: [task] });
    await worker.drain();
    let row = await t.db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('queued');
    expect(row.last_error).toBe('GitLab answered 500');
    expect(Date.parse(row.run_at)).toBeGreaterThan(Date.now());
    await t.db.kysely.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('id', '=', id).execute();
    await worker.drain();
    row = await t.db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('dead');
    expect(Number(row.attempts)).toBe(2);
    expect(deaths).toEqual(['GitLab answered 500']);
    expect(await retryDeadJob(t.db.kysely, id, null)).toBe(true);
    expect(await countJobs(t.db.kysely, { state: 'queued' })).toBe(1);
  });

  it('dies at once on a permanent failure and on an invalid payload', async () => {
    const task = defineTask({
      name: 'strict',
      payload: z.object({ ok: z.boolean() }),
      perform: async (payload) => {
        if (!payload.ok) throw new PermanentFailure('project is gone');
      },
    });
    await enqueue(t.db.kysely, { task: 'strict', payload: { ok: false } });
    await enqueue(t.db.kysely, { task: 'strict', payload: { wrong: 1 } });
    await new Worker({ db: t.db, logger: silentLogger, tasks: [task] }).drain();
    const rows = await t.db.kysely
      .selectFrom('jobs')
      .select(['state', 'last_error', 'attempts'])
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => r.state)).toEqual(['dead', 'dead']);
    const errors = rows.map((r) => r.last_error ?? '').sort();
    expect(errors[0]).toMatch(/^invalid payload/);
    expect(errors[1]).toBe('project is gone');
  });

  it('lets a job wait until a given time without spending an attempt', async () => {
    const until = new Date(Date.now() + 30_000);
    const task = defineTask({
      name: 'limited',
      payload: z.object({}),
      perform: async () => {
        throw new WaitUntil(until, 'rate limited: Retry-After 30');
      },
    });
    const { id } = await enqueue(t.db.kysely, { task: 'limited', payload: {} });
    await new Worker({ db: t.db, logger: silentLogger, tasks: [task] }).drain();
    const row = await t.db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'queued',
      run_at: until.toISOString(),
      last_error: 'rate limited: Retry-After 30',
    });
    expect(Number(row.attempts)).toBe(0);
  });

  it('pauses and resumes a group of jobs', async () => {
    await enqueue(t.db.kysely, { task: 'noop', payload: {}, groupKey: 'conn-1' });
    await enqueue(t.db.kysely, { task: 'noop', payload: {}, groupKey: 'conn-2' });
    expect(await pauseGroup(t.db.kysely, 'conn-1')).toBe(1);
    expect((await claim('w1')).map((j) => j.group_key)).toEqual(['conn-2']);
    expect(await resumeGroup(t.db.kysely, 'conn-1')).toBe(1);
    expect((await claim('w1')).map((j) => j.group_key)).toEqual(['conn-1']);
  });

  it('runs each of many jobs exactly once with several workers', async () => {
    const seen = new Map<number, number>();
    const task = defineTask({
      name: 'count',
      payload: z.object({ n: z.number() }),
      perform: async ({ n }) => {
        seen.set(n, (seen.get(n) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    const total = 200;
    await t.db.kysely.transaction().execute(async (trx) => {
      for (let n = 0; n < total; n++) await enqueue(trx, { task: 'count', payload: { n } });
    });
    const workers = Array.from(
      { length: 4 },
      () => new Worker({ db: t.db, logger: silentLogger, tasks: [task], concurrency: 3, pollMs: 20 }),
    );
    await Promise.all(workers.map((w) => w.drain()));
    expect(seen.size).toBe(total);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(await countJobs(t.db.kysely, { state: 'done' })).toBe(total);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter and is capped', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(4, () => 0.5)).toBe(6000);
    expect(backoffMs(40, () => 1)).toBe(15 * 60_000);
  });
});

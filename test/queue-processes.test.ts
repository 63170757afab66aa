// The queue across real processes: several workers on one PostgreSQL database run each job exactly once;
// a worker killed with SIGKILL mid-job loses nothing: its job runs again once the lease expires.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countJobs, enqueue } from '../src/jobs/index.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.ts';

const script = fileURLToPath(new URL('./fixtures/queue-worker.ts', import.meta.url));

function startWorker(url: string, leaseMs: number, concurrency = 4): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, String(leaseMs), String(concurrency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(DIALECTS)('queue across processes on %s', (dialect) => {
  let t: TestDatabase;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await t.db.kysely.deleteFrom('jobs').execute();
    await t.db.kysely.deleteFrom('audit_events').execute();
  });
  afterAll(async () => t?.drop());

  const runsOf = async (action: string) =>
    (
      await t.db.kysely
        .selectFrom('audit_events')
        .select(['subject_id', 'details'])
        .where('action', '=', action)
        .execute()
    ).map((r) => ({ job: r.subject_id, ...JSON.parse(r.details) }));

  it('four worker processes run each of 400 jobs exactly once', async () => {
    const total = 400;
    await t.db.kysely.transaction().execute(async (trx) => {
      for (let n = 0; n < total; n++) await enqueue(trx, { task: 'record', payload: { n } });
    });
    children.push(...(await Promise.all([1, 2, 3, 4].map(() => startWorker(t.url, 30_000)))));
    await waitFor(async () => (await countJobs(t.db.kysely, { state: 'done' })) === total, 60_000, 'all jobs done');
    const done = await runsOf('job-done');
    expect(done).toHaveLength(total);
    expect(new Set(done.map((r) => r.n)).size).toBe(total);
    expect((await runsOf('job-started')).length).toBe(total);
    // The work really was shared between processes.
    expect(new Set(done.map((r) => r.pid)).size).toBeGreaterThan(1);
  });

  it('a worker killed with SIGKILL mid-job: the job runs again after its lease and nothing is lost', async () => {
    const { id } = await enqueue(t.db.kysely, { task: 'record', payload: { n: 1, hangOnFirstAttempt: true } });
    for (let n = 2; n <= 20; n++) await enqueue(t.db.kysely, { task: 'record', payload: { n } });
    const victim = await startWorker(t.url, 1500, 1);
    children.push(victim);
    await waitFor(async () => (await runsOf('job-started')).some((r) => r.job === id), 20_000, 'the job to start');
    victim.kill('SIGKILL');
    await once(victim, 'exit');
    const running = await t.db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(running.state).toBe('running');
    children.push(await startWorker(t.url, 1500, 2));
    await waitFor(
      async () => (await countJobs(t.db.kysely, { state: 'done' })) === 20,
      30_000,
      'all jobs done after the kill',
    );
    const job = await t.db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(Number(job.attempts)).toBe(2);
    const done = await runsOf('job-done');
    expect(done.map((r) => r.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(done.find((r) => r.job === id)?.pid).not.toBe(victim.pid);
  });
});

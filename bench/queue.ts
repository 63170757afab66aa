// Queue throughput: jobs per second through a no-op handler with 4 workers (each with its own database
// connection, as separate processes would have), on SQLite and on PostgreSQL.
import { z } from 'zod';
import { openDatabase } from '../src/db/index.ts';
import { countJobs, defineTask, enqueue, Worker } from '../src/jobs/index.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createDatabaseUrl } from '../test/support/databases.ts';
import { migrateToLatest } from '../src/db/index.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 5000);
const WORKERS = 4;
const noop = defineTask({ name: 'noop', payload: z.object({ n: z.number() }), perform: async () => undefined });
const logger = createLogger({ level: 'silent' });

export async function benchQueue(): Promise<void> {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const { url, remove } = await createDatabaseUrl(dialect);
    const setup = openDatabase(url);
    await migrateToLatest(setup);
    const enqueueStart = performance.now();
    await setup.kysely.transaction().execute(async (trx) => {
      for (let n = 0; n < JOBS; n++) await enqueue(trx, { task: 'noop', payload: { n } });
    });
    const enqueueMs = performance.now() - enqueueStart;
    const dbs = Array.from({ length: WORKERS }, () => openDatabase(url, { poolSize: 4 }));
    const workers = dbs.map((db) => new Worker({ db, logger, tasks: [noop], concurrency: 4, pollMs: 10 }));
    const start = performance.now();
    await Promise.all(workers.map((w) => w.drain()));
    const ms = performance.now() - start;
    const done = await countJobs(setup.kysely, { state: 'done' });
    if (done !== JOBS) throw new Error(`expected ${JOBS} done jobs, found ${done}`);
    console.log(
      `queue ${dialect.padEnd(8)} ${JOBS} jobs, ${WORKERS} workers x 4 concurrency: ${(JOBS / (ms / 1000)).toFixed(0)} jobs/s processed (${ms.toFixed(0)} ms); enqueue ${(JOBS / (enqueueMs / 1000)).toFixed(0)} jobs/s in one transaction`,
    );
    await Promise.all(dbs.map((db) => db.close()));
    await setup.close();
    await remove();
  }
}

import type { Command } from 'commander';
import { HOUSEKEEPING_EVERY_MS } from '../../jobs/tasks/housekeeping.ts';
import { allTasks } from '../../jobs/tasks/index.ts';
import { enqueue, Worker } from '../../jobs/index.ts';
import { scheduleReconciliation } from '../../tracking/index.ts';
import { createGitlabDeps } from '../../gitlab/index.ts';
import { buildApp } from '../../http/app.ts';
import { openRuntime } from '../runtime.ts';

type Role = 'all' | 'web' | 'worker';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the hub (HTTP and a worker; --role splits them)')
    .option('--role <role>', 'all | web | worker', 'all')
    .option('--concurrency <n>', 'jobs a worker runs at once', '8')
    .action(async (options: { role: Role; concurrency: string }) => {
      if (!['all', 'web', 'worker'].includes(options.role)) throw new Error(`--role must be all, web or worker, not ${options.role}`);
      const runtime = await openRuntime({ generateKey: true });
      const { logger, db, env } = runtime;
      const gitlab = createGitlabDeps(db, env, runtime.secretBox);
      let worker: Worker | null = null;
      let housekeepingTimer: NodeJS.Timeout | null = null;
      if (options.role !== 'web') {
        worker = new Worker({ db, logger, tasks: allTasks, concurrency: Number(options.concurrency), leaseMs: env.JOB_LEASE_MS, deps: { env, secretBox: runtime.secretBox, gitlab } });
        worker.start();
        const scheduleHousekeeping = () =>
          enqueue(db.kysely, { task: 'housekeeping', payload: {}, uniqueKey: `housekeeping:${Math.floor(Date.now() / HOUSEKEEPING_EVERY_MS)}` }).catch((error) =>
            logger.warn({ err: error }, 'could not schedule housekeeping'),
          );
        const scheduleReconcile = () =>
          scheduleReconciliation(db.kysely, env.RECONCILE_EVERY_MS).catch((error) => logger.warn({ err: error }, 'could not schedule reconciliation'));
        await scheduleHousekeeping();
        await scheduleReconcile();
        const every = Math.min(HOUSEKEEPING_EVERY_MS / 4, env.RECONCILE_EVERY_MS);
        housekeepingTimer = setInterval(() => {
          void scheduleHousekeeping();
          void scheduleReconcile();
        }, every);
        logger.info({ workerId: worker.id }, 'worker started');
      }
      const app =
        options.role === 'worker'
          ? null
          : await buildApp({ db, env, logger, secretBox: runtime.secretBox, gitlab, ...(worker ? { onJobsEnqueued: () => worker?.poke() } : {}) });
      if (app) {
        await app.listen({ port: env.PORT, host: env.HOST });
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : env.PORT;
        logger.info({ url: `http://localhost:${port}`, database: db.dialect }, `Vulnbridge is serving on http://localhost:${port}`);
      }
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping');
        if (housekeepingTimer) clearInterval(housekeepingTimer);
        await app?.close();
        await worker?.stop();
        await runtime.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}

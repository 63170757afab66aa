// The hub's server as a reusable piece: HTTP (Fastify) and/or a worker with its housekeeping and
// reconciliation timers, on an already opened runtime. `vulnbridge serve` and `vulnbridge demo` use it.
import { allTasks, HOUSEKEEPING_EVERY_MS } from '../tasks/index.ts';
import { enqueue, Worker } from '../jobs/index.ts';
import { scheduleReconciliation } from '../tracking/index.ts';
import { createGitlabDeps } from '../gitlab/index.ts';
import { buildApp } from '../http/index.ts';
import { issueSetupCode } from '../services/index.ts';
import type { Runtime } from './runtime.ts';

export type Role = 'all' | 'web' | 'worker';

export interface ServerOptions {
  runtime: Runtime;
  /** all (default) | web | worker */
  role?: Role;
  /** Jobs a worker runs at once (default 8). */
  concurrency?: number;
}

export interface RunningServer {
  /** The port HTTP listens on; null for a worker only. */
  port: number | null;
  /** Stops HTTP, the timers and the worker; the runtime stays open (its owner closes it). */
  close(): Promise<void>;
}

/** Where a browser on this machine reaches a server listening on `host` (any address: the loopback one). */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { runtime } = options;
  const role = options.role ?? 'all';
  const { logger, db, env } = runtime;
  const gitlab = createGitlabDeps(db, env, runtime.secretBox);
  let worker: Worker | null = null;
  let housekeepingTimer: NodeJS.Timeout | null = null;
  if (role !== 'web') {
    worker = new Worker({
      db,
      logger,
      tasks: allTasks,
      concurrency: options.concurrency ?? 8,
      leaseMs: env.JOB_LEASE_MS,
      deps: { env, secretBox: runtime.secretBox, gitlab },
    });
    worker.start();
    const scheduleHousekeeping = () =>
      enqueue(db.kysely, {
        task: 'housekeeping',
        payload: {},
        uniqueKey: `housekeeping:${Math.floor(Date.now() / HOUSEKEEPING_EVERY_MS)}`,
      }).catch((error) => logger.warn({ err: error }, 'could not schedule housekeeping'));
    const scheduleReconcile = () =>
      scheduleReconciliation(db.kysely, env.RECONCILE_EVERY_MS).catch((error) =>
        logger.warn({ err: error }, 'could not schedule reconciliation'),
      );
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
    role === 'worker'
      ? null
      : await buildApp({
          db,
          env,
          logger,
          secretBox: runtime.secretBox,
          gitlab,
          ...(worker ? { onJobsEnqueued: () => worker?.poke() } : {}),
        });
  let port: number | null = null;
  if (app) {
    await app.listen({ port: env.PORT, host: env.HOST });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : env.PORT;
    const url = env.PUBLIC_URL?.replace(/\/+$/, '') ?? `http://${displayHost(env.HOST)}:${port}`;
    logger.info({ url, host: env.HOST, database: db.dialect }, `Vulnbridge is serving on ${url}`);
    // First run: a one-time code, printed once here, that the set-up page asks for (only its hash is stored).
    const setupCode = await issueSetupCode(db.kysely);
    if (setupCode)
      logger.warn({ setupUrl: `${url}/setup` }, `Open ${url}/setup and enter the set-up code: ${setupCode}`);
  }
  return {
    port,
    async close() {
      if (housekeepingTimer) clearInterval(housekeepingTimer);
      await app?.close();
      await worker?.stop();
    },
  };
}

import type { Command } from 'commander';
import { openRuntime } from '../runtime.ts';
import { type Role, startServer } from '../server.ts';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the hub (HTTP and a worker; --role splits them)')
    .option('--role <role>', 'all | web | worker', 'all')
    .option('--concurrency <n>', 'jobs a worker runs at once', '8')
    .action(async (options: { role: Role; concurrency: string }) => {
      if (!['all', 'web', 'worker'].includes(options.role))
        throw new Error(`--role must be all, web or worker, not ${options.role}`);
      const runtime = await openRuntime({ generateKey: true });
      const server = await startServer({ runtime, role: options.role, concurrency: Number(options.concurrency) });
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        runtime.logger.info({ signal }, 'stopping');
        await server.close();
        await runtime.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}

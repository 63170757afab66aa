import type { Command } from 'commander';
import { openRuntime } from '../runtime.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (serve does this too)')
    .action(async () => {
      const runtime = await openRuntime({ migrate: false, generateKey: true });
      const { migrateToLatest } = await import('../../db/index.ts');
      const applied = await migrateToLatest(runtime.db);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
      await runtime.close();
    });
}

import type { Command } from 'commander';
import { DomainError } from '../../lib/index.ts';
import { exportScan } from '../../services/index.ts';
import { resolveOrganization } from '../organization.ts';
import { openRuntime } from '../runtime.ts';

export function register(program: Command): void {
  program
    .command('export <scan-id>')
    .description('print a scan as normalised JSON: the scan, its vulnerabilities and all their findings')
    .option('--organization-id <id>', 'the organization (default: the only one)')
    .action(async (scanId: string, options: { organizationId?: string }) => {
      const runtime = await openRuntime({ generateKey: true, quiet: true, existingDatabase: true });
      try {
        const organizationId = await resolveOrganization(runtime.db, options.organizationId);
        const scan = await exportScan(runtime.db.kysely, organizationId, scanId);
        await new Promise<void>((resolve) =>
          process.stdout.write(`${JSON.stringify(scan, null, 2)}\n`, () => resolve()),
        );
      } catch (error) {
        if (error instanceof DomainError) throw new Error(error.message);
        throw error;
      } finally {
        await runtime.close();
      }
    });
}

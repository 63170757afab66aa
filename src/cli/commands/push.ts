import type { Command } from 'commander';
import { createGitlabDeps, findConnection, linkProject } from '../../gitlab/index.ts';
import { Worker } from '../../jobs/index.ts';
import { allTasks } from '../../tasks/index.ts';
import { DomainError } from '../../lib/index.ts';
import { getScanRow } from '../../services/index.ts';
import { createPush, summarizePush } from '../../tracking/index.ts';
import { resolveOrganization } from '../organization.ts';
import { openRuntime } from '../runtime.ts';

export function register(program: Command): void {
  program
    .command('push')
    .description(
      'create one GitLab issue per finding of a vulnerability; works through its own jobs and exits when they are done',
    )
    .requiredOption('--scan <scan-id>', 'the scan')
    .requiredOption('--vulnerability <vulnerability-id>', 'the vulnerability of that scan')
    .option('--project <id-or-path>', 'the GitLab project (id or path); default: the scan’s chosen project')
    .option('--label <label...>', 'extra labels of your own')
    .option('--no-confidential', 'create the issues as non-confidential')
    .option('--organization-id <id>', 'the organization (default: the only one)')
    .option('--json', 'print {"created","adopted","failed","issues":[…]} when the push has finished')
    .action(
      async (options: {
        scan: string;
        vulnerability: string;
        project?: string;
        label?: string[];
        confidential: boolean;
        organizationId?: string;
        json?: boolean;
      }) => {
        const runtime = await openRuntime({ generateKey: true, quiet: true, existingDatabase: true });
        const say = (line: string) => {
          if (!options.json) process.stderr.write(`${line}\n`);
        };
        const gitlab = createGitlabDeps(runtime.db, runtime.env, runtime.secretBox);
        const worker = new Worker({
          db: runtime.db,
          logger: runtime.logger,
          tasks: allTasks,
          concurrency: 8,
          leaseMs: runtime.env.JOB_LEASE_MS,
          deps: { env: runtime.env, secretBox: runtime.secretBox, gitlab },
        });
        try {
          const organizationId = await resolveOrganization(runtime.db, options.organizationId);
          const scan = await getScanRow(runtime.db.kysely, organizationId, options.scan);
          if (options.project) {
            const connection = await findConnection(runtime.db.kysely, organizationId, scan.target_id);
            if (!connection)
              throw new Error('the scan’s target is not connected to GitLab (vulnbridge connect gitlab …)');
            const { client } = await gitlab.tokens.client(connection.id);
            const project = await client.project(
              /^\d+$/.test(options.project) ? Number(options.project) : options.project,
            );
            const linked = await linkProject(
              { db: runtime.db.kysely, env: runtime.env, box: runtime.secretBox },
              client,
              { connection, scanId: scan.id, projectId: project.id, actorUserId: null },
            );
            for (const message of linked.messages) say(message);
          }
          const { pushId, items } = await createPush(runtime.db.kysely, {
            organizationId,
            scanId: scan.id,
            vulnerabilityId: options.vulnerability,
            options: { labels: options.label ?? [], confidential: options.confidential },
            requestedBy: null,
          });
          say(`push ${pushId}: ${items} findings queued`);
          let last = '';
          for (;;) {
            await worker.drain();
            const summary = await summarizePush(runtime.db.kysely, organizationId, pushId);
            const c = summary.counts;
            const line = `created ${c.created}, adopted ${c.adopted}, failed ${c.failed}, waiting for rate limit ${c.waiting}, pending ${c.pending} of ${c.total}`;
            if (line !== last) say(line);
            last = line;
            if (summary.finished) {
              const result = {
                created: c.created,
                adopted: c.adopted,
                failed: c.failed,
                issues: summary.items
                  .filter((i) => i.iid !== null)
                  .map((i) => ({ findingId: i.findingId, publicId: i.publicId, iid: i.iid, webUrl: i.webUrl })),
              };
              if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
              for (const failed of summary.items.filter((i) => i.state === 'failed'))
                say(`failed ${failed.publicId}: ${failed.error ?? 'unknown error'}`);
              if (c.failed > 0) process.exitCode = 1;
              return;
            }
            const connection = await findConnection(runtime.db.kysely, organizationId, scan.target_id);
            if (!connection || connection.status !== 'connected') {
              throw new Error(
                `the push is paused: the GitLab connection needs reconnecting (${connection?.status_reason ?? 'not connected'}); reconnect, then run a server or this command again to finish it`,
              );
            }
            const next = await runtime.db.kysely
              .selectFrom('jobs')
              .select('run_at')
              .where('task', '=', 'create-issue')
              .where('state', '=', 'queued')
              .orderBy('run_at')
              .executeTakeFirst();
            const wait = next ? Math.min(60_000, Math.max(100, Date.parse(next.run_at) - Date.now())) : 200;
            await new Promise((resolve) => setTimeout(resolve, wait));
          }
        } catch (error) {
          if (error instanceof DomainError) throw new Error(error.message);
          throw error;
        } finally {
          await worker.stop();
          await runtime.close();
        }
      },
    );
}

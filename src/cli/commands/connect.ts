import type { Command } from 'commander';
import {
  checkInstanceUrl,
  createGuardedFetch,
  GitlabClient,
  parseAllowedHosts,
  saveConnection,
} from '../../gitlab/index.ts';
import { DomainError } from '../../lib/index.ts';
import { createTarget, getTarget } from '../../services/index.ts';
import { resolveOrganization } from '../organization.ts';
import { openRuntime } from '../runtime.ts';

export function register(program: Command): void {
  const connect = program.command('connect').description('connect a target to an issue tracker');
  connect
    .command('gitlab')
    .description(
      'connect a target to GitLab with a personal, project or group access token (scope api), for CI and scripts',
    )
    .requiredOption('--target <id-or-base-url>', 'the target: its id, or its base URL (created when new)')
    .requiredOption('--url <gitlab-url>', 'the GitLab instance, e.g. https://gitlab.com or https://example.com/gitlab')
    .option('--token <token>', 'the access token (default: $GITLAB_TOKEN)')
    .option('--organization-id <id>', 'the organization (default: the only one)')
    .option('--json', 'print the connection as JSON')
    .action(
      async (options: { target: string; url: string; token?: string; organizationId?: string; json?: boolean }) => {
        const token = options.token ?? process.env.GITLAB_TOKEN;
        if (!token) throw new Error('give the token with --token or GITLAB_TOKEN');
        const runtime = await openRuntime({ generateKey: true, quiet: true, existingDatabase: true });
        try {
          const allowed = parseAllowedHosts(runtime.env.GITLAB_ALLOWED_HOSTS);
          const baseUrl = checkInstanceUrl(options.url, allowed);
          const organizationId = await resolveOrganization(runtime.db, options.organizationId);
          const target = /^https?:\/\//i.test(options.target)
            ? await runtime.db.kysely
                .selectFrom('targets')
                .select('id')
                .where('organization_id', '=', organizationId)
                .where('base_url', '=', options.target.replace(/\/+$/, ''))
                .executeTakeFirst()
                .then(
                  (row) =>
                    row ??
                    createTarget(
                      runtime.db.kysely,
                      { organizationId, userId: null },
                      { name: new URL(options.target).host, baseUrl: options.target.replace(/\/+$/, '') },
                    ),
                )
            : await getTarget(runtime.db.kysely, organizationId, options.target);
          const client = new GitlabClient({ baseUrl, fetch: createGuardedFetch(allowed), token: async () => token });
          const user = await client.currentUser();
          const connection = await saveConnection(runtime.db.kysely, runtime.secretBox, {
            organizationId,
            targetId: target.id,
            instanceId: 'token',
            baseUrl,
            authKind: 'access_token',
            user,
            tokens: { accessToken: token, refreshToken: null, expiresAt: null },
            connectedBy: null,
          });
          const result = {
            targetId: target.id,
            connectionId: connection.id,
            baseUrl,
            user: { id: user.id, username: user.username, name: user.name },
            status: connection.status,
          };
          process.stdout.write(
            options.json
              ? `${JSON.stringify(result)}\n`
              : `connected target ${target.id} to ${baseUrl} as @${user.username}\n`,
          );
        } catch (error) {
          if (error instanceof DomainError) throw new Error(error.message);
          throw error;
        } finally {
          await runtime.close();
        }
      },
    );
}

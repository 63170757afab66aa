import { stdin } from 'node:process';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { emailSchema, passwordSchema, roleSchema } from '../../contracts/index.ts';
import { addMember, createOrganizationWithOwner } from '../../services/index.ts';
import { openRuntime } from '../runtime.ts';

async function readPassword(): Promise<string> {
  if (process.env.VULNBRIDGE_PASSWORD) return process.env.VULNBRIDGE_PASSWORD;
  if (!stdin.isTTY) {
    const lines = createInterface({ input: stdin });
    for await (const line of lines) return line;
    return '';
  }
  const rl = createInterface({ input: stdin, output: process.stderr });
  const answer = await rl.question('Password (at least 12 characters): ');
  rl.close();
  return answer;
}

export function register(program: Command): void {
  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user: the Owner of a new organization, or a member of an existing one (--organization-id)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .option('--organization <name>', 'name of the new organization', 'My organization')
    .option('--organization-id <id>', 'add to this existing organization instead')
    .option('--role <role>', 'role in an existing organization', 'reader')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nThe password is read from VULNBRIDGE_PASSWORD, else from standard input (one line), else asked for.\n' +
        'An e-mail that already has an account is refused (its password would not be used): to add an existing\n' +
        'account to another organization, invite it from Settings → Members; it accepts with its own password.',
    )
    .action(
      async (options: {
        email: string;
        name: string;
        organization: string;
        organizationId?: string;
        role: string;
        json?: boolean;
      }) => {
        const password = await readPassword();
        const input = z
          .object({ email: emailSchema, password: passwordSchema, role: roleSchema })
          .safeParse({ email: options.email, password, role: options.role });
        if (!input.success)
          throw new Error(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const runtime = await openRuntime({ generateKey: true, quiet: true });
        try {
          let result: { organizationId: string; userId: string; role: string };
          if (options.organizationId) {
            const owner = await runtime.db.kysely
              .selectFrom('memberships')
              .select('user_id')
              .where('organization_id', '=', options.organizationId)
              .where('role', '=', 'owner')
              .executeTakeFirst();
            if (!owner) throw new Error(`no organization ${options.organizationId}`);
            const member = await addMember(
              runtime.db.kysely,
              { organizationId: options.organizationId, userId: owner.user_id, role: 'owner' },
              { email: input.data.email, name: options.name, password, role: input.data.role },
            );
            result = { organizationId: options.organizationId, userId: member.userId, role: member.role };
          } else {
            const created = await createOrganizationWithOwner(runtime.db.kysely, {
              organizationName: options.organization,
              name: options.name,
              email: input.data.email,
              password,
            });
            result = { organizationId: created.organization.id, userId: created.user.id, role: 'owner' };
          }
          process.stdout.write(
            options.json
              ? `${JSON.stringify(result)}\n`
              : `created ${input.data.email} (${result.role}) in organization ${result.organizationId}\n`,
          );
        } finally {
          await runtime.close();
        }
      },
    );
}

// The `vulnbridge` command. Each sub-command lives in ./commands/<name>.ts and exports `register`.
import { Command } from 'commander';
import { runWithAuditContext } from '../audit/index.ts';
import { register as registerConnect } from './commands/connect.ts';
import { register as registerDemo } from './commands/demo.ts';
import { register as registerExport } from './commands/export.ts';
import { register as registerGitlabSandbox } from './commands/gitlab-sandbox.ts';
import { register as registerImport } from './commands/import.ts';
import { register as registerMigrate } from './commands/migrate.ts';
import { register as registerPush } from './commands/push.ts';
import { register as registerServe } from './commands/serve.ts';
import { register as registerUser } from './commands/user.ts';

const program = new Command('vulnbridge')
  .description('Vulnbridge: scan findings into GitLab issues, kept in two-way sync')
  .showHelpAfterError();

for (const register of [
  registerServe,
  registerMigrate,
  registerUser,
  registerImport,
  registerExport,
  registerConnect,
  registerPush,
  registerGitlabSandbox,
  registerDemo,
]) {
  register(program);
}

try {
  // Audit events a command records say they came from the command line (requests and jobs of `serve`
  // and `demo` set their own context).
  await runWithAuditContext({ source: 'cli' }, () => program.parseAsync(process.argv));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  // The operator at the command line may see why GitLab could not be reached (the API keeps it in the log).
  const detail = (error as { detail?: unknown } | null)?.detail;
  process.stderr.write(`vulnbridge: ${message}${typeof detail === 'string' && detail ? ` (${detail})` : ''}\n`);
  process.exitCode = 1;
}

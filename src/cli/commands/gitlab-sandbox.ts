import type { Command } from 'commander';

// Placeholder: the GitLab sandbox command is built in src/sandbox/ (see issue 3).
export function register(program: Command): void {
  program
    .command('gitlab-sandbox')
    .description('start the GitLab sandbox (not built yet)')
    .action(() => {
      throw new Error('the GitLab sandbox is not built yet');
    });
}

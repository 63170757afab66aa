// Builds the web app, starts the real server (see server.ts) and hands its address to the tests
// through VB_E2E_BASE_URL. The returned function is Playwright's teardown.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.VB_E2E_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
  }
  const server = await startServer(repoRoot);
  process.env.VB_E2E_BASE_URL = server.baseUrl;
  process.env.VB_E2E_DATABASE = server.database;
  process.stdout.write(`e2e: Vulnbridge on ${server.baseUrl} (${server.database})\n`);
  return () => server.stop();
}

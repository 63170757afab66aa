// Builds the web app, starts the GitLab sandbox in this process, then the real server (see server.ts)
// pointed at it, and hands both to the tests: VB_E2E_BASE_URL (the hub) and VB_E2E_SANDBOX (JSON: the
// sandbox's url, seeded users and OAuth application; see sandbox.ts). The returned function is
// Playwright's teardown.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/index.ts';
import type { SandboxInfo } from './sandbox.ts';
import { freePort, startServer } from './server.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.VB_E2E_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
  }
  // The sandbox first: its OAuth application must know the hub's redirect URI, so the hub's port is
  // chosen before either starts. No auto-approve, so the browser sees the sign-in and consent pages.
  const port = await freePort();
  const hubOrigin = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({
    redirectUris: [`${hubOrigin}/api/integrations/gitlab/oauth/callback`],
    rateLimits: 'off',
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(repoRoot, {
      port,
      env: { PUBLIC_URL: hubOrigin, GITLAB_ALLOWED_HOSTS: '127.0.0.1' },
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const info: SandboxInfo = { url: sandbox.url, users: sandbox.users, oauthApplication: sandbox.oauthApplication };
  process.env.VB_E2E_BASE_URL = server.baseUrl;
  process.env.VB_E2E_DATABASE = server.database;
  process.env.VB_E2E_DATABASE_URL = server.databaseUrl;
  process.env.VB_E2E_SANDBOX = JSON.stringify(info);
  process.stdout.write(`e2e: Vulnbridge on ${server.baseUrl} (${server.database}), GitLab sandbox on ${sandbox.url}\n`);
  return async () => {
    await server.stop();
    await sandbox.close();
  };
}

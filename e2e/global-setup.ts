// Builds the web app, starts the GitLab sandbox in this process, then the real server (see server.ts)
// pointed at it, and hands both to the tests: VB_E2E_BASE_URL (the hub) and VB_E2E_SANDBOX (JSON: the
// sandbox's url, seeded users and OAuth application; see sandbox.ts). The returned function is
// Playwright's teardown. With VB_CAPTURE_DIR set (npm test), a recording proxy (capture.ts) holds the
// hub's public port and the hub itself listens on another, so every response is captured for the
// secret scan; the tests see the same URL either way.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/index.ts';
import { captureDir, startCaptureProxy } from './capture.ts';
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
  let hubPort = port;
  while (captureDir() && hubPort === port) hubPort = await freePort();
  const sandbox = await startSandbox({
    redirectUris: [`${hubOrigin}/api/integrations/gitlab/oauth/callback`],
    rateLimits: 'off',
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  let proxy: Awaited<ReturnType<typeof startCaptureProxy>> | null = null;
  try {
    server = await startServer(repoRoot, {
      port: hubPort,
      env: { PUBLIC_URL: hubOrigin, GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host },
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  if (hubPort !== port) {
    try {
      proxy = await startCaptureProxy(port, hubPort);
    } catch (error) {
      await server.stop();
      await sandbox.close();
      throw error;
    }
  }
  const info: SandboxInfo = { url: sandbox.url, users: sandbox.users, oauthApplication: sandbox.oauthApplication };
  process.env.VB_E2E_BASE_URL = hubOrigin;
  process.env.VB_E2E_DATABASE = server.database;
  process.env.VB_E2E_DATABASE_URL = server.databaseUrl;
  process.env.VB_E2E_SETUP_CODE = server.setupCode;
  process.env.VB_E2E_SANDBOX = JSON.stringify(info);
  const via = proxy ? ` through a capturing proxy on ${hubOrigin}` : '';
  process.stdout.write(
    `e2e: Vulnbridge on ${server.baseUrl}${via} (${server.database}), GitLab sandbox on ${sandbox.url}\n`,
  );
  return async () => {
    await proxy?.close();
    await server.stop();
    await sandbox.close();
  };
}

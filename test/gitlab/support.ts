// A hub (real database, inject) wired to a GitLab sandbox over real HTTP, with an organization whose
// Owner has registered the sandbox as a self-managed instance.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/lib/logger.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import type { DialectName } from '../../src/db/index.ts';
import { type Client, createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';

export const HUB_URL = 'http://hub.test';
export const REDIRECT_URI = `${HUB_URL}/api/integrations/gitlab/oauth/callback`;

export interface GitlabHarness {
  h: TestApp;
  sandbox: Sandbox;
  org: Org;
  instanceId: string;
  logs: string[];
  close(): Promise<void>;
}

export async function createGitlabHarness(
  dialect: DialectName,
  options: { autoApprove?: string } = {},
): Promise<GitlabHarness> {
  const sandbox = await startSandbox({
    redirectUris: [REDIRECT_URI],
    autoApprove: options.autoApprove ?? 'alice',
    rateLimits: 'off',
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const h = await createTestApp(dialect, {
    env: { PUBLIC_URL: HUB_URL, GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host },
    logger: createLogger({ level: 'debug', destination }),
  });
  const org = await createOrg(h.app, h.t);
  const created = await org.owner.post('/api/gitlab/instances', {
    name: 'Sandbox',
    baseUrl: sandbox.url,
    clientId: sandbox.oauthApplication.clientId,
    clientSecret: sandbox.oauthApplication.clientSecret,
  });
  if (created.statusCode !== 201) throw new Error(`instance: ${created.body}`);
  return {
    h,
    sandbox,
    org,
    instanceId: created.json().instance.id,
    logs,
    close: async () => {
      await h.close();
      await sandbox.close();
    },
  };
}

/** Walk the OAuth flow as the browser would: our authorize → GitLab (auto-approve) → our callback. */
export async function authorizeViaOAuth(
  client: Client,
  targetId: string,
  instanceId: string,
): Promise<{ location: string }> {
  const start = await client.post(`/api/targets/${targetId}/gitlab/authorize`, { instanceId });
  if (start.statusCode !== 200) throw new Error(`authorize: ${start.body}`);
  const gitlab = await fetch(start.json().authorizeUrl, { redirect: 'manual' });
  const back = new URL(gitlab.headers.get('location') ?? '');
  const callback = await client.request('GET', `${back.pathname}${back.search}`);
  return { location: String(callback.headers.location ?? '') };
}

export async function newTarget(client: Client, name = `T ${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  const response = await client.post('/api/targets', {
    name,
    baseUrl: `https://${name.replace(/\W/g, '').toLowerCase()}.example`,
  });
  return response.json().target.id;
}

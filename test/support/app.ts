// A real app (real database, real HTTP stack through inject) and helpers to act as users of it.
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { type Env, parseEnv } from '../../src/config/index.ts';
import { createSecretBox, type SecretBox } from '../../src/crypto/index.ts';
import type { DialectName } from '../../src/db/index.ts';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/context.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { addMember, createOrganizationWithOwner } from '../../src/services/index.ts';
import type { RoleName } from '../../src/contracts/index.ts';
import { recordExchange, recordSecret, teeLoggerToCapture } from './capture.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { silentLogger } from './silent-logger.ts';

export const PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: App;
  t: TestDatabase;
  secretBox: SecretBox;
  /** The key behind secretBox (hex), for child processes that must open the same secrets. */
  secretKey: string;
  env: Env;
  close(): Promise<void>;
}

export async function createTestApp(
  dialect: DialectName,
  options: { env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestApp> {
  const t = await createTestDatabase(dialect);
  const secretKey = randomBytes(32).toString('hex');
  recordSecret('hub-secret-key', secretKey);
  const env = parseEnv({ DATABASE_URL: t.url, VULNBRIDGE_SECRET_KEY: secretKey, LOG_LEVEL: 'silent', ...options.env });
  const secretBox = createSecretBox(Buffer.from(secretKey, 'hex'));
  if (options.logger) teeLoggerToCapture(options.logger);
  const app = await buildApp({
    db: t.db,
    env,
    logger: options.logger ?? silentLogger,
    secretBox,
    webDir: '/nonexistent',
  });
  await app.ready();
  return {
    app,
    t,
    secretBox,
    secretKey,
    env,
    close: async () => {
      await app.close();
      await t.drop();
    },
  };
}

/** A signed-in browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  cookie = '';
  /** Other cookies the server set (name → value), sent back on every request. */
  jar = new Map<string, string>();
  csrf = '';
  bearer = '';
  constructor(readonly app: App) {}

  async request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const all: Record<string, string> = { ...headers };
    const cookies = [this.cookie, ...[...this.jar].map(([k, v]) => `${k}=${v}`)].filter(Boolean);
    if (cookies.length) all.cookie = cookies.join('; ');
    if (this.bearer) all.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && method !== 'GET' && all['x-csrf-token'] === undefined) all['x-csrf-token'] = this.csrf;
    const response = await this.app.inject({
      method: method as 'GET',
      url,
      headers: all,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    recordExchange({
      source: 'vitest',
      method,
      url,
      requestHeaders: all,
      requestBody: body,
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
    });
    const setCookie = response.cookies.find((c) => c.name === 'vb_session');
    if (setCookie) this.cookie = setCookie.value ? `vb_session=${setCookie.value}` : '';
    for (const c of response.cookies) {
      if (c.name === 'vb_session') continue;
      if (c.value) this.jar.set(c.name, c.value);
      else this.jar.delete(c.name);
    }
    if (response.statusCode === 200 && String(response.headers['content-type'] ?? '').includes('json')) {
      const json = response.json();
      if (json && typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
    }
    return response;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body ?? {});
  delete = (url: string) => this.request('DELETE', url);

  async signIn(email: string, password = PASSWORD): Promise<LightMyRequestResponse> {
    return this.post('/api/auth/sign-in', { email, password });
  }
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface Org {
  id: string;
  owner: Client;
  members: Record<RoleName, Client>;
}

/** An organization with one signed-in member of each role. */
export async function createOrg(app: App, tdb: TestDatabase): Promise<Org> {
  const tag = unique();
  const { organization, user } = await createOrganizationWithOwner(tdb.db.kysely, {
    organizationName: `Org ${tag}`,
    name: 'Owner',
    email: `owner-${tag}@example.com`,
    password: PASSWORD,
  });
  const owner = new Client(app);
  await owner.signIn(`owner-${tag}@example.com`);
  const members = { owner } as Record<RoleName, Client>;
  for (const role of ['administrator', 'contributor', 'reader'] as const) {
    await addMember(
      tdb.db.kysely,
      { organizationId: organization.id, userId: user.id, role: 'owner' },
      { email: `${role}-${tag}@example.com`, name: role, password: PASSWORD, role },
    );
    const client = new Client(app);
    const response = await client.signIn(`${role}-${tag}@example.com`);
    if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
    members[role] = client;
  }
  return { id: organization.id, owner, members };
}

/** A test app of the given dialect and an organization in it (see createOrg). */
export async function createTestAppWithOrg(dialect: DialectName): Promise<{ h: TestApp; org: Org }> {
  const h = await createTestApp(dialect);
  try {
    return { h, org: await createOrg(h.app, h.t) };
  } catch (error) {
    await h.close();
    throw error;
  }
}

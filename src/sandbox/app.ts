// Builds and starts the sandbox: state (seed, file, or saved state), router, HTTP server.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxAdmin } from './admin/admin.ts';
import { adminRoutes } from './admin/routes.ts';
import { groupRoutes } from './api/groups.ts';
import { hookRoutes } from './api/hooks.ts';
import { issueRoutes } from './api/issues.ts';
import { labelMemberRoutes } from './api/labels-members.ts';
import { noteRoutes } from './api/notes.ts';
import { projectRoutes } from './api/projects.ts';
import { type FaultRule, parseFaultSpec } from './faults/faults.ts';
import { Router } from './http/router.ts';
import { RequestPipeline } from './http/server.ts';
import { recordStoreSecrets } from './ledger.ts';
import type { RateLimitProfile } from './limits/rate-limiter.ts';
import { authorizeRoutes } from './oauth/authorize.ts';
import { tokenRoutes } from './oauth/token.ts';
import { avatarRoutes } from './pages/avatars.ts';
import { issuePageRoutes } from './pages/issue-pages.ts';
import { Runtime } from './runtime.ts';
import { type SeedInfo, type SeedSpec, buildFromSpec, defaultSeedSpec } from './state/seed.ts';
import { Store } from './state/store.ts';
import type { SandboxData } from './state/types.ts';

export interface SandboxOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A seed spec, or a JSON file holding a spec or a saved state. Default: the built-in world. */
  seed?: SeedSpec | string;
  /** Added to every request (ms). */
  latencyMs?: number;
  /** A --faults spec string or rules. */
  faults?: string | FaultRule[];
  /** Default 'self-managed' (GitLab's own defaults). */
  rateLimits?: RateLimitProfile;
  /** Redirect URIs of the seeded OAuth application. */
  redirectUris?: string[];
  /** Sign in as this user (true: the first user) and approve at /oauth/authorize without a page. */
  autoApprove?: string | boolean;
  /** Webhook delivery timeout; GitLab's is 10 s. */
  hookTimeoutMs?: number;
  /** Load state from this file when it exists, and save to it on close(). */
  stateFile?: string;
  /** Seed of the fault PRNG (fractional faults are reproducible). */
  faultSeed?: number;
}

export interface Sandbox extends SeedInfo {
  /** Instance root, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** `${url}/api/v4` */
  apiUrl: string;
  admin: SandboxAdmin;
  /** The live state, for assertions. */
  store: Store;
  close(): Promise<void>;
}

function isSavedState(v: unknown): v is SandboxData {
  return typeof v === 'object' && v !== null && (v as SandboxData).version === 1 && 'nextId' in v;
}

function infoFromData(data: SandboxData): SeedInfo {
  const app = data.oauthApps[0];
  return {
    users: data.users.map((u) => ({
      username: u.username,
      password: u.password,
      token: data.personalTokens.find((t) => t.userId === u.id && !t.revoked && t.scopes.includes('api'))?.token ?? '',
    })),
    oauthApplication: {
      clientId: app?.uid ?? '',
      clientSecret: app?.secret ?? '',
      redirectUris: app?.redirectUris ?? [],
    },
  };
}

async function loadState(options: SandboxOptions): Promise<{ store: Store; info: SeedInfo }> {
  let source: unknown = options.seed;
  if (options.stateFile && existsSync(options.stateFile))
    source = JSON.parse(await readFile(options.stateFile, 'utf8'));
  else if (typeof source === 'string') source = JSON.parse(await readFile(source, 'utf8'));
  if (isSavedState(source)) {
    const store = new Store(source);
    if (options.redirectUris?.length && store.data.oauthApps[0])
      store.data.oauthApps[0].redirectUris = options.redirectUris;
    return { store, info: infoFromData(store.data) };
  }
  return buildFromSpec((source as SeedSpec | undefined) ?? defaultSeedSpec(), options.redirectUris);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { store, info } = await loadState(options);
  recordStoreSecrets(store);
  const auto = options.autoApprove === true ? (info.users[0]?.username ?? null) : options.autoApprove || null;
  const rt = new Runtime(store, info, {
    rateLimits: options.rateLimits ?? 'self-managed',
    hookTimeoutMs: options.hookTimeoutMs ?? 10_000,
    autoApprove: auto,
    faultSeed: options.faultSeed ?? 1,
  });
  if (options.faults)
    rt.faults.set(typeof options.faults === 'string' ? parseFaultSpec(options.faults) : options.faults);
  rt.faults.baseLatencyMs = options.latencyMs ?? 0;
  const admin = new SandboxAdmin(rt);
  const router = new Router();
  router.addAll([
    ...adminRoutes(admin),
    ...tokenRoutes,
    ...authorizeRoutes,
    ...projectRoutes,
    ...groupRoutes,
    ...issueRoutes,
    ...noteRoutes,
    ...labelMemberRoutes,
    ...hookRoutes,
    ...avatarRoutes,
    ...issuePageRoutes,
  ]);
  const pipeline = new RequestPipeline(rt, router);
  const server = createServer({ keepAliveTimeout: 30_000 }, pipeline.handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  rt.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed = false;
  return {
    ...info,
    url: rt.url,
    apiUrl: `${rt.url}/api/v4`,
    admin,
    store,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of pipeline.held) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.stateFile) await writeFile(options.stateFile, JSON.stringify(store.data));
    },
  };
}

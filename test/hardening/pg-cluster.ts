// Hardening helpers. A private PostgreSQL cluster for one test file (initdb into a temporary directory,
// its own port and socket directory) that the test may stop hard, start and restart without touching
// the machine's shared server; and the hub run as real `vulnbridge serve` child processes, with a small
// API client (Bearer token) for their HTTP API.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { type Db, migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { createApiToken } from '../../src/http/auth/api-tokens.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import { createOrganizationWithOwner } from '../../src/services/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { createDatabaseUrl } from '../support/databases.ts';
import { freePort } from '../support/net.ts';
import { zapReport } from '../support/reports.ts';

export { freePort };

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/vulnbridge.js', import.meta.url));

/** The directory of initdb / pg_ctl, or null when no PostgreSQL server binaries are installed. */
export const PG_BIN: string | null =
  ['15', '16', '17', '14'].map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => existsSync(join(dir, 'initdb'))) ??
  null;

/** Poll `check` until it returns a truthy value; a check that throws (the database is down) counts as not yet. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  what: string,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface PgCluster {
  port: number;
  dir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m <mode>`: immediate kills every backend without a checkpoint (a crash, for clients). */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  start(): Promise<void>;
  /** `pg_ctl restart -m <mode>`. */
  restart(mode: 'immediate' | 'fast'): Promise<void>;
  isUp(): Promise<boolean>;
  /** The server's log file. */
  log(): string;
  destroy(): Promise<void>;
}

/** initdb a fresh cluster owned by the postgres user (we may be root, which PostgreSQL refuses to run as),
 * and start it on a free port, listening on 127.0.0.1 only. fsync is off: a stopped postmaster (even with
 * -m immediate) loses nothing the kernel has, and the shared machine's disk is spared. */
export async function startPgCluster(): Promise<PgCluster> {
  if (!PG_BIN) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  const bin = PG_BIN;
  const dir = mkdtempSync(join(tmpdir(), 'vb-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  await pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=120`;
  const start = async () => {
    await pgRun('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
  };
  await start();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const cluster: PgCluster = {
    port,
    dir,
    url,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    stop: async (mode) => {
      await pgRun('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    start,
    restart: async (mode) => {
      await pgRun('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-m', mode, '-w', '-t', '60', 'restart']);
    },
    isUp: async () => {
      try {
        await pgRun('pg_ctl', ['-D', data, 'status']);
        return true;
      } catch {
        return false;
      }
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    destroy: async () => {
      await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export interface HubProcess {
  role: 'all' | 'web' | 'worker';
  child: ChildProcess;
  /** The HTTP port (web and all), else null. */
  port: number | null;
  url: string;
  /** Every line the process wrote to standard error (pino JSON lines, and anything else). */
  lines: string[];
  alive(): boolean;
  /** SIGTERM (a clean stop), SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `node bin/vulnbridge.js serve --role <role>` with `env` on top of the test's environment; resolves
 * once it has said it is serving (web, all) or that its worker started (worker). A start costs about
 * 5 s of CPU (tsx, the whole source tree): several at once on a busy 2-core machine take a while. */
export async function startHub(
  role: 'all' | 'web' | 'worker',
  env: Record<string, string>,
  options: { port?: number; concurrency?: number } = {},
): Promise<HubProcess> {
  const port = role === 'worker' ? null : (options.port ?? (await freePort()));
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--role', role, '--concurrency', String(options.concurrency ?? 8)],
    {
      env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port ?? 0), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const lines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  const ready = role === 'worker' ? /"msg":"worker started"/ : /Vulnbridge is serving on/;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${role} did not start within 150 s:\n${lines.join('\n')}`));
    }, 150_000);
    const onData = () => {
      if (lines.some((l) => ready.test(l))) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before it was ready:\n${lines.join('\n')}${partial}`));
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    role,
    child,
    port,
    url: `http://127.0.0.1:${port ?? 0}`,
    lines,
    alive,
    stop: async () => {
      if (!alive()) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Wait for every process to be ready; when one fails, stop the others and throw its error (no orphan). */
export async function startAll(starting: Promise<HubProcess>[]): Promise<HubProcess[]> {
  const settled = await Promise.allSettled(starting);
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((h) => h.stop()));
    throw failed.reason;
  }
  return started;
}

/** Lines at level warn (40) or above that a process logged, parsed. */
export function problems(hub: HubProcess): { level: number; msg: string; err?: { message?: string } }[] {
  return hub.lines.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { level: number; msg: string; err?: { message?: string } };
      return entry.level >= 40 ? [entry] : [];
    } catch {
      return [{ level: 60, msg: line }];
    }
  });
}

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field in the tests
export type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>;

/** A client of one hub process's HTTP API with an API token (no cookie, no CSRF). */
export function hubApi(baseUrl: string, token: string): Api {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: response.status, json };
  };
}

export interface Scenario {
  organizationId: string;
  /** The Owner's API token (Bearer). */
  token: string;
}

/** An organization whose Owner holds an API token, in a migrated database. */
export async function createScenario(db: Db): Promise<Scenario> {
  const tag = Math.random().toString(36).slice(2, 8);
  const { organization, user } = await createOrganizationWithOwner(db.kysely, {
    organizationName: `Hardening ${tag}`,
    name: 'Owner',
    email: `owner-${tag}@example.com`,
    password: 'a long password!',
  });
  const { secret } = await createApiToken(
    db.kysely,
    { organizationId: organization.id, userId: user.id, role: 'owner' },
    { name: 'hardening', scopes: ['read', 'write', 'admin'] },
  );
  return { organizationId: organization.id, token: secret };
}

/** What every process test starts from: the database at `url`, migrated and opened here too; the
 * sandbox; an organization whose Owner holds an API token; and the hub processes' environment. */
export interface HubWorld {
  db: Db;
  sandbox: Sandbox;
  scenario: Scenario;
  /** The environment of `vulnbridge serve` processes on this world, answering on `port`, plus `extra`. */
  hubEnv(port: number, extra?: Record<string, string>): Record<string, string>;
  /** Closes the database handle and the sandbox, and removes the hubs' data directory. */
  close(): Promise<void>;
}

export async function startHubWorld(
  url: string,
  options: { onError?: (error: Error) => void } = {},
): Promise<HubWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vb-hubs-'));
  const db = openDatabase(url, { poolSize: 4, ...options });
  await migrateToLatest(db);
  const sandbox = await startSandbox({ rateLimits: 'off' });
  const scenario = await createScenario(db);
  const secretKey = randomBytes(32).toString('hex');
  return {
    db,
    sandbox,
    scenario,
    hubEnv: (port, extra = {}) => ({
      DATABASE_URL: url,
      VULNBRIDGE_SECRET_KEY: secretKey,
      VULNBRIDGE_DATA_DIR: dataDir,
      GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      RECONCILE_EVERY_MS: '3600000',
      ...extra,
    }),
    close: async () => {
      await db.close().catch(() => undefined);
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A HubWorld on a new database of the machine's PostgreSQL server; closing it also drops that database. */
export async function startPostgresHubWorld(): Promise<HubWorld> {
  const { url, remove } = await createDatabaseUrl('postgres');
  const world = await startHubWorld(url).catch(async (error: unknown) => {
    await remove();
    throw error;
  });
  return {
    ...world,
    close: async () => {
      await world.close();
      await remove();
    },
  };
}

/** Through the hubs' HTTP API (each step on the next of `apis`, so several web processes share the
 * work): a target connected to the sandbox as alice, a ZAP scan of `instances` findings of one
 * vulnerability (imported in this process), linked to `projectPath` (the hub registers its webhook). */
export async function preparePush(options: {
  db: Db;
  apis: Api[];
  sandbox: Sandbox;
  organizationId: string;
  site: string;
  instances: number;
  projectPath: string;
}) {
  const { db, apis, sandbox, organizationId, site } = options;
  let step = 0;
  const api: Api = (method, path, body) => apis[step++ % apis.length]!(method, path, body);
  const target = await api('POST', '/api/targets', { name: site.replace(/^https?:\/\//, ''), baseUrl: site });
  if (target.status !== 201) throw new Error(`target: ${target.status} ${JSON.stringify(target.json)}`);
  const targetId = target.json.target.id as string;
  const connected = await api('POST', `/api/targets/${targetId}/gitlab/token`, {
    baseUrl: sandbox.url,
    token: sandbox.users[0]!.token,
  });
  if (connected.status !== 200) throw new Error(`connect: ${connected.status} ${JSON.stringify(connected.json)}`);
  const [summary] = await importReport(db, {
    organizationId,
    actorUserId: null,
    target: { id: targetId },
    file: {
      bytes: zapReport(site, [{ name: 'SQL Injection', risk: 3, instances: options.instances }]),
      name: 'zap.json',
    },
  });
  const scanId = summary!.scanId;
  const vulnerabilityId = (
    await db.kysely.selectFrom('vulnerabilities').select('id').where('scan_id', '=', scanId).executeTakeFirstOrThrow()
  ).id;
  const projectId = sandbox.admin.project(options.projectPath)!.id;
  const linked = await api('PUT', `/api/scans/${scanId}/gitlab/project`, { projectId, confidentialByDefault: false });
  if (linked.status !== 200) throw new Error(`link: ${linked.status} ${JSON.stringify(linked.json)}`);
  return { targetId, scanId, vulnerabilityId, projectId, api };
}

/** Polls a push through a hub's API until it is finished; resolves with its summary. */
// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field in the tests
export function pushFinished(api: Api, pushId: string, timeoutMs: number): Promise<any> {
  return waitFor(
    async () => {
      const response = await api('GET', `/api/pushes/${pushId}`);
      return response.status === 200 && response.json.finished && response.json;
    },
    timeoutMs,
    'the push to finish',
    100,
  );
}

/** The issues of a sandbox project, and their finding ID labels (VB-…). */
export function projectIssues(sandbox: Sandbox, projectId: number) {
  const issues = sandbox.store.data.issues.filter((i) => i.projectId === projectId);
  const labels = issues.map((i) =>
    i.labelIds.map((l) => sandbox.store.label(l)?.name).find((n) => n?.startsWith('VB-')),
  );
  return {
    count: issues.length,
    labelled: labels.filter(Boolean).length,
    distinct: new Set(labels.filter(Boolean)).size,
    issues,
  };
}

// Starts the real Vulnbridge server for the browser tests: a fresh temp data dir, a fresh database
// (a new PostgreSQL database when DATABASE_URL is a postgres:// URL, else a temp SQLite file), a random
// secret key and a free port. `stop` ends the server and removes everything it created.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { captureDir, recordSecret } from '../test/support/capture.ts';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface RunningServer {
  baseUrl: string;
  database: 'sqlite' | 'postgres';
  /** The server's DATABASE_URL, for specs that prepare data the UI cannot (a second organization). */
  databaseUrl: string;
  logFile: string;
  /** The one-time set-up code the server printed in its log (first run: no user yet). */
  setupCode: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function waitForHealth(baseUrl: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`the server exited with code ${exited} before it was healthy:\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`the server did not answer /api/health within 60 s:\n${log}`);
}

/** The set-up code the server prints once it listens ("… enter the set-up code: XXXX-XXXX-XXXX"). */
async function waitForSetupCode(logFile: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    const match = /enter the set-up code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(log);
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server printed no set-up code within 30 s in ${logFile}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface ServerOptions {
  /** Listen on this port (default: a free one). */
  port?: number;
  /** More environment for the server (PUBLIC_URL, GITLAB_ALLOWED_HOSTS, …). */
  env?: Record<string, string>;
}

export async function startServer(repoRoot: string, options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vb-e2e-'));
  const usePostgres = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? '');
  const dbName = `vb_e2e_${randomBytes(6).toString('hex')}`;
  let databaseUrl = join(dataDir, 'vulnbridge.sqlite');
  if (usePostgres) {
    await withAdmin((client) => client.query(`CREATE DATABASE ${dbName}`));
    databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  }
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  // With VB_CAPTURE_DIR (npm test), the log stays in the capture dir, at trace, for the secret scan.
  const capture = captureDir();
  const logFile = capture ? join(capture, `log-e2e-server-${port}.log`) : join(dataDir, 'server.log');
  const secretKey = randomBytes(32).toString('hex');
  recordSecret('hub-secret-key', secretKey);
  const log = createWriteStream(logFile);
  await new Promise((resolve) => log.once('open', resolve));

  const child = spawn(process.execPath, ['bin/vulnbridge.js', 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      VULNBRIDGE_SECRET_KEY: secretKey,
      VULNBRIDGE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? (capture ? 'trace' : 'warn'),
      ...(capture ? { LOG_FILE: '' } : {}), // captured: its standard output and error already go to logFile
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });

  const cleanUp = async () => {
    await stopChild(child);
    log.end();
    if (usePostgres) {
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  let setupCode: string;
  try {
    await waitForHealth(baseUrl, child, logFile);
    setupCode = await waitForSetupCode(logFile);
  } catch (error) {
    await cleanUp().catch(() => {});
    throw error;
  }
  return { baseUrl, database: usePostgres ? 'postgres' : 'sqlite', databaseUrl, logFile, setupCode, stop: cleanUp };
}

// A hub and a GitLab sandbox for hardening tests across real processes: the sandbox in this process
// (so a test can inject faults and read its state), the hub's HTTP API listening on a real port (so the
// sandbox's webhooks reach it) and its workers as `vulnbridge serve --role worker` child processes that
// a test may SIGKILL. Every process shares one database and one secret key.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DialectName } from '../../src/db/index.ts';
import { type FaultKind, type FaultRule, type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import { type Client, createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { freePort, waitFor } from '../support/net.ts';

export { freePort, waitFor };

const cli = fileURLToPath(new URL('../../bin/vulnbridge.js', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** What the worker wrote to standard error (its warnings; the last 4 MB). */
  stderr(): string;
}

export interface HardeningWorld {
  sandbox: Sandbox;
  h: TestApp;
  org: Org;
  hubUrl: string;
  instanceId: string;
  workers: WorkerProcess[];
  startWorker(): WorkerProcess;
  /** SIGKILL: no clean-up at all, its leases expire (JOB_LEASE_MS). */
  killWorker(worker: WorkerProcess): Promise<void>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function startHardeningWorld(
  dialect: DialectName,
  options: { faultSeed?: number } = {},
): Promise<HardeningWorld> {
  const port = await freePort();
  const hubUrl = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({
    rateLimits: 'off',
    autoApprove: 'alice',
    redirectUris: [`${hubUrl}/api/integrations/gitlab/oauth/callback`],
    faultSeed: options.faultSeed ?? 7,
  });
  const h = await createTestApp(dialect, {
    env: { PUBLIC_URL: hubUrl, GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host },
  });
  await h.app.listen({ port, host: '127.0.0.1' });
  const org = await createOrg(h.app, h.t);
  const instance = await org.owner.post('/api/gitlab/instances', {
    name: 'Sandbox',
    baseUrl: sandbox.url,
    clientId: sandbox.oauthApplication.clientId,
    clientSecret: sandbox.oauthApplication.clientSecret,
  });
  if (instance.statusCode !== 201) throw new Error(`instance: ${instance.body}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'vb-hardening-'));
  const env = {
    ...process.env,
    DATABASE_URL: h.t.url,
    VULNBRIDGE_SECRET_KEY: h.secretKey,
    VULNBRIDGE_DATA_DIR: dataDir,
    PUBLIC_URL: hubUrl,
    GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host,
    ISSUE_CREATE_PER_MINUTE: '100000',
    JOB_LEASE_MS: '1500',
    // Reconciliation runs when a test enqueues it, not on the worker's timer in the middle of a push.
    RECONCILE_EVERY_MS: '86400000',
    LOG_LEVEL: 'warn',
    PORT: '0',
  };
  const workers: WorkerProcess[] = [];
  const startWorker = (): WorkerProcess => {
    const child = spawn(process.execPath, [cli, 'serve', '--role', 'worker'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text = (text + chunk.toString()).slice(-4_000_000);
    });
    const worker = { child, stderr: () => text };
    workers.push(worker);
    return worker;
  };
  const killWorker = async (worker: WorkerProcess) => {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
    const exited = once(worker.child, 'exit');
    worker.child.kill('SIGKILL');
    await exited;
  };
  const stopWorkers = async () => {
    const running = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    await Promise.all(
      running.map(async (w) => {
        const exited = once(w.child, 'exit');
        w.child.kill('SIGTERM');
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };
  return {
    sandbox,
    h,
    org,
    hubUrl,
    instanceId: instance.json().instance.id,
    workers,
    startWorker,
    killWorker,
    stopWorkers,
    close: async () => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await h.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Counts the faults the sandbox really injected, from its own rule state: every counted rule carries a
 * `times` budget that the sandbox decrements each time the rule fires (and drops at zero). Latency rules
 * do not decrement, so they cannot be counted this way. */
export class FaultLedger {
  private readonly budget = new Map<FaultKind, number>();
  constructor(private readonly sandbox: Sandbox) {}

  set(rules: FaultRule[]): void {
    this.sandbox.admin.setFaults(rules);
    for (const rule of rules) this.note(rule);
  }

  add(rule: FaultRule): void {
    this.sandbox.admin.addFault(rule);
    this.note(rule);
  }

  /** Faults fired so far, by kind. */
  fired(): Record<string, number> {
    const remaining = new Map<FaultKind, number>();
    for (const rule of this.sandbox.admin.faults().rules)
      remaining.set(rule.kind, (remaining.get(rule.kind) ?? 0) + (rule.times ?? 0));
    return Object.fromEntries([...this.budget].map(([kind, total]) => [kind, total - (remaining.get(kind) ?? 0)]));
  }

  private note(rule: FaultRule): void {
    if (rule.kind === 'latency') return;
    if (rule.times === undefined) throw new Error(`give the ${rule.kind} rule a times budget so it can be counted`);
    this.budget.set(rule.kind, (this.budget.get(rule.kind) ?? 0) + rule.times);
  }
}

/** A sandbox REST call as a GitLab user (their seeded personal access token). */
export function gitlabAs(sandbox: Sandbox, username: string) {
  const token = sandbox.users.find((u) => u.username === username)?.token;
  if (!token) throw new Error(`no sandbox user ${username}`);
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.apiUrl}${path}`, {
      method,
      headers: { 'private-token': token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
}

export async function newTarget(client: Client, site: string): Promise<string> {
  const response = await client.post('/api/targets', { name: new URL(site).host, baseUrl: site });
  if (response.statusCode !== 201 && response.statusCode !== 200) throw new Error(`target: ${response.body}`);
  return response.json().target.id;
}

/** The finding ID label (VB-…) of a sandbox issue. */
export function idLabelOf(sandbox: Sandbox, issue: { labelIds: number[] }): string | undefined {
  return issue.labelIds.map((id) => sandbox.store.label(id)?.name).find((name) => name?.startsWith('VB-'));
}

// The push across real processes: `vulnbridge push` with no server running works through its own jobs;
// a worker process killed with SIGKILL in the middle of a 500-finding push and started again still
// ends with exactly 500 issues.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, migrateToLatest, type Db } from '../../src/db/index.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import { createOrganizationWithOwner } from '../../src/services/index.ts';
import { createPush, summarizePush } from '../../src/tracking/index.ts';
import { createDatabaseUrl } from '../support/databases.ts';
import { zapReport } from '../support/reports.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../bin/vulnbridge.js', import.meta.url));

describe.each(['sqlite', 'postgres'] as const)('push across processes on %s', (dialect) => {
  let sandbox: Sandbox;
  let db: Db;
  let url = '';
  let remove: () => Promise<void>;
  let organizationId = '';
  const dir = mkdtempSync(join(tmpdir(), 'vb-push-'));
  const key = randomBytes(32).toString('hex');
  const children: ChildProcess[] = [];
  const env = () => ({
    ...process.env,
    DATABASE_URL: url,
    VULNBRIDGE_SECRET_KEY: key,
    VULNBRIDGE_DATA_DIR: dir,
    GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host,
    ISSUE_CREATE_PER_MINUTE: '100000',
    JOB_LEASE_MS: '1500',
    LOG_LEVEL: 'warn',
    PORT: '0',
  });
  const vb = async (...args: string[]) =>
    (await run(process.execPath, [cli, ...args], { env: env(), maxBuffer: 64 * 1024 * 1024 })).stdout;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: 'off' });
    ({ url, remove } = await createDatabaseUrl(dialect));
    db = openDatabase(url);
    await migrateToLatest(db);
    organizationId = (
      await createOrganizationWithOwner(db.kysely, {
        organizationName: 'Acme',
        name: 'A',
        email: 'a@example.com',
        password: 'a long password!',
      })
    ).organization.id;
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await db?.close();
    await remove?.();
    await sandbox?.close();
  });

  async function importAndConnect(site: string, instances: number, projectPath: string) {
    const file = join(dir, `report-${instances}.json`);
    writeFileSync(file, zapReport(site, [{ name: 'SQL Injection', risk: 3, instances }]));
    const imported = JSON.parse(await vb('import', file, '--target', site, '--json'));
    const connected = JSON.parse(
      await vb(
        'connect',
        'gitlab',
        '--target',
        imported.targetId,
        '--url',
        sandbox.url,
        '--token',
        sandbox.users[0]!.token,
        '--json',
      ),
    );
    expect(connected.user.username).toBe('alice');
    const vulnerability = await db.kysely
      .selectFrom('vulnerabilities')
      .select('id')
      .where('scan_id', '=', imported.scanId)
      .executeTakeFirstOrThrow();
    const project = sandbox.admin.project(projectPath)!;
    return { scanId: imported.scanId as string, vulnerabilityId: vulnerability.id, project };
  }

  it('`vulnbridge push --json` with no server running creates the issues and prints the result', async () => {
    const { scanId, vulnerabilityId, project } = await importAndConnect(
      'https://cli.example',
      12,
      'acme/platform/security/webgoat',
    );
    const out = JSON.parse(
      await vb(
        'push',
        '--scan',
        scanId,
        '--vulnerability',
        vulnerabilityId,
        '--project',
        'acme/platform/security/webgoat',
        '--json',
      ),
    );
    expect(out).toMatchObject({ created: 12, adopted: 0, failed: 0 });
    expect(out.issues).toHaveLength(12);
    expect(out.issues[0]).toEqual({
      findingId: expect.any(String),
      publicId: expect.stringMatching(/^VB-/),
      iid: expect.any(Number),
      webUrl: expect.stringContaining('/acme/platform/security/webgoat/-/issues/'),
    });
    expect(sandbox.store.data.issues.filter((i) => i.projectId === project.id)).toHaveLength(12);
  });

  it('a worker killed with SIGKILL mid-push and started again: exactly 500 issues', { timeout: 120_000 }, async () => {
    const { scanId, vulnerabilityId, project } = await importAndConnect(
      'https://kill.example',
      500,
      'acme/platform/security/dvwa',
    );
    await vb(
      'push',
      '--scan',
      scanId,
      '--vulnerability',
      vulnerabilityId,
      '--project',
      'acme/platform/security/dvwa',
      '--json',
    ).catch(() => undefined);
    // That push already finished; push the same findings again into a fresh project through a worker we kill.
    const fresh = sandbox.admin.project('acme/platform/security/juice-shop')!;
    await vb(
      'push',
      '--scan',
      scanId,
      '--vulnerability',
      'none',
      '--project',
      'acme/platform/security/juice-shop',
    ).catch(() => undefined); // links the project; the push itself is refused
    const { pushId } = await createPush(db.kysely, {
      organizationId,
      scanId,
      vulnerabilityId,
      options: {},
      requestedBy: null,
    });
    const countIn = (id: number) => sandbox.store.data.issues.filter((i) => i.projectId === id).length;
    const before = countIn(fresh.id);
    const start = () => {
      const child = spawn(process.execPath, [cli, 'serve', '--role', 'worker'], { env: env(), stdio: 'ignore' });
      children.push(child);
      return child;
    };
    for (let kill = 0; kill < 3; kill++) {
      const worker = start();
      const target = before + 100 * (kill + 1);
      const deadline = Date.now() + 30_000;
      while (countIn(fresh.id) < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      worker.kill('SIGKILL');
      await once(worker, 'exit');
    }
    const last = start();
    const deadline = Date.now() + 60_000;
    let summary = await summarizePush(db.kysely, organizationId, pushId);
    while (!summary.finished && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      summary = await summarizePush(db.kysely, organizationId, pushId);
    }
    last.kill('SIGTERM');
    await once(last, 'exit');
    expect(summary.counts).toMatchObject({ total: 500, failed: 0 });
    expect(summary.counts.created + summary.counts.adopted).toBe(500);
    expect(countIn(fresh.id) - before).toBe(500);
    expect(countIn(project.id)).toBe(500);
    const labels = sandbox.store.data.issues
      .filter((i) => i.projectId === fresh.id)
      .map((i) => i.labelIds.map((l) => sandbox.store.label(l)?.name).find((n) => n?.startsWith('VB-')));
    expect(labels.filter(Boolean)).toHaveLength(500);
    expect(new Set(labels.filter(Boolean)).size).toBe(500);
  });
});

// Push throughput against the GitLab sandbox: 1,000 findings with 50 ms latency per request and no rate
// limit (wall time against the floor 1,000 × 50 ms ÷ concurrency), then a scaled-down creation limit
// (wall time against the limit's floor), and API calls per created issue.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseEnv } from '../src/config/index.ts';
import { createSecretBox } from '../src/crypto/index.ts';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createGitlabDeps, GitlabClient, linkProject, saveConnection } from '../src/gitlab/index.ts';
import { Worker } from '../src/jobs/index.ts';
import { allTasks } from '../src/tasks/index.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createOrganizationWithOwner } from '../src/services/index.ts';
import { importReport } from '../src/imports/index.ts';
import { createPush, summarizePush } from '../src/tracking/index.ts';
import { createDatabaseUrl } from '../test/support/databases.ts';
import { zapReport } from '../test/support/reports.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

export interface RemoteSandbox {
  url: string;
  users: { username: string; token: string }[];
  close(): Promise<void>;
}

/** The sandbox in its own process (as `vulnbridge gitlab-sandbox`), so it does not share our CPU. */
export async function spawnSandbox(latencyMs: number): Promise<RemoteSandbox> {
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url)),
      'gitlab-sandbox',
      '--port',
      '0',
      '--latency',
      String(latencyMs),
      '--rate-limits',
      'off',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const info = JSON.parse(line) as { url: string; users: { username: string; token: string }[] };
  return {
    ...info,
    close: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function countIssues(sandbox: RemoteSandbox, projectId: number): Promise<number> {
  const response = await fetch(`${sandbox.url}/api/v4/projects/${projectId}/issues?per_page=1&state=all`, {
    headers: { 'private-token': sandbox.users[0]!.token },
  });
  return Number(response.headers.get('x-total'));
}

async function onePush(options: { findings: number; latencyMs: number; perMinute: number; projectPath: string }) {
  const sandbox = await spawnSandbox(options.latencyMs);
  const { url, remove } = await createDatabaseUrl('sqlite');
  const db = openDatabase(url);
  await migrateToLatest(db);
  const key = randomBytes(32);
  const env = parseEnv({
    DATABASE_URL: url,
    VULNBRIDGE_SECRET_KEY: key.toString('hex'),
    GITLAB_ALLOWED_HOSTS: '127.0.0.1',
    ISSUE_CREATE_PER_MINUTE: String(options.perMinute),
  });
  const box = createSecretBox(key);
  let calls = 0;
  const counting: typeof fetch = (input, init) => {
    calls++;
    return fetch(input, init);
  };
  const gitlab = createGitlabDeps(db, env, box, counting);
  try {
    const { organization } = await createOrganizationWithOwner(db.kysely, {
      organizationName: 'Bench',
      name: 'B',
      email: 'b@example.com',
      password: 'a long password!',
    });
    const [scan] = await importReport(db, {
      organizationId: organization.id,
      actorUserId: null,
      target: { url: 'https://bench.example' },
      file: {
        bytes: zapReport('https://bench.example', [{ name: 'SQL Injection', risk: 3, instances: options.findings }]),
        name: 'bench.json',
      },
    });
    const token = sandbox.users[0]!.token;
    const user = await new GitlabClient({ baseUrl: sandbox.url, fetch, token: async () => token }).currentUser();
    const connection = await saveConnection(db.kysely, box, {
      organizationId: organization.id,
      targetId: scan!.targetId,
      instanceId: 'token',
      baseUrl: sandbox.url,
      authKind: 'access_token',
      user,
      tokens: { accessToken: token, refreshToken: null, expiresAt: null },
      connectedBy: null,
    });
    const { client } = await gitlab.tokens.client(connection.id);
    const project = await client.project(options.projectPath);
    await linkProject({ db: db.kysely, env, box }, client, {
      connection,
      scanId: scan!.scanId,
      projectId: project.id,
      actorUserId: null,
    });
    const before = await countIssues(sandbox, project.id);
    const vulnerability = await db.kysely
      .selectFrom('vulnerabilities')
      .select('id')
      .where('scan_id', '=', scan!.scanId)
      .executeTakeFirstOrThrow();
    const worker = new Worker({
      db,
      logger: createLogger({ level: 'silent' }),
      tasks: allTasks,
      concurrency: CONCURRENCY,
      pollMs: 10,
      deps: { env, secretBox: box, gitlab },
    });
    calls = 0;
    const started = performance.now();
    const { pushId } = await createPush(db.kysely, {
      organizationId: organization.id,
      scanId: scan!.scanId,
      vulnerabilityId: vulnerability.id,
      options: {},
      requestedBy: null,
    });
    worker.start();
    let summary = await summarizePush(db.kysely, organization.id, pushId);
    while (!summary.finished) {
      await new Promise((r) => setTimeout(r, 25));
      summary = await summarizePush(db.kysely, organization.id, pushId);
    }
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    const issues = (await countIssues(sandbox, project.id)) - before;
    return {
      seconds,
      calls,
      created: summary.counts.created,
      adopted: summary.counts.adopted,
      failed: summary.counts.failed,
      issues,
    };
  } finally {
    await db.close();
    await remove();
    await sandbox.close();
  }
}

export async function benchPush(): Promise<void> {
  const n = Number(process.env.BENCH_PUSH_FINDINGS ?? 1000);
  const latency = 50;
  const fast = await onePush({
    findings: n,
    latencyMs: latency,
    perMinute: 100_000,
    projectPath: 'acme/platform/security/webgoat',
  });
  const floor = (n * latency) / 1000 / CONCURRENCY;
  console.log(
    `push ${n} findings, ${latency} ms latency, concurrency ${CONCURRENCY}, no rate limit: ${fast.seconds.toFixed(2)} s (floor ${floor.toFixed(2)} s, ${(fast.seconds / floor).toFixed(2)}x; sandbox in its own process); ${fast.created} created, ${fast.adopted} adopted, ${fast.failed} failed, ${fast.issues} issues in GitLab; ${(fast.calls / Math.max(1, fast.created)).toFixed(3)} API calls per created issue (${fast.calls} calls)`,
  );
  const limit = Number(process.env.BENCH_PUSH_LIMIT ?? 100);
  const limited = await onePush({
    findings: limit + 20,
    latencyMs: 0,
    perMinute: limit,
    projectPath: 'acme/platform/security/dvwa',
  });
  console.log(
    `push ${limit + 20} findings at ${limit} creations/min: ${limited.seconds.toFixed(1)} s (floor 60.0 s: the first ${limit} in the first window, the rest in the next; ${(limited.seconds / 60).toFixed(2)}x); ${limited.created} created, ${limited.issues} issues in GitLab`,
  );
}

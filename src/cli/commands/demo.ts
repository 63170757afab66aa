// `vulnbridge demo`: the whole product on one machine with no GitLab of your own. Starts the GitLab
// sandbox and the hub in this process (SQLite, secret key and sandbox state in a data directory,
// ./data/demo unless --data-dir says otherwise), creates a demo organization, its Owner and the
// "Demo shop" target with the example reports imported, registers the sandbox as a self-managed GitLab
// instance, and prints where to sign in (or, with --json, one JSON line). Ctrl-C stops both.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ensurePrivateDir } from '../../config/index.ts';
import { hashPassword, verifyPassword } from '../../crypto/index.ts';
import { CALLBACK_PATH, addInstance } from '../../gitlab/index.ts';
import { createOrganizationWithOwner, createTarget } from '../../services/index.ts';
import { importReport } from '../../imports/index.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { startServer } from '../server.ts';

const DEMO = {
  organizationName: 'Demo organization',
  name: 'Demo Owner',
  email: 'demo@vulnbridge.test',
  password: 'vulnbridge sandbox tour',
};
const TARGET = { name: 'Demo shop', baseUrl: 'https://demo-shop.example' };
const INSTANCE_NAME = 'GitLab sandbox';
const EXAMPLES = ['zap-anubissbe-1.json', 'nuclei-defectdojo-2.json', 'zap-smithy-1.sarif.json'];
const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** What the demo writes into its data directory; --reset deletes exactly these. */
const DATA_FILES = [
  'vulnbridge.sqlite',
  'vulnbridge.sqlite-wal',
  'vulnbridge.sqlite-shm',
  'vulnbridge.sqlite-journal',
  'secret.key',
  'gitlab-sandbox.json',
];

interface Options {
  reset?: boolean;
  json?: boolean;
  dataDir: string;
  port: string;
  sandboxPort: string;
}

/** What `--json` prints: one line, once both servers listen. */
export interface DemoInfo {
  hubUrl: string;
  dataDir: string;
  signIn: { email: string; password: string; name: string; organization: string };
  target: { name: string; baseUrl: string };
  imported: string[];
  sandbox: { url: string; instanceName: string; users: { username: string; password: string; token: string }[] };
}

function port(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new Error(`--${name} must be a port number (1-65535, or 0 for a free one), got "${value}"`);
  return n;
}

/** A port free on `host` right now (the system's choice), for the hub when --port is 0. */
function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The demo organization and Owner, the target, its example scans and the sandbox instance: each only when missing. */
async function seed(
  runtime: Runtime,
  sandbox: { url: string; clientId: string; clientSecret: string },
): Promise<{ imported: string[] }> {
  const db = runtime.db.kysely;
  let owner = await db
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select(['users.id as userId', 'memberships.organization_id as organizationId'])
    .where('users.email', '=', DEMO.email)
    .executeTakeFirst();
  if (!owner) {
    const created = await createOrganizationWithOwner(db, DEMO);
    owner = { userId: created.user.id, organizationId: created.organization.id };
  } else {
    // A data directory from an older demo may hold its old password; the one printed is the one that works.
    const user = await db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', owner.userId)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(DEMO.password, user.password_hash))) {
      await db
        .updateTable('users')
        .set({ password_hash: await hashPassword(DEMO.password) })
        .where('id', '=', owner.userId)
        .execute();
    }
  }
  const actor = { organizationId: owner.organizationId, userId: owner.userId };
  const existing = await db
    .selectFrom('targets')
    .select('id')
    .where('organization_id', '=', actor.organizationId)
    .where('base_url', '=', TARGET.baseUrl)
    .executeTakeFirst();
  const targetId = existing?.id ?? (await createTarget(db, actor, TARGET)).id;

  const imported: string[] = [];
  for (const file of EXAMPLES) {
    const path = join(examplesDir, file);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    const done = await db
      .selectFrom('scans')
      .select('id')
      .where('target_id', '=', targetId)
      .where('source_sha256', '=', sha256)
      .executeTakeFirst();
    if (done) continue;
    const [summary] = await importReport(runtime.db, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      target: { id: targetId },
      file: { path },
    });
    imported.push(
      `${file}: ${summary?.tool ?? '?'}, ${summary?.vulnerabilities ?? 0} vulnerabilities, ${summary?.findings ?? 0} findings`,
    );
  }

  // The demo's instance is the one at the sandbox's address, or the one of an earlier start on another port.
  const instances = db.selectFrom('gitlab_instances').select('id').where('organization_id', '=', actor.organizationId);
  const instance =
    (await instances.where('base_url', '=', sandbox.url).executeTakeFirst()) ??
    (await instances.where('name', '=', INSTANCE_NAME).executeTakeFirst());
  if (instance) {
    // The sandbox's application is the one in its saved state; keep the hub's copy equal to it.
    await db
      .updateTable('gitlab_instances')
      .set({
        base_url: sandbox.url,
        client_id: sandbox.clientId,
        client_secret_enc: runtime.secretBox.seal(sandbox.clientSecret, `instance:${instance.id}`),
      })
      .where('id', '=', instance.id)
      .execute();
  } else {
    await addInstance(db, runtime.env, runtime.secretBox, actor.organizationId, {
      name: INSTANCE_NAME,
      baseUrl: sandbox.url,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    });
  }
  return { imported };
}

/** The human version of what the demo prints. */
function humanText(info: DemoInfo): string {
  const { hubUrl, signIn, target, imported, sandbox } = info;
  const lines = [
    '',
    `Vulnbridge demo is running. Ctrl-C stops it (data stays in ${info.dataDir}; --reset starts afresh).`,
    '',
    `  Hub             ${hubUrl}`,
    `  Sign in         ${signIn.email} / ${signIn.password}   (Owner of "${signIn.organization}")`,
    `  Target          ${target.name} (${target.baseUrl})${imported.length ? '; imported:' : ', example scans already imported'}`,
    ...imported.map((line) => `                    ${line}`),
    '',
    `  GitLab sandbox  ${sandbox.url}   (registered in the hub as "${sandbox.instanceName}")`,
    ...sandbox.users.map((user) => `  GitLab user     ${user.username} / ${user.password}`),
    '',
    `  Next: open ${hubUrl}, sign in, open ${target.name} > GitLab integration > Authorize, and sign in to`,
    `  the sandbox as ${sandbox.users[0]?.username ?? 'alice'}. Then open a scan > GitLab Issues, pick a project, and Create Issue.`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

async function runDemo(options: Options): Promise<void> {
  const host = process.env.HOST || 'localhost';
  const hubPort = port('port', options.port) || (await freePort(host));
  const sandboxPort = port('sandbox-port', options.sandboxPort);
  const dataDir = resolve(options.dataDir);
  if (options.reset) for (const file of DATA_FILES) rmSync(join(dataDir, file), { force: true });
  ensurePrivateDir(dataDir);

  const hubUrl = `http://localhost:${hubPort}`;
  // The runtime parses the environment once; the demo's own settings go in first. Its secret key is
  // generated into the data directory (not taken from the environment), so its tokens never mix with
  // another hub's.
  Object.assign(process.env, {
    DATABASE_URL: join(dataDir, 'vulnbridge.sqlite'),
    VULNBRIDGE_DATA_DIR: dataDir,
    PORT: String(hubPort),
    HOST: host,
    PUBLIC_URL: hubUrl,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  });
  delete process.env.VULNBRIDGE_SECRET_KEY;

  const { startSandbox } = await import('../../sandbox/index.ts');
  const sandbox = await startSandbox({
    port: sandboxPort,
    redirectUris: [`${hubUrl}${CALLBACK_PATH}`],
    rateLimits: 'off',
    stateFile: join(dataDir, 'gitlab-sandbox.json'),
  });
  // The hub may reach the sandbox's own port, and no other port of this machine.
  const sandboxAt = new URL(sandbox.url).port;
  process.env.GITLAB_ALLOWED_HOSTS = `127.0.0.1:${sandboxAt},localhost:${sandboxAt}`;
  let runtime: Runtime | null = null;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    runtime = await openRuntime({ generateKey: true });
    const { imported } = await seed(runtime, { url: sandbox.url, ...sandbox.oauthApplication });
    server = await startServer({ runtime });
    const info: DemoInfo = {
      hubUrl,
      dataDir,
      signIn: { email: DEMO.email, password: DEMO.password, name: DEMO.name, organization: DEMO.organizationName },
      target: TARGET,
      imported,
      sandbox: { url: sandbox.url, instanceName: INSTANCE_NAME, users: sandbox.users },
    };
    process.stdout.write(options.json ? `${JSON.stringify(info)}\n` : humanText(info));
  } catch (error) {
    await server?.close().catch(() => {});
    await runtime?.close().catch(() => {});
    await sandbox.close().catch(() => {});
    throw error;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`vulnbridge demo: ${signal}, stopping the hub and the GitLab sandbox (its state is saved)\n`);
    let code = 0;
    for (const step of [() => server?.close(), () => runtime?.close(), () => sandbox.close()]) {
      try {
        await step();
      } catch (error) {
        code = 1;
        process.stderr.write(`vulnbridge demo: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('start the hub and a GitLab sandbox together, with a demo sign-in, target and example scans')
    .option('--data-dir <dir>', 'where the demo keeps its database, secret key and sandbox state', 'data/demo')
    .option('--reset', "delete the demo's database, secret key and sandbox state in the data directory first")
    .option('--port <n>', 'port of the hub (0: a free one)', '8080')
    .option('--sandbox-port <n>', 'port of the GitLab sandbox (0: a free one)', '8929')
    .option(
      '--json',
      'print one JSON line {"hubUrl","dataDir","signIn","target","imported","sandbox"} instead of the text',
    )
    .action(runDemo);
}

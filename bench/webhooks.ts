// Webhook figures: (1) ingress throughput and answer times on SQLite, from a load generator on loopback
// against a hub process (`serve --role web`); (2) the time from a note created in the sandbox to the
// comment stored in the hub (so visible through its API), at 100 notes per second, hub with its worker.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createSecretBox } from '../src/crypto/index.ts';
import { migrateToLatest, newId, nowIso, openDatabase } from '../src/db/index.ts';
import { createOrganizationWithOwner, createTarget } from '../src/services/index.ts';
import { importReport } from '../src/imports/index.ts';
import { freePort } from '../test/support/net.ts';
import { zapReport } from '../test/support/reports.ts';
import { spawnSandbox } from './push.ts';

const cli = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));

async function startHub(env: Record<string, string>, role: 'web' | 'all'): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'serve', '--role', role], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${env.PORT}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the hub did not start');
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function ingress(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vb-bench-hooks-'));
  const url = join(dir, 'hub.sqlite');
  const key = randomBytes(32);
  const db = openDatabase(url);
  await migrateToLatest(db);
  const { organization } = await createOrganizationWithOwner(db.kysely, {
    organizationName: 'Bench',
    name: 'B',
    email: 'b@example.com',
    password: 'a long password!',
  });
  const target = await createTarget(
    db.kysely,
    { organizationId: organization.id, userId: null },
    { name: 'T', baseUrl: 'https://t.example' },
  );
  const linkId = newId();
  const secret = randomBytes(24).toString('hex');
  const connectionId = newId();
  const box = createSecretBox(key);
  await db.kysely
    .insertInto('gitlab_connections')
    .values({
      id: connectionId,
      organization_id: organization.id,
      target_id: target.id,
      instance_id: 'token',
      base_url: 'https://gitlab.example',
      auth_kind: 'access_token',
      gitlab_user_id: 1,
      gitlab_username: 'x',
      gitlab_name: 'x',
      gitlab_avatar_url: null,
      access_token_enc: box.seal('t', `connection:${connectionId}:access`),
      refresh_token_enc: null,
      expires_at: null,
      token_version: 1,
      refreshing_until: null,
      status: 'connected',
      status_reason: null,
      connected_by: null,
      created_at: nowIso(),
      updated_at: nowIso(),
    })
    .execute();
  await db.kysely
    .insertInto('project_links')
    .values({
      id: linkId,
      organization_id: organization.id,
      target_id: target.id,
      scan_id: null,
      connection_id: connectionId,
      project_id: 1,
      project_path: 'g/p',
      project_web_url: 'https://gitlab.example/g/p',
      access_level: 40,
      hook_id: 1,
      hook_secret_enc: box.seal(secret, `hook:${linkId}`),
      hook_ref: linkId,
      sync_mode: 'webhook',
      sync_reason: null,
      reconciled_until: null,
      created_at: nowIso(),
      updated_at: nowIso(),
    })
    .execute();
  await db.close();
  const port = await freePort();
  const hub = await startHub(
    {
      DATABASE_URL: url,
      VULNBRIDGE_SECRET_KEY: key.toString('hex'),
      VULNBRIDGE_DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    'web',
  );
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32, pipelining: 1 });
  const total = Number(process.env.BENCH_HOOKS ?? 10_000);
  const body = JSON.stringify({
    object_kind: 'note',
    project: { id: 1 },
    issue: { iid: 1 },
    object_attributes: { id: 1, noteable_type: 'Issue', note: 'x'.repeat(400) },
  });
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < total) {
        const n = next++;
        const t0 = performance.now();
        const response = await pool.request({
          method: 'POST',
          path: `/webhooks/gitlab/${linkId}`,
          headers: {
            'content-type': 'application/json',
            'x-gitlab-event': 'Note Hook',
            'x-gitlab-token': secret,
            'idempotency-key': `bench-${n}`,
          },
          body,
        });
        await response.body.dump();
        if (response.statusCode !== 202) failed++;
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  hub.kill('SIGTERM');
  times.sort((a, b) => a - b);
  console.log(
    `webhooks ingress (SQLite, 32 connections, ${total} deliveries): ${(total / seconds).toFixed(0)} deliveries/s; answer p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms; ${failed} not 202`,
  );
}

async function noteToComment(): Promise<void> {
  const sandbox = await spawnSandbox(0);
  const dir = mkdtempSync(join(tmpdir(), 'vb-bench-notes-'));
  const url = join(dir, 'hub.sqlite');
  const key = randomBytes(32);
  const port = await freePort();
  const env = {
    DATABASE_URL: url,
    VULNBRIDGE_SECRET_KEY: key.toString('hex'),
    VULNBRIDGE_DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    GITLAB_ALLOWED_HOSTS: '127.0.0.1',
  };
  const db = openDatabase(url);
  await migrateToLatest(db);
  const { organization } = await createOrganizationWithOwner(db.kysely, {
    organizationName: 'Bench',
    name: 'B',
    email: 'b@example.com',
    password: 'a long password!',
  });
  const [scan] = await importReport(db, {
    organizationId: organization.id,
    actorUserId: null,
    target: { url: 'https://notes.example' },
    file: { bytes: zapReport('https://notes.example', [{ name: 'XSS', risk: 2, instances: 1 }]), name: 'z.json' },
  });
  const hub = await startHub(env, 'all');
  const run = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], {
        env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}`))));
    });
  const alice = sandbox.users[0]!.token;
  await run('connect', 'gitlab', '--target', scan!.targetId, '--url', sandbox.url, '--token', alice, '--json');
  const vulnerability = await db.kysely
    .selectFrom('vulnerabilities')
    .select('id')
    .where('scan_id', '=', scan!.scanId)
    .executeTakeFirstOrThrow();
  const pushed = JSON.parse(
    await run(
      'push',
      '--scan',
      scan!.scanId,
      '--vulnerability',
      vulnerability.id,
      '--project',
      'acme/platform/security/juice-shop',
      '--json',
    ),
  );
  const iid = pushed.issues[0].iid as number;
  const projectId = (
    await (
      await fetch(`${sandbox.url}/api/v4/projects/${encodeURIComponent('acme/platform/security/juice-shop')}`, {
        headers: { 'private-token': alice },
      })
    ).json()
  ).id as number;
  const bob = sandbox.users.find((u) => u.username === 'bob')!.token;
  const rate = 100;
  const seconds = Number(process.env.BENCH_NOTE_SECONDS ?? 10);
  const sentAt = new Map<number, number>();
  const started = Date.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = Date.now();
    sends.push(
      fetch(`${sandbox.url}/api/v4/projects/${projectId}/issues/${iid}/notes`, {
        method: 'POST',
        headers: { 'private-token': bob, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `bench note ${i}` }),
      })
        .then((r) => r.json())
        .then((note: { id: number }) => {
          sentAt.set(note.id, t0);
        }),
    );
  }
  await Promise.all(sends);
  const deadline = Date.now() + 60_000;
  let rows: { gitlab_note_id: number | null; created_at: string }[] = [];
  while (Date.now() < deadline) {
    rows = await db.kysely
      .selectFrom('comments')
      .select(['gitlab_note_id', 'created_at'])
      .where('source', '=', 'gitlab')
      .execute();
    if (rows.length >= sentAt.size) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const latencies = rows.flatMap((r) => {
    const sent = sentAt.get(Number(r.gitlab_note_id));
    return sent ? [Date.parse(r.created_at) - sent] : [];
  });
  latencies.sort((a, b) => a - b);
  console.log(
    `note in GitLab → comment in the hub at ${rate} notes/s for ${seconds} s: ${latencies.length}/${sentAt.size} arrived; median ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1) ?? 0} ms`,
  );
  hub.kill('SIGTERM');
  await db.close();
  await sandbox.close();
}

export async function benchWebhooks(): Promise<void> {
  await ingress();
  await noteToComment();
}

// Hostile input at the GitLab webhook ingress (POST /webhooks/gitlab/<hook_ref>), over real HTTP on a
// listening hub, on both dialects: wrong, missing, foreign and almost-right tokens; malformed, wrongly
// shaped, poisoned, deeply nested, oversized and huge-but-allowed bodies; duplicates; deliveries about
// issues the hub does not track or another organization tracks. Every refusal must leave no delivery,
// job or comment behind, and the hub must keep serving.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitlabDeps } from '../../src/gitlab/index.ts';
import { Worker } from '../../src/jobs/index.ts';
import { allTasks } from '../../src/tasks/index.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { WEBHOOK_BODY_LIMIT } from '../../src/http/routes/webhooks/post-gitlab-webhook.ts';
import type { DialectName } from '../../src/db/index.ts';
import { createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import { zapReport } from '../support/reports.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { freePort, waitFor } from '../support/net.ts';

interface Sent {
  status: number;
  body: string;
}

/** One POST over a real socket. `chunked` sends no Content-Length. A write the server cut short is not an error. */
function post(
  url: string,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
  chunked = false,
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const all = {
      'content-type': 'application/json',
      ...headers,
      ...(chunked ? {} : { 'content-length': String(bytes.length) }),
    };
    const req = httpRequest(url, { method: 'POST', headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (chunked) {
      for (let at = 0; at < bytes.length; at += 1 << 20) req.write(bytes.subarray(at, at + (1 << 20)));
      req.end();
    } else {
      req.end(bytes);
    }
  });
}

interface Linked {
  hookRef: string;
  hookId: number;
  secret: string;
  projectId: number;
  iid: number;
}

/** A target connected as `user`, a one-finding scan linked to `projectPath` (a hook is registered), its issue created. */
async function linkAndPush(
  t: TestApp,
  org: Org,
  sandbox: Sandbox,
  user: string,
  projectPath: string,
  site: string,
): Promise<Linked> {
  const { owner } = org;
  const targetId = (await owner.post('/api/targets', { name: `T ${user}`, baseUrl: site })).json().target.id;
  const token = sandbox.users.find((u) => u.username === user)!.token;
  const connected = await owner.post(`/api/targets/${targetId}/gitlab/token`, { baseUrl: sandbox.url, token });
  expect(connected.statusCode, connected.body).toBeLessThan(300);
  const bytes = zapReport(site, [{ name: 'SQL Injection', risk: 3, instances: 1 }]);
  const [summary] = await importReport(t.t.db, {
    organizationId: org.id,
    actorUserId: null,
    target: { id: targetId },
    file: { bytes, name: 'z.json' },
  });
  const scanId = summary!.scanId;
  const projectId = sandbox.admin.project(projectPath)!.id;
  const linked = await owner.request('PUT', `/api/scans/${scanId}/gitlab/project`, {
    projectId,
    confidentialByDefault: false,
  });
  expect(linked.json().link.syncMode, linked.body).toBe('webhook');
  const vulnerabilityId = (await owner.get(`/api/scans/${scanId}`)).json().vulnerabilities[0].id;
  const push = (await owner.post(`/api/scans/${scanId}/pushes`, { vulnerabilityId })).json();
  const done = await waitFor(
    async () => {
      const state = (await owner.get(`/api/pushes/${push.pushId}`)).json();
      return state.finished && state;
    },
    20_000,
    'the push',
  );
  const link = await t.t.db.kysely
    .selectFrom('project_links')
    .selectAll()
    .where('id', '=', linked.json().link.id)
    .executeTakeFirstOrThrow();
  const hookRef = link.hook_ref!;
  return {
    hookRef,
    hookId: Number(link.hook_id),
    secret: t.secretBox.open(link.hook_secret_enc!, `hook:${hookRef}`),
    projectId,
    iid: done.items[0].iid,
  };
}

const tally = { tried: 0, refused: 0, stored: 0 };
afterAll(() =>
  console.log(`webhook bad inputs: ${tally.tried} tried, ${tally.refused} refused, ${tally.stored} stored`),
);

describe.each(DIALECTS)('webhook ingress under hostile input on %s', (dialect: DialectName) => {
  let sandbox: Sandbox;
  let h: TestApp;
  let worker: Worker;
  let hubUrl = '';
  let a: Linked;
  let b: Linked;
  const hookUrl = (ref = a.hookRef) => `${hubUrl}/webhooks/gitlab/${ref}`;
  const issueHook = (extra: Record<string, string | string[]> = {}) => ({
    'x-gitlab-event': 'Issue Hook',
    'x-gitlab-token': a.secret,
    ...extra,
  });
  const issueBody = () =>
    JSON.stringify({ object_kind: 'issue', project: { id: a.projectId }, object_attributes: { iid: a.iid } });

  const counts = async () => {
    const n = async (table: 'webhook_deliveries' | 'comments') =>
      Number(
        (
          await h.t.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const jobs = Number(
      (
        await h.t.db.kysely
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('task', '=', 'process-webhook')
          .executeTakeFirstOrThrow()
      ).n,
    );
    return { deliveries: await n('webhook_deliveries'), comments: await n('comments'), jobs };
  };
  const healthy = async () => expect((await fetch(`${hubUrl}/api/health`)).status).toBe(200);

  /** Sends one bad input; it must get `status` and leave no delivery, job or comment behind. */
  const refused = async (what: string, status: number, send: () => Promise<Sent>) => {
    const before = await counts();
    const response = await send();
    const after = await counts();
    tally.tried += 1;
    if (response.status === status) tally.refused += 1;
    tally.stored += after.deliveries - before.deliveries;
    expect(response.status, `${what}: ${response.body.slice(0, 200)}`).toBe(status);
    expect(JSON.parse(response.body).error?.code, what).toBeTruthy();
    expect(after, what).toEqual(before);
    await healthy();
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: 'off' });
    const port = await freePort();
    hubUrl = `http://127.0.0.1:${port}`;
    h = await createTestApp(dialect, { env: { PUBLIC_URL: hubUrl, GITLAB_ALLOWED_HOSTS: new URL(sandbox.url).host } });
    await h.app.listen({ port, host: '127.0.0.1' });
    worker = new Worker({
      db: h.t.db,
      logger: silentLogger,
      tasks: allTasks,
      concurrency: 4,
      pollMs: 20,
      retryDelayMs: () => 50,
      deps: { env: h.env, secretBox: h.secretBox, gitlab: createGitlabDeps(h.t.db, h.env, h.secretBox, fetch) },
    });
    worker.start();
    const [orgA, orgB] = [await createOrg(h.app, h.t), await createOrg(h.app, h.t)];
    a = await linkAndPush(h, orgA, sandbox, 'alice', 'acme/platform/security/dvwa', 'https://a.example');
    // Organization B works in a private project alice cannot see, as root.
    b = await linkAndPush(h, orgB, sandbox, 'root', 'globex/globex-auth-001', 'https://b.example');
    await sandbox.admin.idle();
    await waitFor(
      async () => {
        const pending = await h.t.db.kysely
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('processed_at', 'is', null)
          .execute();
        return pending.length === 0;
      },
      10_000,
      'the set-up deliveries to be processed',
    );
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
    await sandbox?.close();
  });

  it('refuses wrong, missing, foreign and almost-right tokens', async () => {
    const body = issueBody();
    const last = a.secret.at(-1) === 'a' ? 'b' : 'a';
    const tokens: [string, Record<string, string | string[]>][] = [
      ['a wrong token', { 'x-gitlab-token': 'wrong' }],
      ['an empty token', { 'x-gitlab-token': '' }],
      ["organization B's hook secret", { 'x-gitlab-token': b.secret }],
      ['the secret with its last byte changed', { 'x-gitlab-token': `${a.secret.slice(0, -1)}${last}` }],
      ['the secret one byte longer', { 'x-gitlab-token': `${a.secret}x` }],
      ['the secret one byte shorter', { 'x-gitlab-token': a.secret.slice(0, -1) }],
      ['the secret as a prefix of a longer token', { 'x-gitlab-token': `${a.secret}${a.secret}` }],
      ['the secret and a wrong token as two headers', { 'x-gitlab-token': [a.secret, 'wrong'] }],
      ['the secret in another header', { authorization: `Bearer ${a.secret}`, 'x-gitlab-token': 'nope' }],
    ];
    await refused('a missing token', 401, () => post(hookUrl(), { 'x-gitlab-event': 'Issue Hook' }, body));
    for (const [what, headers] of tokens)
      await refused(what, 401, () => post(hookUrl(), { 'x-gitlab-event': 'Issue Hook', ...headers }, body));
    // B's own secret at B's own hook is fine; at A's hook it is not (checked above); A's secret at B's hook neither.
    await refused("organization A's secret at B's hook", 401, () => post(hookUrl(b.hookRef), issueHook(), body));
    await refused('an unknown hook reference', 401, () => post(hookUrl('no-such-hook'), issueHook(), body));
    await refused('a hook reference of 65 characters', 400, () => post(hookUrl('x'.repeat(65)), issueHook(), body));
  });

  it('refuses malformed, wrongly typed and poisoned bodies', async () => {
    const bodies: [string, string, Record<string, string>?][] = [
      ['truncated JSON', '{"object_kind":"issue",'],
      ['not JSON at all', 'object_kind=issue'],
      ['an empty body', ''],
      ['a JSON array', '[{"object_kind":"issue"}]'],
      ['a JSON string', '"issue"'],
      ['a JSON number', '42'],
      ['JSON null', 'null'],
      ['a __proto__ key', '{"object_kind":"issue","__proto__":{"admin":true}}'],
      ['a constructor.prototype key', '{"object_kind":"issue","constructor":{"prototype":{"admin":true}}}'],
      ['an escaped __proto__ key', '{"object_kind":"issue","\\u005f_proto__":{"admin":true}}'],
      ['a lone surrogate pair half', '{"object_kind":"issue","x":"\\ud800'],
      ['plain text sent as text/plain', 'hello', { 'content-type': 'text/plain' }],
      ['a form body', 'object_kind=issue', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['XML', '<issue/>', { 'content-type': 'application/xml' }],
    ];
    for (const [what, body, headers] of bodies) {
      const status =
        headers?.['content-type'] === 'application/xml' || headers?.['content-type']?.startsWith('application/x-www')
          ? 415
          : 400;
      await refused(what, status, () => post(hookUrl(), issueHook(headers), body));
    }
  });

  it('refuses a body over the explicit limit, declared or streamed, and answers a wrong token before reading the body', async () => {
    const over = Buffer.alloc(WEBHOOK_BODY_LIMIT + 1, 0x20);
    over.write('{"object_kind":"note","x":"');
    over.write('"}', over.length - 2);
    await refused('a body one byte over the limit', 413, () =>
      post(hookUrl(), issueHook({ 'x-gitlab-event': 'Note Hook' }), over),
    );
    await refused('a chunked body over the limit', 413, () =>
      post(hookUrl(), issueHook({ 'x-gitlab-event': 'Note Hook' }), over, true),
    );
    await refused('an oversized body with a wrong token', 401, () =>
      post(hookUrl(), { 'x-gitlab-event': 'Note Hook', 'x-gitlab-token': 'wrong' }, over),
    );

    // A declared 20 MB body with a wrong token: the answer must come while the body is still unsent.
    const before = await counts();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        hookUrl(),
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(20 * 1024 * 1024),
            'x-gitlab-event': 'Note Hook',
            'x-gitlab-token': 'wrong',
          },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET' || reject(error));
      req.write('{"object_kind":"note","x":"');
      setTimeout(
        () =>
          reject(
            new Error(
              'no answer within 10 s while the body was incomplete: the body is read before the token is checked',
            ),
          ),
        10_000,
      ).unref();
    });
    tally.tried += 1;
    if (status === 401) tally.refused += 1;
    expect(status).toBe(401);
    expect(await counts()).toEqual(before);
    await healthy();
  }, 60_000);

  it('accepts a huge delivery within the limit, stores it whole, and takes the note from GitLab, not from the payload', async () => {
    const api = (path: string, init: RequestInit) =>
      fetch(`${sandbox.apiUrl}${path}`, {
        ...init,
        headers: { 'private-token': sandbox.users[0]!.token, 'content-type': 'application/json' },
      });
    const real = `${'r'.repeat(999_990)} real end`;
    const note = (await (
      await api(`/projects/${a.projectId}/issues/${a.iid}/notes`, {
        method: 'POST',
        body: JSON.stringify({ body: real }),
      })
    ).json()) as { id: number };
    await sandbox.admin.idle();
    // 6 MB of forged note text: more than GitLab allows in a note, well within the body limit.
    const forged = 'f'.repeat(6 * 1024 * 1024);
    const payload = JSON.stringify({
      object_kind: 'note',
      project: { id: a.projectId },
      object_attributes: { id: note.id, note: forged, noteable_type: 'Issue' },
      issue: { iid: a.iid },
    });
    const sent = await post(
      hookUrl(),
      issueHook({ 'x-gitlab-event': 'Note Hook', 'idempotency-key': `huge-${dialect}` }),
      payload,
    );
    expect(sent.status, sent.body).toBe(202);
    const row = await waitFor(
      async () => {
        const r = await h.t.db.kysely
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('idempotency_key', '=', `${a.hookRef}:huge-${dialect}`)
          .executeTakeFirst();
        return r?.processed_at ? r : undefined;
      },
      15_000,
      'the huge delivery to be processed',
    );
    expect(row.payload.length).toBe(payload.length);
    expect(row.outcome).toBe('note stored');
    const comments = await h.t.db.kysely
      .selectFrom('comments')
      .select(['body'])
      .where('gitlab_note_id', '=', note.id)
      .execute();
    expect(comments.map((c) => c.body.length)).toEqual([real.length]);
    expect(comments[0]!.body.endsWith('real end')).toBe(true);
    await healthy();
  }, 60_000);

  it('a note of GitLab’s maximum length in 3-byte characters, delivered by GitLab, is accepted', async () => {
    const api = (path: string, init: RequestInit) =>
      fetch(`${sandbox.apiUrl}${path}`, {
        ...init,
        headers: { 'private-token': sandbox.users[0]!.token, 'content-type': 'application/json' },
      });
    const body = `${'界'.repeat(999_990)} end`;
    const created = await api(`/projects/${a.projectId}/issues/${a.iid}/notes`, {
      method: 'POST',
      body: JSON.stringify({ body }),
    });
    expect(created.status).toBe(201);
    const note = (await created.json()) as { id: number };
    await sandbox.admin.idle();
    const events = sandbox.admin
      .hookEvents({ hookId: a.hookId })
      .filter((e) => JSON.stringify(e.requestData).includes(`"id":${note.id},`));
    expect(events.map((e) => e.responseStatus)).toEqual(['202']);
    const comment = await waitFor(
      async () =>
        h.t.db.kysely.selectFrom('comments').select('body').where('gitlab_note_id', '=', note.id).executeTakeFirst(),
      15_000,
      'the comment',
    );
    expect(comment.body).toBe(body);
  }, 60_000);

  it('a deeply nested body is refused with a 400, never a 500, and the hub keeps serving', async () => {
    const depth = 200_000;
    const nested = `{"object_kind":"issue","project":{"id":${a.projectId}},"object_attributes":{"iid":${a.iid}},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    await refused('deep nesting with a wrong token', 401, () =>
      post(hookUrl(), issueHook({ 'x-gitlab-token': 'wrong' }), nested),
    );
    await refused('deep nesting with the right token', 400, () =>
      post(hookUrl(), issueHook({ 'idempotency-key': `deep-${dialect}` }), nested),
    );
  }, 30_000);

  it('acknowledges a repeated delivery once, however it is keyed', async () => {
    const before = await counts();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await post(hookUrl(), issueHook({ 'idempotency-key': `dup-${dialect}` }), issueBody())).status);
    // A resend with a different body but the same key is still the same delivery.
    statuses.push(
      (
        await post(
          hookUrl(),
          issueHook({ 'idempotency-key': `dup-${dialect}` }),
          '{"object_kind":"issue","other":true}',
        )
      ).status,
    );
    for (let i = 0; i < 2; i++)
      statuses.push(
        (await post(hookUrl(), issueHook({ 'x-gitlab-event-uuid': `uuid-${dialect}` }), issueBody())).status,
      );
    const unkeyed = JSON.stringify({
      object_kind: 'issue',
      project: { id: a.projectId },
      object_attributes: { iid: a.iid },
      n: dialect,
    });
    for (let i = 0; i < 2; i++) statuses.push((await post(hookUrl(), issueHook(), unkeyed)).status);
    // The same key at another organization's hook is that hook's own delivery, not a duplicate.
    statuses.push(
      (
        await post(
          hookUrl(b.hookRef),
          issueHook({ 'x-gitlab-token': b.secret, 'idempotency-key': `dup-${dialect}` }),
          issueBody(),
        )
      ).status,
    );
    statuses.push(
      (
        await post(
          hookUrl(b.hookRef),
          issueHook({ 'x-gitlab-token': b.secret, 'x-gitlab-event-uuid': `uuid-${dialect}` }),
          issueBody(),
        )
      ).status,
    );
    expect(statuses).toEqual([202, 200, 200, 200, 202, 200, 202, 200, 202, 202]);
    const after = await counts();
    expect(after.deliveries - before.deliveries).toBe(5);
    expect(after.jobs - before.jobs).toBe(5);
  });

  it('records but does not act on deliveries the hub cannot use, and never touches another organization’s issue', async () => {
    const send = async (key: string, event: string, body: unknown) => {
      const sent = await post(
        hookUrl(),
        issueHook({ 'x-gitlab-event': event, 'idempotency-key': `${key}-${dialect}` }),
        JSON.stringify(body),
      );
      return { status: sent.status, key: `${a.hookRef}:${key}-${dialect}` };
    };
    const ignored = await post(
      hookUrl(),
      issueHook({ 'x-gitlab-event': 'Push Hook', 'idempotency-key': `push-${dialect}` }),
      '{"object_kind":"push"}',
    );
    expect(ignored.status).toBe(202);
    expect(
      await h.t.db.kysely
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('idempotency_key', 'like', `%push-${dialect}`)
        .execute(),
    ).toEqual([]);
    const bTracked = () =>
      h.t.db.kysely
        .selectFrom('tracked_issues')
        .select(['state', 'updated_at'])
        .where('project_id', '=', b.projectId)
        .executeTakeFirstOrThrow();
    const bBefore = await bTracked();
    const cases = [
      await send('untracked', 'Issue Hook', {
        object_kind: 'issue',
        project: { id: a.projectId },
        object_attributes: { iid: 99_999 },
      }),
      await send('no-kind', 'Issue Hook', { project: { id: a.projectId } }),
      await send('iid-string', 'Issue Hook', {
        object_kind: 'issue',
        project: { id: a.projectId },
        object_attributes: { iid: String(a.iid) },
      }),
      await send('iid-fraction', 'Issue Hook', {
        object_kind: 'issue',
        project: { id: a.projectId },
        object_attributes: { iid: a.iid + 0.5 },
      }),
      await send('iid-huge', 'Issue Hook', {
        object_kind: 'issue',
        project: { id: a.projectId },
        object_attributes: { iid: 1e20 },
      }),
      await send('project-string', 'Issue Hook', {
        object_kind: 'issue',
        project: { id: 'not a number' },
        object_attributes: { iid: a.iid },
      }),
      await send('project-object', 'Issue Hook', {
        object_kind: 'issue',
        project: { id: { $gt: 0 } },
        object_attributes: { iid: a.iid },
      }),
      await send('note-id-string', 'Note Hook', {
        object_kind: 'note',
        project: { id: a.projectId },
        object_attributes: { id: 'x', noteable_type: 'Issue' },
        issue: { iid: a.iid },
      }),
      await send('mr-note', 'Note Hook', {
        object_kind: 'note',
        project: { id: a.projectId },
        object_attributes: { id: 1, noteable_type: 'MergeRequest' },
        issue: { iid: a.iid },
      }),
      await send('other-org-issue', 'Issue Hook', {
        object_kind: 'issue',
        project: { id: b.projectId },
        object_attributes: { iid: b.iid },
      }),
      await send('other-org-note', 'Note Hook', {
        object_kind: 'note',
        project: { id: b.projectId },
        object_attributes: { id: 1, noteable_type: 'Issue' },
        issue: { iid: b.iid },
      }),
    ];
    expect(cases.map((c) => c.status)).toEqual(cases.map(() => 202));
    const keys = cases.map((c) => c.key);
    const rows = await waitFor(
      async () => {
        const r = await h.t.db.kysely
          .selectFrom('webhook_deliveries')
          .select(['idempotency_key', 'outcome', 'processed_at'])
          .where('idempotency_key', 'in', keys)
          .execute();
        return r.length === keys.length && r.every((d) => d.processed_at) && r;
      },
      15_000,
      'every delivery to be processed',
    );
    const outcome = Object.fromEntries(
      rows.map((r) => [r.idempotency_key.replace(`${a.hookRef}:`, '').replace(`-${dialect}`, ''), r.outcome]),
    );
    expect(outcome).toEqual({
      untracked: 'untracked issue',
      'no-kind': 'no issue iid',
      'iid-string': 'no issue iid',
      'iid-fraction': 'no issue iid',
      'iid-huge': 'no issue iid',
      'project-string': 'another project',
      'project-object': 'another project',
      'note-id-string': 'no note id',
      'mr-note': 'not an issue note',
      'other-org-issue': 'another project',
      'other-org-note': 'another project',
    });
    // None of them failed a job, and B's issue was neither re-read nor marked deleted through A's hook.
    const jobs = () =>
      h.t.db.kysely
        .selectFrom('jobs')
        .select(['state', 'attempts', 'last_error'])
        .where('task', '=', 'process-webhook')
        .execute();
    await waitFor(async () => (await jobs()).every((j) => j.state === 'done'), 10_000, 'the jobs to finish').catch(
      async () => expect(await jobs()).toEqual([]),
    );
    expect((await jobs()).filter((j) => j.attempts > 1 || j.last_error)).toEqual([]);
    expect(await bTracked()).toEqual(bBefore);
    await healthy();
  });
});

// What a Contributor can learn or reach through the hub's outbound GitLab calls and its webhook door, on
// both dialects: GITLAB_ALLOWED_HOSTS lets the hub reach the listed host:port pairs only (another port of
// a listed host is never dialled), a GitLab that cannot be reached gets one message whatever the cause,
// and the webhook endpoint answers an unknown hook and a wrong token alike.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../src/db/index.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.ts';
import { createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe.each(DIALECTS)('reaching GitLab on %s', (dialect) => {
  let h: TestApp;
  let org: Org;
  let sandbox: Sandbox;
  let targetId = '';
  // plain: a listed port that answers plain HTTP (so https fails in the TLS handshake); closed: a listed
  // port with nothing behind it; probe: a port of the same host that is not listed.
  let plain: Server;
  let probe: Server;
  let plainPort = 0;
  let probePort = 0;
  let closedPort = 0;
  let probeConnections = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: 'off' });
    plain = createServer((_req, res) => res.writeHead(200).end('not GitLab'));
    probe = createServer((_req, res) => res.writeHead(200).end('internal service'));
    probe.on('connection', () => probeConnections++);
    plainPort = await listen(plain);
    probePort = await listen(probe);
    const spare = createServer();
    closedPort = await listen(spare);
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const sandboxPort = new URL(sandbox.url).port;
    h = await createTestApp(dialect, {
      env: {
        GITLAB_ALLOWED_HOSTS: `localhost:${sandboxPort},localhost:${plainPort},localhost:${closedPort},127.0.0.1:${sandboxPort}`,
      },
    });
    org = await createOrg(h.app, h.t);
    targetId = (await org.owner.post('/api/targets', { name: 'Shop', baseUrl: 'https://shop.example' })).json().target
      .id;
  });
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
    await new Promise<void>((resolve) => plain.close(() => resolve()));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  const connections = () => h.t.db.kysely.selectFrom('gitlab_connections').select('id').execute();

  it('connects by token to a listed host:port', async () => {
    const port = new URL(sandbox.url).port;
    const ok = await org.members.contributor.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: `http://localhost:${port}`,
      token: sandbox.users[0]?.token,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await org.members.contributor.delete(`/api/targets/${targetId}/gitlab`)).statusCode).toBe(204);
  });

  it('a Contributor cannot make the hub dial another port of a listed host, by name or by address', async () => {
    const before = await connections();
    for (const baseUrl of [
      `https://localhost:${probePort}`,
      `http://localhost:${probePort}`,
      `https://127.0.0.1:${probePort}`,
      `http://127.0.0.1:${probePort}`,
      `https://[::1]:${probePort}`,
      'https://localhost',
      'http://localhost',
    ]) {
      const response = await org.members.contributor.post(`/api/targets/${targetId}/gitlab/token`, {
        baseUrl,
        token: 'glpat-probe-probe-probe',
      });
      expect([400, 502], `${baseUrl}: ${response.body}`).toContain(response.statusCode);
      expect(response.body, baseUrl).not.toMatch(/ECONNREFUSED|SSL|TLS|socket|certificate|resolves to/i);
    }
    expect(probeConnections).toBe(0);
    expect(await connections()).toEqual(before);
  });

  it('a closed port and a refused TLS handshake get the same answer', async () => {
    const answers: { status: number; body: string }[] = [];
    for (const port of [closedPort, plainPort]) {
      const response = await org.members.contributor.post(`/api/targets/${targetId}/gitlab/token`, {
        baseUrl: `https://localhost:${port}`,
        token: 'glpat-probe-probe-probe',
      });
      answers.push({ status: response.statusCode, body: response.body.replaceAll(String(port), 'PORT') });
    }
    expect(answers[0]?.status).toBe(502);
    expect(answers[0]?.body).toContain('could not reach GitLab at https://localhost:PORT');
    expect(answers[1]).toEqual(answers[0]);
  });

  it('answers an unknown webhook and a wrong token alike', async () => {
    const hookRef = newId();
    const port = new URL(sandbox.url).port;
    const connected = await org.members.contributor.post(`/api/targets/${targetId}/gitlab/token`, {
      baseUrl: `http://localhost:${port}`,
      token: sandbox.users[0]?.token,
    });
    const connectionId = connected.json().connection.id as string;
    const now = nowIso();
    // A project link with a hook, written directly: the webhook door only reads the link.
    await h.t.db.kysely
      .insertInto('project_links')
      .values({
        id: newId(),
        organization_id: org.id,
        target_id: targetId,
        scan_id: null,
        connection_id: connectionId,
        project_id: 1,
        project_path: 'g/p',
        project_web_url: 'https://gitlab.example/g/p',
        access_level: 40,
        hook_id: 1,
        hook_secret_enc: h.secretBox.seal('the-right-secret', `hook:${hookRef}`),
        hook_ref: hookRef,
        sync_mode: 'webhook',
        sync_reason: null,
        reconciled_until: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const send = (ref: string, token: string) =>
      h.app.inject({
        method: 'POST',
        url: `/webhooks/gitlab/${ref}`,
        headers: { 'x-gitlab-token': token, 'x-gitlab-event': 'Issue Hook', 'content-type': 'application/json' },
        payload: { object_kind: 'issue' },
      });
    const wrongToken = await send(hookRef, 'not-the-secret');
    const unknownHook = await send(newId(), 'not-the-secret');
    const noToken = await h.app.inject({
      method: 'POST',
      url: `/webhooks/gitlab/${newId()}`,
      headers: { 'content-type': 'application/json' },
      payload: {},
    });
    expect(wrongToken.statusCode).toBe(401);
    expect(unknownHook.statusCode).toBe(wrongToken.statusCode);
    expect(unknownHook.body).toBe(wrongToken.body);
    expect(noToken.statusCode).toBe(401);
    expect(noToken.body).toBe(wrongToken.body);
    const right = await send(hookRef, 'the-right-secret');
    expect(right.statusCode).toBe(202);
  });
});

// The secret scan (scripts/secret-scan.ts) can fail: secrets planted in a log line, a JSON response,
// base64 inside a Basic header, URL-encoded and in a page are each reported by kind, file and line;
// the allow-list lets through exactly its (kind, route, part) and nothing next to it; an empty ledger
// or capture fails. Then the real writers: a sandbox and a signed-in Client fill the ledger and the
// capture, and the scan finds the session cookie only where it is allowed.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { report, scan } from '../../scripts/secret-scan.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import { Client, createOrg, createTestApp } from '../support/app.ts';

const PAT = 'glpat-0123456789abcdef0123';
const ACCESS = 'f3a9c1d27be84e0f9a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f';
const PASSWORD = 'my very secret passphrase';
const SESSION = 'sEsSiOn_Value_0123456789abcdefXYZ';
const CLIENT_SECRET = 'gloas-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

function dirs() {
  const root = mkdtempSync(join(tmpdir(), 'vb-scan-'));
  const ledger = join(root, 'ledger');
  const capture = join(root, 'capture');
  mkdirSync(ledger);
  mkdirSync(capture);
  return { root, ledger, capture };
}

function ledgerOf(dir: string, entries: [string, string][]) {
  writeFileSync(
    join(dir, 'ledger-1.jsonl'),
    entries.map(([kind, value]) => `${JSON.stringify({ kind, value })}\n`).join(''),
  );
}

const response = (method: string, path: string, status: number, headers: Record<string, unknown>, body: string) =>
  `${JSON.stringify({ source: 'vitest', method, path, status, headers, body })}\n`;

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('secret scan', () => {
  it('reports planted secrets by kind, file and line: log line, JSON response, base64, URL-encoded, page', () => {
    const d = dirs();
    roots.push(d.root);
    ledgerOf(d.ledger, [
      ['gitlab-pat', PAT],
      ['gitlab-access-token', ACCESS],
      ['hub-password', PASSWORD],
      ['gitlab-oauth-client-secret', CLIENT_SECRET],
      ['hub-session', SESSION],
      ['gitlab-refresh-token', 'short'], // under 8 characters: ignored
    ]);
    const log = [
      '{"level":30,"msg":"job done"}',
      '{"level":20,"msg":"calling GitLab","headers":{"private-token":"[redacted]"}}',
      `{"level":20,"msg":"GET /api/v4/user?private_token=${PAT}"}`,
      `{"level":20,"msg":"token exchange","auth":"Basic ${Buffer.from(`client-id-123:${CLIENT_SECRET}`).toString('base64')}"}`,
      `{"level":40,"msg":"sign-in failed for body email=a%40b.c&password=${encodeURIComponent(PASSWORD).replace(/%20/g, '+')}"}`,
    ].join('\n');
    writeFileSync(join(d.capture, 'log-vitest-1.log'), `${log}\n`);
    writeFileSync(
      join(d.capture, 'responses-vitest-1.jsonl'),
      response('GET', '/api/health', 200, { 'content-type': 'application/json' }, '{"ok":true}') +
        response(
          'GET',
          '/api/targets/t1/gitlab',
          200,
          { 'content-type': 'application/json' },
          JSON.stringify({ connection: { accessToken: ACCESS } }),
        ),
    );
    mkdirSync(join(d.capture, 'pages'));
    writeFileSync(
      join(d.capture, 'pages', 'page-1.html'),
      `<!-- /targets -->\n<html><body>\n<p>token ${PAT}</p></body></html>\n`,
    );

    const result = scan(d.ledger, d.capture);
    const lines: string[] = [];
    expect(report(result, (line) => lines.push(line))).toBe(false);
    expect(result.entriesByKind).toEqual({
      'gitlab-pat': 1,
      'gitlab-access-token': 1,
      'hub-password': 1,
      'gitlab-oauth-client-secret': 1,
      'hub-session': 1,
    });
    expect(result.ignoredShort).toBe(1);
    const leaks = result.hits.map(({ kind, form, file, line, where }) => ({ kind, form, file, line, where }));
    expect(leaks).toEqual(
      expect.arrayContaining([
        { kind: 'gitlab-pat', form: 'raw', file: 'log-vitest-1.log', line: 3, where: 'log' },
        { kind: 'gitlab-oauth-client-secret', form: 'base64', file: 'log-vitest-1.log', line: 4, where: 'log' },
        { kind: 'hub-password', form: 'form-encoded', file: 'log-vitest-1.log', line: 5, where: 'log' },
        {
          kind: 'gitlab-access-token',
          form: 'raw',
          file: 'responses-vitest-1.jsonl',
          line: 2,
          where: 'GET /api/targets/t1/gitlab body',
        },
        { kind: 'gitlab-pat', form: 'raw', file: join('pages', 'page-1.html'), line: 3, where: 'page /targets' },
      ]),
    );
    expect(leaks).toHaveLength(5);
    expect(result.hits.every((h) => h.allowedBy === null)).toBe(true);
    const output = lines.join('\n');
    expect(output).toContain(
      'LEAK: gitlab-access-token (raw) in responses-vitest-1.jsonl:2 [GET /api/targets/t1/gitlab body]',
    );
    expect(output).toContain('hits: 5 (0 allowed, 5 leaks)');
    for (const secret of [PAT, ACCESS, PASSWORD, CLIENT_SECRET, SESSION]) expect(output).not.toContain(secret);
  });

  it('the allow-list lets a session cookie through only in the Set-Cookie of a session start', () => {
    const d = dirs();
    roots.push(d.root);
    ledgerOf(d.ledger, [['hub-session', SESSION]]);
    writeFileSync(
      join(d.capture, 'responses-vitest-1.jsonl'),
      response(
        'POST',
        '/api/auth/sign-in',
        200,
        { 'set-cookie': [`vb_session=${SESSION}; Path=/; HttpOnly`] },
        '{"csrfToken":"x"}',
      ) +
        response('POST', '/api/auth/sign-in', 200, {}, JSON.stringify({ session: SESSION })) +
        response('GET', '/api/auth/session', 200, { 'set-cookie': [`vb_session=${SESSION}`] }, '{}'),
    );
    const result = scan(d.ledger, d.capture);
    expect(result.hits.map((h) => [h.line, h.where, h.allowedBy?.kind ?? null])).toEqual([
      [1, 'POST /api/auth/sign-in header:set-cookie', 'hub-session'],
      [2, 'POST /api/auth/sign-in body', null],
      [3, 'GET /api/auth/session header:set-cookie', null],
    ]);
    expect(report(result, () => {})).toBe(false);
  });

  it('finds a secret across read chunks with the right line numbers, and passes on a clean capture', () => {
    const d = dirs();
    roots.push(d.root);
    ledgerOf(d.ledger, [['gitlab-pat', PAT]]);
    const filler = Array.from({ length: 400 }, (_, i) => `{"level":30,"msg":"line ${i} ${'x'.repeat(i % 50)}"}`);
    filler[299] = `{"level":30,"msg":"oops ${PAT}"}`;
    writeFileSync(join(d.capture, 'log-big.log'), `${filler.join('\n')}\n`);
    const chunked = scan(d.ledger, d.capture, { chunkBytes: 1000 });
    expect(chunked.hits.map((h) => [h.file, h.line])).toEqual([['log-big.log', 300]]);
    filler[299] = '{"level":30,"msg":"fine"}';
    writeFileSync(join(d.capture, 'log-big.log'), `${filler.join('\n')}\n`);
    const clean = scan(d.ledger, d.capture, { chunkBytes: 1000 });
    expect(clean.hits).toEqual([]);
    expect(report(clean, () => {})).toBe(true);
  });

  it('fails when the ledger or the capture is empty (the check would prove nothing)', () => {
    const d = dirs();
    roots.push(d.root);
    writeFileSync(join(d.capture, 'log.log'), 'nothing\n');
    expect(report(scan(d.ledger, d.capture), () => {})).toBe(false);
    ledgerOf(d.ledger, [['gitlab-pat', PAT]]);
    rmSync(join(d.capture, 'log.log'));
    expect(report(scan(d.ledger, d.capture), () => {})).toBe(false);
    expect(report(scan(join(d.root, 'missing'), join(d.root, 'missing')), () => {})).toBe(false);
  });

  it('the real writers: the sandbox and a signed-in Client fill the ledger and the capture; only the allowed Set-Cookie hits', async () => {
    const d = dirs();
    roots.push(d.root);
    const saved = { ledger: process.env.VB_SECRET_LEDGER_DIR, capture: process.env.VB_CAPTURE_DIR };
    process.env.VB_SECRET_LEDGER_DIR = d.ledger;
    process.env.VB_CAPTURE_DIR = d.capture;
    let users = 0;
    try {
      const sandbox = await startSandbox({ rateLimits: 'off' });
      users = sandbox.users.length;
      await sandbox.close();
      const h = await createTestApp('sqlite');
      try {
        const org = await createOrg(h.app, h.t);
        const other = new Client(h.app);
        expect((await other.signIn('nobody@example.com', 'a wrong password here')).statusCode).toBe(401);
        expect((await org.owner.get('/api/auth/session')).statusCode).toBe(200);
      } finally {
        await h.close();
      }
    } finally {
      for (const [key, value] of [
        ['VB_SECRET_LEDGER_DIR', saved.ledger],
        ['VB_CAPTURE_DIR', saved.capture],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    const result = scan(d.ledger, d.capture);
    expect(result.entriesByKind).toMatchObject({
      'gitlab-pat': users,
      'gitlab-password': users,
      'gitlab-oauth-client-secret': 1,
      'hub-secret-key': 1,
      'hub-password': 2,
      'hub-session': 4,
    });
    expect(readdirSync(d.capture).some((f) => f.startsWith('responses-vitest-'))).toBe(true);
    const captured = readFileSync(
      join(d.capture, readdirSync(d.capture).find((f) => f.startsWith('responses-vitest-'))!),
      'utf8',
    );
    expect(captured).toContain('"path":"/api/auth/session"');
    // Four sign-ins (createOrg's members), each Set-Cookie allowed; nothing else anywhere.
    expect(result.hits.filter((h) => !h.allowedBy)).toEqual([]);
    expect(result.hits.filter((h) => h.allowedBy?.kind === 'hub-session')).toHaveLength(4);
    expect(report(result, () => {})).toBe(true);
  });
});

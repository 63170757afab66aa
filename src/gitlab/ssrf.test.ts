import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../config/index.ts';
import { GitlabError } from './errors.ts';
import { GitlabHttp } from './http.ts';
import { DEFAULT_RETRY_POLICY } from './retry-policy.ts';
import {
  checkInstanceUrl,
  createGuardedFetch,
  isAllowedOrigin,
  isNonPublicAddress,
  parseAllowedHosts,
} from './ssrf.ts';

describe('SSRF guard', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:1.1.1.1'])
      expect(isNonPublicAddress(a), a).toBe(false);
  });

  it('refuses http, credentials and private literal addresses unless allow-listed', () => {
    expect(() => checkInstanceUrl('http://gitlab.example.com', [])).toThrow(/https/);
    expect(() => checkInstanceUrl('https://user:pw@gitlab.example.com', [])).toThrow(/user name or password/);
    expect(() => checkInstanceUrl('https://10.0.0.5', [])).toThrow(/private or loopback/);
    expect(() => checkInstanceUrl('ftp://gitlab.example.com', [])).toThrow(/https/);
    expect(checkInstanceUrl('https://gitlab.example.com/gitlab/?x=1', [])).toBe('https://gitlab.example.com/gitlab');
    expect(checkInstanceUrl(`http://127.0.0.1:${port}/`, [`127.0.0.1:${port}`])).toBe(`http://127.0.0.1:${port}`);
  });

  it('refuses to dial a loopback address resolved from a name that is not allow-listed', async () => {
    const guarded = createGuardedFetch([]);
    await expect(guarded(`http://localhost:${port}/`)).rejects.toThrow(/plain http/);
    const error = await guarded(`https://localhost:${port}/`).catch((e: Error & { cause?: Error }) => e);
    expect(String((error as Error & { cause?: Error }).cause?.message ?? error)).toMatch(
      /resolves to (127\.0\.0\.1|::1), a private or loopback address/,
    );
  });

  it('dials an allow-listed loopback host and never follows a redirect', async () => {
    const guarded = createGuardedFetch([`127.0.0.1:${port}`]);
    const ok = await guarded(`http://127.0.0.1:${port}/`);
    expect(await ok.json()).toEqual({ ok: true });
    await expect(guarded(`http://127.0.0.1:${port}/redirect`)).rejects.toThrow(/redirects are not followed/);
  });
});

describe('GitLab error bodies', () => {
  it('keeps the title of an HTML error page, not the page', async () => {
    const { describeGitlabBody } = await import('./errors.ts');
    expect(
      describeGitlabBody(
        '<!DOCTYPE html><html><head><title>422 Error</title></head><body><script>x</script></body></html>',
      ),
    ).toBe('422 Error');
    expect(describeGitlabBody('<html><body>no title</body></html>')).toBe('an HTML error page');
    expect(describeGitlabBody({ message: { title: ['is too long'] } })).toBe('title is too long');
    expect(describeGitlabBody({ error: 'invalid_grant', error_description: 'expired' })).toBe('invalid_grant: expired');
  });
});

describe('SSRF allow-list: host and port', () => {
  // `open` answers plain HTTP; `probe` is another port of the same host that must never be dialled
  // unless its own port is listed; `closed` has nothing listening.
  let open: Server;
  let probe: Server;
  let openPort = 0;
  let probePort = 0;
  let closedPort = 0;
  let probeConnections = 0;
  beforeAll(async () => {
    open = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    probe = createServer((_req, res) => res.writeHead(200).end('probe'));
    probe.on('connection', () => probeConnections++);
    await new Promise<void>((resolve) => open.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    openPort = (open.address() as AddressInfo).port;
    probePort = (probe.address() as AddressInfo).port;
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    closedPort = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => open.close(() => resolve()));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  it('parses entries with and without a port, names and addresses, IPv6 in brackets', () => {
    expect(parseAllowedHosts(' LocalHost:8929, gitlab.corp ,10.0.0.5:443,[::1]:8929,[FD00::1], ::1 ')).toEqual([
      'localhost:8929',
      'gitlab.corp',
      '10.0.0.5:443',
      '[::1]:8929',
      '[fd00::1]',
      '[::1]',
    ]);
  });

  it('refuses a GITLAB_ALLOWED_HOSTS entry that is not host or host:port at start', () => {
    expect(parseEnv({ GITLAB_ALLOWED_HOSTS: 'localhost:8929,[::1]:8929,gitlab.corp' }).GITLAB_ALLOWED_HOSTS).toBe(
      'localhost:8929,[::1]:8929,gitlab.corp',
    );
    for (const bad of ['http://gitlab.corp', 'gitlab.corp/path', 'a b', 'host:port'])
      expect(() => parseEnv({ GITLAB_ALLOWED_HOSTS: bad }), bad).toThrow(/GITLAB_ALLOWED_HOSTS/);
  });

  it('matches host and port; an entry without a port means the scheme’s default port only', () => {
    const allowed = parseAllowedHosts(
      `localhost:${openPort},127.0.0.1:${openPort},gitlab.corp,[::1]:${openPort},10.0.0.5`,
    );
    expect(isAllowedOrigin(new URL(`http://localhost:${openPort}`), allowed)).toBe(true);
    expect(isAllowedOrigin(new URL(`http://LOCALHOST:${openPort}/x`), allowed)).toBe(true);
    expect(isAllowedOrigin(new URL(`https://localhost:${probePort}`), allowed)).toBe(false);
    expect(isAllowedOrigin(new URL('http://localhost'), allowed)).toBe(false);
    expect(isAllowedOrigin(new URL('http://gitlab.corp'), allowed)).toBe(true);
    expect(isAllowedOrigin(new URL('https://gitlab.corp'), allowed)).toBe(true);
    expect(isAllowedOrigin(new URL('https://gitlab.corp:8443'), allowed)).toBe(false);
    expect(isAllowedOrigin(new URL('http://gitlab.corp:443'), allowed)).toBe(false);
    expect(isAllowedOrigin(new URL(`http://[::1]:${openPort}`), allowed)).toBe(true);
    expect(isAllowedOrigin(new URL(`http://[0:0:0:0:0:0:0:1]:${openPort}`), allowed)).toBe(true);
    expect(isAllowedOrigin(new URL('http://[::1]:22'), allowed)).toBe(false);
    expect(isAllowedOrigin(new URL('https://10.0.0.5'), allowed)).toBe(true);
    expect(isAllowedOrigin(new URL('https://10.0.0.5:22'), allowed)).toBe(false);
  });

  it('checks the port of instance URLs, for names and addresses alike', () => {
    expect(checkInstanceUrl(`http://127.0.0.1:${openPort}`, [`127.0.0.1:${openPort}`])).toBe(
      `http://127.0.0.1:${openPort}`,
    );
    expect(() => checkInstanceUrl(`http://127.0.0.1:${probePort}`, ['127.0.0.1'])).toThrow(/GITLAB_ALLOWED_HOSTS/);
    expect(() => checkInstanceUrl(`https://127.0.0.1:${probePort}`, [`127.0.0.1:${openPort}`])).toThrow(
      /GITLAB_ALLOWED_HOSTS/,
    );
    expect(() => checkInstanceUrl(`http://localhost:${probePort}`, [`localhost:${openPort}`])).toThrow(
      /GITLAB_ALLOWED_HOSTS/,
    );
    expect(() => checkInstanceUrl('https://[::1]:22', ['[::1]:8929'])).toThrow(/GITLAB_ALLOWED_HOSTS/);
    expect(checkInstanceUrl('https://[::1]:8929', ['[::1]:8929'])).toBe('https://[::1]:8929');
  });

  it('never dials another port of an allow-listed host, by name or by address, over http or https', async () => {
    const guarded = createGuardedFetch(parseAllowedHosts(`localhost:${openPort},127.0.0.1:${openPort}`));
    expect(await (await guarded(`http://localhost:${openPort}/`)).json()).toEqual({ ok: true });
    expect(await (await guarded(`http://127.0.0.1:${openPort}/`)).json()).toEqual({ ok: true });
    for (const url of [
      `https://localhost:${probePort}/`,
      `http://localhost:${probePort}/`,
      `https://127.0.0.1:${probePort}/`,
      `http://127.0.0.1:${probePort}/`,
    ]) {
      const error = await guarded(url).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(error, url).not.toBeNull();
      expect(String(error?.cause?.message ?? error?.message), url).toMatch(/GITLAB_ALLOWED_HOSTS|plain http/);
    }
    expect(probeConnections).toBe(0);
  });

  it('an entry without a port does not open other ports of the host', async () => {
    const guarded = createGuardedFetch(parseAllowedHosts('localhost,127.0.0.1'));
    for (const url of [
      `https://localhost:${probePort}/`,
      `https://127.0.0.1:${probePort}/`,
      `http://127.0.0.1:${probePort}/`,
    ]) {
      await expect(guarded(url), url).rejects.toThrow();
    }
    expect(probeConnections).toBe(0);
  });

  it('tells a closed port and a refused TLS handshake apart only in the detail, never in the message', async () => {
    const allowed = parseAllowedHosts(`localhost:${closedPort},localhost:${probePort}`);
    const messages: string[] = [];
    const details: string[] = [];
    for (const port of [closedPort, probePort]) {
      const http = new GitlabHttp({
        baseUrl: `https://localhost:${port}`,
        fetch: createGuardedFetch(allowed),
        token: async () => 't',
        retry: { ...DEFAULT_RETRY_POLICY, attempts: 1 },
      });
      const error = (await http.request('GET', '/user').catch((e: unknown) => e)) as GitlabError;
      expect(error).toBeInstanceOf(GitlabError);
      messages.push(error.message.replace(String(port), 'PORT'));
      details.push(error.detail ?? '');
    }
    expect(messages[0]).toBe('could not reach GitLab at https://localhost:PORT');
    expect(messages[1]).toBe(messages[0]);
    expect(details[0]).not.toBe('');
    expect(details[0]).not.toBe(details[1]);
  });
});

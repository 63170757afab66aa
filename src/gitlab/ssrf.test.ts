import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInstanceUrl, createGuardedFetch, isNonPublicAddress } from './ssrf.ts';

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
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:1.1.1.1']) expect(isNonPublicAddress(a), a).toBe(false);
  });

  it('refuses http, credentials and private literal addresses unless allow-listed', () => {
    expect(() => checkInstanceUrl('http://gitlab.example.com', [])).toThrow(/https/);
    expect(() => checkInstanceUrl('https://user:pw@gitlab.example.com', [])).toThrow(/user name or password/);
    expect(() => checkInstanceUrl('https://10.0.0.5', [])).toThrow(/private or loopback/);
    expect(() => checkInstanceUrl('ftp://gitlab.example.com', [])).toThrow(/https/);
    expect(checkInstanceUrl('https://gitlab.example.com/gitlab/?x=1', [])).toBe('https://gitlab.example.com/gitlab');
    expect(checkInstanceUrl(`http://127.0.0.1:${port}/`, ['127.0.0.1'])).toBe(`http://127.0.0.1:${port}`);
  });

  it('refuses to dial a loopback address resolved from a name that is not allow-listed', async () => {
    const guarded = createGuardedFetch([]);
    await expect(guarded(`http://localhost:${port}/`)).rejects.toThrow(/plain http/);
    const error = await guarded(`https://localhost:${port}/`).catch((e: Error & { cause?: Error }) => e);
    expect(String((error as Error & { cause?: Error }).cause?.message ?? error)).toMatch(/resolves to (127\.0\.0\.1|::1), a private or loopback address/);
  });

  it('dials an allow-listed loopback host and never follows a redirect', async () => {
    const guarded = createGuardedFetch(['127.0.0.1']);
    const ok = await guarded(`http://127.0.0.1:${port}/`);
    expect(await ok.json()).toEqual({ ok: true });
    await expect(guarded(`http://127.0.0.1:${port}/redirect`)).rejects.toThrow(/redirects are not followed/);
  });
});

describe('GitLab error bodies', () => {
  it('keeps the title of an HTML error page, not the page', async () => {
    const { describeGitlabBody } = await import('./errors.ts');
    expect(describeGitlabBody('<!DOCTYPE html><html><head><title>422 Error</title></head><body><script>x</script></body></html>')).toBe('422 Error');
    expect(describeGitlabBody('<html><body>no title</body></html>')).toBe('an HTML error page');
    expect(describeGitlabBody({ message: { title: ['is too long'] } })).toBe('title is too long');
    expect(describeGitlabBody({ error: 'invalid_grant', error_description: 'expired' })).toBe('invalid_grant: expired');
  });
});

// The redaction rules (src/findings/redact.ts) as GitLab issue text uses them: secrets never leave the hub.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SECRET_HEADERS, REDACTED, redactHeaders, redactText, redactUrl } from '../findings/index.ts';

const R = REDACTED;

describe('redactHeaders', () => {
  it('masks credential headers in any casing, keeping the auth scheme and cookie names', () => {
    const out = redactHeaders([
      ['Host', 'example.com'],
      ['authorization', 'Bearer eyJabc.def.ghi'],
      ['Proxy-Authorization', 'Basic dXNlcjpwYXNz'],
      ['Cookie', 'a=1; b=two; c'],
      ['Set-Cookie', 'sid=s3cr3t; Path=/; HttpOnly; Secure'],
      ['X-Api-Key', 'k-123'],
      ['X-AUTH-TOKEN', 't'],
      ['PRIVATE-TOKEN', 'glpat-aaaaaaaaaaaaaaaaaaaa'],
      ['X-Gitlab-Token', 'hook-secret'],
      ['X-Session-Id', 'abc'],
      ['X-Client-Secret', 'abc'],
      ['X-Password', 'abc'],
      ['Accept', 'text/html'],
      ['Referer', 'https://e/x?access_token=abc&page=2'],
    ]);
    expect(out).toEqual([
      ['Host', 'example.com'],
      ['authorization', `Bearer ${R}`],
      ['Proxy-Authorization', `Basic ${R}`],
      ['Cookie', `a=${R}; b=${R}; c`],
      ['Set-Cookie', `sid=${R}; Path=/; HttpOnly; Secure`],
      ['X-Api-Key', R],
      ['X-AUTH-TOKEN', R],
      ['PRIVATE-TOKEN', R],
      ['X-Gitlab-Token', R],
      ['X-Session-Id', R],
      ['X-Client-Secret', R],
      ['X-Password', R],
      ['Accept', 'text/html'],
      ['Referer', `https://e/x?access_token=${R}&page=2`],
    ]);
  });

  it('is configurable: extra names, a custom list, off', () => {
    const h: [string, string][] = [
      ['X-Tenant', 'acme'],
      ['Authorization', 'Bearer x'],
    ];
    expect(redactHeaders(h, { extraNames: ['x-tenant'] })[0]).toEqual(['X-Tenant', R]);
    expect(redactHeaders(h, { names: ['x-tenant'], namePattern: null })).toEqual([
      ['X-Tenant', R],
      ['Authorization', 'Bearer x'],
    ]);
    expect(redactHeaders(h, { enabled: false })).toEqual(h);
    expect(redactHeaders(h, { replacement: '***' })[1]).toEqual(['Authorization', 'Bearer ***']);
    expect(DEFAULT_SECRET_HEADERS).toContain('set-cookie');
  });
});

describe('redactUrl', () => {
  it('masks secret query and fragment parameters and userinfo passwords, keeping the rest verbatim', () => {
    expect(redactUrl('https://e.com/a?q=1&token=abc&API_KEY=z#frag')).toBe(
      `https://e.com/a?q=1&token=${R}&API_KEY=${R}#frag`,
    );
    expect(redactUrl('https://u:pw@e.com/?a=%20')).toBe(`https://u:${R}@e.com/?a=%20`);
    expect(redactUrl('https://e.com/cb#access_token=abc&state=1')).toBe(`https://e.com/cb#access_token=${R}&state=1`);
    expect(redactUrl('/p?sessionid=1;jsessionid=2')).toBe(`/p?sessionid=${R};jsessionid=${R}`);
    expect(redactUrl('POST /login?password=hunter2&next=/ HTTP/1.1')).toBe(`POST /login?password=${R}&next=/ HTTP/1.1`);
    expect(redactUrl('/p?%74oken=1')).toBe(`/p?%74oken=${R}`);
    expect(redactUrl('https://e.com/plain')).toBe('https://e.com/plain');
  });
});

describe('redactText', () => {
  it('masks bearer tokens, JWTs, GitLab and other well-known tokens', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-1';
    expect(redactText(`curl -H "Authorization: Bearer abc123def456" https://x`)).toBe(
      `curl -H "Authorization: Bearer ${R}" https://x`,
    );
    expect(redactText(`token ${jwt} end`)).toBe(`token ${R} end`);
    expect(redactText('use glpat-0123456789abcdefghij now')).toBe(`use ${R} now`);
    expect(redactText('ghp_0123456789abcdefghijABCDEFGHIJ AKIAABCDEFGHIJKLMNOP')).toBe(`${R} ${R}`);
    expect(redactText('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----')).toBe(R);
    expect(redactText('Use Basic authentication or a Bearer token.')).toBe(
      'Use Basic authentication or a Bearer token.',
    );
  });

  it('masks header lines, form fields, query strings and JSON keys in raw requests and evidence', () => {
    const raw = [
      'GET /api?user=1&auth_token=zzz HTTP/1.1',
      'Cookie: JSESSIONID=abc; theme=dark',
      'X-Api-Key: 42',
      '',
      'username=bob&password=hunter2&remember=1',
      '{"password": "p@ss", "apiKey":"k", "name": "bob", "refresh_token": null}',
    ].join('\n');
    expect(redactText(raw)).toBe(
      [
        `GET /api?user=1&auth_token=${R} HTTP/1.1`,
        `Cookie: JSESSIONID=${R}; theme=${R}`,
        `X-Api-Key: ${R}`,
        '',
        `username=bob&password=${R}&remember=1`,
        `{"password": "${R}", "apiKey":"${R}", "name": "bob", "refresh_token": null}`,
      ].join('\n'),
    );
  });

  it('leaves text without secrets untouched and never grows a secret back (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9]{12,30}$/), (noise, secret) => {
        const text = `${noise}\nAuthorization: Bearer ${secret}\n?token=${secret}&x=1 ${noise}`;
        const out = redactText(text);
        const hits = out.split(secret).length - 1;
        expect(hits).toBeLessThanOrEqual(2 * (noise.split(secret).length - 1));
      }),
    );
    expect(redactText('Nothing to see: a=1, b=2')).toBe('Nothing to see: a=1, b=2');
  });

  it('handles 2 MB of text quickly', () => {
    const big = `${'x'.repeat(1_000_000)}?token=abc&${'"a": "b", '.repeat(100_000)}`;
    const t0 = Date.now();
    const out = redactText(big);
    expect(out).toContain(`?token=${R}&`);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

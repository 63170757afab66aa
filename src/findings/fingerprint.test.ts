import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.ts';
import { fingerprint, isPublicId, normalizeUrl, publicId } from './index.ts';
import { FingerprintAssigner, normalizeByParser, plainNormalizedUrl } from './fingerprint.ts';

describe('fingerprint', () => {
  const base = { ruleKey: '40012', method: 'GET', url: 'http://Example.COM:80/search?q=1&b=2#frag', parameter: 'q' };

  it('normalises the URL: lower-case host, default port and fragment dropped, sorted parameter names only', () => {
    expect(normalizeUrl('http://Example.COM:80/search?q=1&b=2&q=3#frag')).toBe('http://example.com/search?b&q');
    expect(normalizeUrl('https://h:8443')).toBe('https://h:8443/');
    expect(normalizeUrl('www.asdf.de:443')).toBe('www.asdf.de:443');
    expect(normalizeUrl('/a?z=1&a=2')).toBe('/a?a&z');
  });

  it("gives the URL parser's result on its fast path, for URLs built from the characters that parser rewrites", () => {
    // Each part is mostly plain (so the fast path is taken often), sometimes one of the characters or
    // shapes the parser rewrites, decodes or refuses.
    const pick = (plain: string[], tricky: string[] = []) =>
      tricky.length === 0
        ? fc.constantFrom(...plain)
        : fc.oneof(
            { arbitrary: fc.constantFrom(...plain), weight: 6 },
            { arbitrary: fc.constantFrom(...tricky), weight: 1 },
          );
    const piece = (plain: string[], tricky: string[], max: number) =>
      fc.array(pick(plain, tricky), { minLength: 1, maxLength: max }).map((a) => a.join(''));
    const label = piece(['a', 'Z', 'q', 'web', '0', '9', '-'], ['_', 'xn--', 'ä', '%41', '0x', '1'], 4);
    const host = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), pick([''], ['.']))
      .map(([labels, dot]) => labels.join('.') + dot);
    const port = pick(['', ':8080', ':80', ':443', ':3000'], [':0', ':08080', ':65535', ':65536', ':', ':1x']);
    const segment = piece(
      ['a', 'B', '7', 'x.y', '-', '_', '~', "'", '!', '$', '+', ';', '=', '@', ':', '%41'],
      ['.', '..', '%2e', '%2E', '%zz', ' ', '"', '<', '^', '`', '{', '|', '\\', 'ä', '\t'],
      4,
    );
    const path = fc.array(segment, { maxLength: 4 }).map((s) => (s.length === 0 ? '' : `/${s.join('/')}`));
    const name = piece(
      ['id', 'Q', '_', '.', '-', '~'],
      ['+', '%20', '%41', '%', ' ', 'ä', "'", '*', '\t', '\u0001', '(', '!', ';'],
      3,
    );
    const pair = fc
      .tuple(fc.oneof(name, fc.constant('')), pick(['', '=', '=1', '=a b', '=%zz', '==', '=ä', '=?', '=/']))
      .map(([n, v]) => n + v);
    const query = fc.option(
      fc.array(pair, { maxLength: 4 }).map((p) => `?${p.join('&')}`),
      { nil: '' },
    );
    const url = fc
      .tuple(
        pick(['http', 'https', 'HTTP', 'hTTps'], ['ftp', 'ws', 'file']),
        pick(['://'], ['://u@', '://u:p@', ':/', '://@']),
        host,
        port,
        path,
        query,
        pick(['', '#', '#f', '#a?b=1']),
        pick(['', ' '], ['\u0001']),
      )
      .map((p) => p.join(''));
    let fast = 0;
    fc.assert(
      fc.property(url, (u) => {
        if (plainNormalizedUrl(u.trim()) !== null) fast++;
        expect(normalizeUrl(u)).toBe(normalizeByParser(u.trim()));
      }),
      { numRuns: 5000 },
    );
    // The generator reaches the fast path often enough for the comparison to mean something.
    expect(fast).toBeGreaterThan(500);
    expect(plainNormalizedUrl('http://bench.local:8080/a/b?id=1&sort=asc')).toBe('http://bench.local:8080/a/b?id&sort');
  });

  it('is stable when only parameter values, their order, the fragment or the method case change', () => {
    const fp = fingerprint(base);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint({ ...base, url: 'http://example.com/search?b=9&q=<script>', method: 'get' })).toBe(fp);
    expect(fingerprint({ ...base, parameter: 'b' })).not.toBe(fp);
    expect(fingerprint({ ...base, ruleKey: '40014' })).not.toBe(fp);
    expect(fingerprint({ ...base, method: 'POST' })).not.toBe(fp);
    expect(fingerprint({ ...base, url: 'http://example.com/other?b=1&q=1' })).not.toBe(fp);
  });

  it('tells same-place findings of one report apart by evidence, then by rank', () => {
    const a = new FingerprintAssigner();
    const first = a.assign(base, 'e1');
    const second = a.assign(base, 'e2');
    const third = a.assign(base, 'e2');
    expect(first).toBe(fingerprint(base));
    expect(new Set([first, second, third]).size).toBe(3);
    // The same report parsed again gives the same fingerprints.
    const b = new FingerprintAssigner();
    expect([b.assign(base, 'e1'), b.assign(base, 'e2'), b.assign(base, 'e2')]).toEqual([first, second, third]);
  });
});

describe('public ID', () => {
  it('is VB- + 6 capital letters + 6 digits, deterministic per target and fingerprint', () => {
    const fp = fingerprint({ ruleKey: 'r', method: '', url: 'u', parameter: '' });
    const id = publicId('target-1', fp);
    expect(id).toMatch(/^VB-[A-Z]{6}\d{6}$/);
    expect(isPublicId(id)).toBe(true);
    expect(isPublicId('VB-MDWSAU027854')).toBe(true);
    expect(isPublicId('VB-mdwsau027854')).toBe(false);
    expect(publicId('target-1', fp)).toBe(id);
    expect(publicId('target-2', fp)).not.toBe(id);
    expect(publicId(1, fp)).toBe(publicId('1', fp));
  });

  it('offers a deterministic retry path for collisions', () => {
    const fp = 'ab'.repeat(32);
    const ids = [0, 1, 2, 3].map((n) => publicId(7, fp, n));
    expect(new Set(ids).size).toBe(4);
    expect(publicId(7, fp, 2)).toBe(ids[2]);
    expect(() => publicId(7, fp, -1)).toThrow(RangeError);
  });

  it('spreads over letters and digits', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => publicId('t', String(i)));
    expect(new Set(ids).size).toBe(2000);
    expect(new Set(ids.map((x) => x[3])).size).toBeGreaterThan(20);
  });
});

describe('detectFormat', () => {
  const d = (text: string) => detectFormat(Buffer.from(text), 0);
  it('recognises each format from content', () => {
    expect(d('{"@version":"2.15.0","site":[]}')).toBe('zap-json');
    expect(d('<?xml version="1.0"?>\n<OWASPZAPReport version="2.9.0">')).toBe('zap-xml');
    expect(
      d('<?xml version="1.0"?>\n<!DOCTYPE issues [\n<!ELEMENT issues (issue*)>\n]>\n<issues burpVersion="1">'),
    ).toBe('burp-xml');
    expect(d('{"template-id":"a"}\n{"template-id":"b"}\n')).toBe('nuclei-jsonl');
    expect(d('{"templateID":"a"}')).toBe('nuclei-jsonl');
    expect(d('[{"template-id":"a"}]')).toBe('nuclei-json');
    expect(d('')).toBe('nuclei-jsonl');
    expect(d('{"version":"2.1.0","runs":[]}')).toBe('sarif');
    expect(d('{"version":"15.0.0","scan":{},"vulnerabilities":[]}')).toBe('gitlab-dast');
    // GitLab's ZAP-based hybrid also has ZAP's @version and site keys.
    expect(d('{"@version":"D","site":[{"alerts":[]}],"version":"13.1.0","vulnerabilities":[]}')).toBe('gitlab-dast');
    expect(d('{"vulnerabilities":{},"classifications":{},"infos":{}}')).toBe('wapiti-json');
  });
});

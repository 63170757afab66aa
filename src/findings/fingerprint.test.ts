import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.ts';
import { fingerprint, isPublicId, normalizeUrl, publicId } from './index.ts';
import { FingerprintAssigner } from './fingerprint.ts';

describe('fingerprint', () => {
  const base = { ruleKey: '40012', method: 'GET', url: 'http://Example.COM:80/search?q=1&b=2#frag', parameter: 'q' };

  it('normalises the URL: lower-case host, default port and fragment dropped, sorted parameter names only', () => {
    expect(normalizeUrl('http://Example.COM:80/search?q=1&b=2&q=3#frag')).toBe('http://example.com/search?b&q');
    expect(normalizeUrl('https://h:8443')).toBe('https://h:8443/');
    expect(normalizeUrl('www.asdf.de:443')).toBe('www.asdf.de:443');
    expect(normalizeUrl('/a?z=1&a=2')).toBe('/a?a&z');
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
    expect(d('<?xml version="1.0"?>\n<!DOCTYPE issues [\n<!ELEMENT issues (issue*)>\n]>\n<issues burpVersion="1">')).toBe('burp-xml');
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

// Burp issues with several request/response pairs (issue #15): every pair is kept, and the findings'
// fingerprints are those of the same report with only the first pair (what earlier imports stored).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../index.ts';
import { allFindings, REPORT_FIXTURES } from '../testing.ts';

const xml = readFileSync(new URL('burp-defectdojo-1.xml', REPORT_FIXTURES), 'utf8');
// Counted on the raw file, not through the parser.
const pairsPerIssue = [...xml.matchAll(/<issue>([\s\S]*?)<\/issue>/g)].map(
  (m) => (m[1]?.match(/<requestresponse>/g) ?? []).length,
);

describe('Burp issues with several request/response pairs', () => {
  it("keeps every pair: the first as the finding's request/response, the others in order after it", () => {
    expect(pairsPerIssue).toHaveLength(16);
    expect(pairsPerIssue.filter((n) => n === 2)).toHaveLength(2);
    const r = parseReportBytes(Buffer.from(xml));
    const findings = allFindings(r);
    expect(findings).toHaveLength(16);
    expect(findings.reduce((n, f) => n + 1 + f.additionalExchanges.length, 0)).toBe(
      pairsPerIssue.reduce((a, b) => a + b, 0),
    );
    const withMore = findings.filter((f) => f.additionalExchanges.length > 0);
    expect(withMore).toHaveLength(2);
    for (const f of withMore) {
      const [second] = f.additionalExchanges;
      expect(second!.requestLine).toMatch(/^[A-Z]+ \S+ HTTP\/1\.[01]$/);
      expect(second!.responseStatusLine).toMatch(/^HTTP\/1\.[01] \d{3}/);
      // The second pair is another request than the first.
      expect(`${second!.requestLine}${second!.requestBody}`).not.toBe(`${f.requestLine}${f.requestBody}`);
    }
  });

  it('gives every finding the fingerprint it had when only the first pair was read', () => {
    let k = 0;
    const firstOnly = xml.replace(/<issue>([\s\S]*?)<\/issue>/g, (whole) => {
      k++;
      let seen = 0;
      return whole.replace(/<requestresponse>[\s\S]*?<\/requestresponse>/g, (pair) => (seen++ === 0 ? pair : ''));
    });
    expect(k).toBe(16);
    const before = allFindings(parseReportBytes(Buffer.from(firstOnly)));
    const after = allFindings(parseReportBytes(Buffer.from(xml)));
    expect(before.every((f) => f.additionalExchanges.length === 0)).toBe(true);
    expect(after.map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
    expect(after.map(({ additionalExchanges, ...f }) => f)).toEqual(before.map(({ additionalExchanges, ...f }) => f));
  });

  it('imports an issue without a name or request/response, with warnings instead of a refusal', () => {
    const issue =
      '<issue><type>1049088</type><host>https://shop.example</host><path>/a</path><location>/a</location><severity>High</severity></issue>';
    const r = parseReportBytes(Buffer.from(`<?xml version="1.0"?><issues burpVersion="2024.1">${issue}</issues>`));
    expect(r.vulnerabilities[0]).toMatchObject({ ruleKey: '1049088', name: '1049088', severity: 'high' });
    expect(r.warnings.map((w) => w.message)).toEqual([
      '1 issue had no name (the issue type is shown)',
      '1 issue had no CWE',
      '1 issue had no issue background (description)',
      '1 issue had no remediation background (solution)',
      '1 issue had no request/response',
    ]);
    expect(() =>
      parseReportBytes(
        Buffer.from(`<?xml version="1.0"?><issues>${issue.replace('<severity>High</severity>', '')}</issues>`),
      ),
    ).toThrow(/<severity>/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../index.ts';
import { allFindings, reportFixture, vulnByRule } from '../testing.ts';

// Expected values were read from the fixture files with jq, not from the parser's output.

describe('SARIF 2.1.0', () => {
  it('parses ZAP sarif-json zap-smithy-1.sarif.json (20 rules, 3 results with web request/response)', async () => {
    const r = await parseReport(reportFixture('zap-smithy-1.sarif.json'));
    expect(r.format).toBe('sarif');
    expect(r).toMatchObject({ tool: 'ZAP', toolVersion: '2.16.0' });
    // Rules without results are not vulnerabilities of this scan.
    expect(r.vulnerabilities.map((v) => v.ruleKey)).toEqual(['40012', '40018']);
    const xss = vulnByRule(r, '40012');
    expect(xss).toMatchObject({
      name: 'Cross Site Scripting (Reflected)',
      severity: 'high',
      confidence: 'medium',
      cwe: 79,
    });
    expect(xss.findings).toHaveLength(2);
    const f = xss.findings[0]!;
    expect(f).toMatchObject({
      url: 'http://bodgeit.com:8080/bodgeit/search.jsp?q=%3C%2Ffont%3E%3CscrIpt%3Ealert%281%29%3B%3C%2FscRipt%3E%3Cfont%3E',
      method: 'GET',
      attack: '</font><scrIpt>alert(1);</scRipt><font>',
      evidence: '</font><scrIpt>alert(1);</scRipt><font>',
      site: 'http://bodgeit.com:8080',
      responseStatusLine: 'HTTP/1.1 200',
    });
    expect(f.requestHeaders[0]).toEqual(['Cookie', 'JSESSIONID=A26D9F5A3946F522400CBD3B6BD544BD; b_id=4']);
    expect(f.requestHeaders).toContainEqual(['host', 'bodgeit.com:8080']);
    expect(f.responseHeaders).toEqual([
      ['Content-Length', '2044'],
      ['Content-Type', 'text/html;charset=ISO-8859-1'],
      ['Date', 'Sun, 23 Feb 2025 15:22:18 GMT'],
    ]);
    expect(f.responseBody.startsWith('\n\n\n\n\n\n\n<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2//EN">\n<html>')).toBe(
      true,
    );
    const sqli = vulnByRule(r, '40018');
    expect(sqli.cwe).toBe(89);
    expect(sqli.findings[0]).toMatchObject({
      url: 'http://bodgeit.com:8080/bodgeit/basket.jsp',
      method: 'POST',
      attack: '5-2',
    });
    expect(sqli.findings[0]?.responseStatusLine).toBe('HTTP/1.1 500');
    // Request bodies that ZAP writes as base64 ("binary"), decoded.
    expect(sqli.findings[0]?.requestBody).toBe('productid=5-2&price=4.7&quantity=3');
    const post = xss.findings.find((x) => x.method === 'POST')!;
    expect(post.url).toBe('http://bodgeit.com:8080/bodgeit/contact.jsp');
    expect(post.requestBody).toBe(
      'null=&anticsrf=0.15080537110733694&comments=%3C%2Ftd%3E%3CscrIpt%3Ealert%281%29%3B%3C%2FscRipt%3E%3Ctd%3E',
    );
  });

  it('refuses a body whose "binary" is not base64, naming where', async () => {
    const doc = JSON.parse(readFileSync(reportFixture('zap-smithy-1.sarif.json').path, 'utf8'));
    doc.runs[0].results[2].webRequest.body.binary = 'not base64!';
    await expect(parseReport(Buffer.from(JSON.stringify(doc)))).rejects.toMatchObject({
      format: 'sarif',
      position: { path: '$.runs[0].results[2].webRequest.body.binary' },
    });
  });

  it('parses Gitleaks sarif-defectdojo-3.sarif, whose results name their rule only in the message', async () => {
    const r = await parseReport(reportFixture('sarif-defectdojo-3.sarif'));
    expect(r).toMatchObject({ format: 'sarif', tool: 'Gitleaks', toolVersion: 'v7.4.0' });
    expect(allFindings(r)).toHaveLength(8);
    expect(r.vulnerabilities.map((v) => [v.ruleKey, v.findings.length])).toEqual([
      ['AWS Access Key', 6],
      ['Asymmetric Private Key', 2],
    ]);
    // No level anywhere: SARIF's default level is warning.
    expect(r.vulnerabilities.every((v) => v.severity === 'medium')).toBe(true);
    const first = vulnByRule(r, 'AWS Access Key').findings[0]!;
    expect(first.url).toBe(
      'dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln.json#L13',
    );
    expect(first.evidence).toBe('      "raw_source_code_extract": "AKIAIOSFODNN7EXAMPLE",');
    expect(first.otherInfo).toContain('commit: 6d127980966808f7413935678e079dcd7fedf9c2');
    expect(first.otherInfo).toContain('* fix: Flake8 compliance\r\n');
    expect(new Set(allFindings(r).map((f) => f.fingerprint)).size).toBe(8);
  });
});

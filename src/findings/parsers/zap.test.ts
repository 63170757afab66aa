import { describe, expect, it } from 'vitest';
import { parseReport } from '../index.ts';
import { allFindings, reportFixture, vulnByRule } from '../testing.ts';

// Expected values were read from the fixture files with jq/grep, not from the parser's output.

describe('ZAP traditional JSON', () => {
  it('parses zap-anubissbe-1.json (ZAP 2.15.0, 19 alerts, 131 instances)', async () => {
    const r = await parseReport(reportFixture('zap-anubissbe-1.json'));
    expect(r.format).toBe('zap-json');
    expect(r.tool).toBe('ZAP');
    expect(r.toolVersion).toBe('2.15.0');
    expect(r.finishedAt).toBe('2025-12-03T12:46:55.000Z');
    expect(r.sites).toEqual([{ name: 'http://localhost:3000', host: 'localhost', port: 3000, ssl: false }]);
    expect(r.vulnerabilities).toHaveLength(19);
    expect(allFindings(r)).toHaveLength(131);
    const bySeverity = (s: string) => r.vulnerabilities.filter((v) => v.severity === s).length;
    expect([bySeverity('high'), bySeverity('medium'), bySeverity('low'), bySeverity('info')]).toEqual([3, 6, 5, 5]);
    expect(r.vulnerabilities.filter((v) => v.severity === 'high').map((v) => v.ruleKey)).toEqual([
      '40012',
      '20019-1',
      '10028',
    ]);

    const xss = vulnByRule(r, '40012');
    expect(xss).toMatchObject({
      name: 'Cross Site Scripting (Reflected)',
      severity: 'high',
      confidence: 'medium',
      cwe: 79,
      wasc: 8,
    });
    expect(xss.references).toEqual([
      'https://owasp.org/www-community/attacks/xss/',
      'https://cwe.mitre.org/data/definitions/79.html',
    ]);
    // HTML paragraphs became plain text; no tag survives.
    expect(xss.description.startsWith('Cross-site Scripting (XSS) is an attack technique')).toBe(true);
    expect(xss.description).not.toMatch(/<p>|<\/p>/);
    expect(xss.solution).toContain('Phase: Architecture and Design\n');
    expect(xss.solution).toContain('"accept known good"');
    expect(xss.findings).toHaveLength(2);
    expect(xss.findings[0]).toMatchObject({
      site: 'http://localhost:3000',
      url: 'http://localhost:3000/search?q=%3C%2Fh1%3E%3CscrIpt%3Ealert%281%29%3B%3C%2FscRipt%3E%3Ch1%3E',
      method: 'GET',
      parameter: 'q',
      attack: '</h1><scrIpt>alert(1);</scRipt><h1>',
      evidence: '</h1><scrIpt>alert(1);</scRipt><h1>',
      otherInfo: '',
      requestHeaders: [],
      truncated: [],
    });
    expect(xss.findings[1]).toMatchObject({
      url: 'http://localhost:3000/login',
      method: 'POST',
      parameter: 'username',
    });

    const redirect = vulnByRule(r, '20019-1');
    expect(redirect.name).toBe('External Redirect');
    expect(redirect.findings[0]?.otherInfo).toBe(
      'The response contains a redirect in its Location header which allows an external Url to be set.',
    );

    expect(vulnByRule(r, '10037').findings).toHaveLength(32);
    expect(vulnByRule(r, '10037').findings[5]).toMatchObject({
      url: 'http://localhost:3000/admin',
      evidence: 'X-Powered-By: Express',
    });
    // Newlines inside instance fields are kept (37 fields have them).
    const withNewline = allFindings(r)
      .flatMap((f) => [f.url, f.method, f.parameter, f.attack, f.evidence, f.otherInfo])
      .filter((t) => t.includes('\n'));
    expect(withNewline).toHaveLength(37);
  });

  it('parses zap-bcgov-1.json (no @programName, 10 alerts, 809 instances)', async () => {
    const r = await parseReport(reportFixture('zap-bcgov-1.json'));
    expect(r.format).toBe('zap-json');
    expect(r.tool).toBe('ZAP');
    expect(r.toolVersion).toBe('2.11.0');
    expect(r.sites.map((s) => s.name)).toEqual(['http://www.itsecgames.com']);
    expect(r.vulnerabilities).toHaveLength(10);
    const findings = allFindings(r);
    expect(findings).toHaveLength(809);
    const ts = vulnByRule(r, '10096');
    expect(ts).toMatchObject({
      name: 'Timestamp Disclosure - Unix',
      severity: 'low',
      confidence: 'low',
      cwe: 200,
      wasc: 13,
    });
    expect(ts.findings).toHaveLength(755);
    expect(ts.findings[0]).toMatchObject({
      url: 'http://www.itsecgames.com/downloads/bWAPP_intro.pdf',
      method: 'GET',
      evidence: '0000000000',
      otherInfo: '',
    });
    // The alert-level otherinfo (HTML) is kept with the vulnerability, as text.
    expect(ts.description).toContain('Other information:\n0000000000, which evaluates to: 1970-01-01 00:00:00');
    expect(vulnByRule(r, '10108').cwe).toBeNull(); // cweid "-1"
    // Every finding has its own fingerprint, even the many at the same URL.
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(809);
  });
});

describe('ZAP traditional XML', () => {
  it('parses zap-defectdojo-1.xml (CRLF, 15 alerts, 130 instances, omitted children)', async () => {
    const r = await parseReport(reportFixture('zap-defectdojo-1.xml'));
    expect(r.format).toBe('zap-xml');
    expect(r.toolVersion).toBe('2.10.0');
    expect(r.finishedAt).toBe('2021-06-20T09:30:00.000Z');
    expect(r.sites).toEqual([
      {
        name: 'http://bodgeit.securecodebox-demo.svc:8080',
        host: 'bodgeit.securecodebox-demo.svc',
        port: 8080,
        ssl: false,
      },
    ]);
    expect(r.vulnerabilities).toHaveLength(15);
    expect(allFindings(r)).toHaveLength(130);
    expect(r.vulnerabilities.filter((v) => v.severity === 'high')).toHaveLength(4);
    const attr = vulnByRule(r, '10031');
    expect(attr).toMatchObject({
      name: 'User Controllable HTML Element Attribute (Potential XSS)',
      severity: 'info',
      confidence: 'low',
      cwe: 20,
      wasc: 20,
    });
    expect(attr.solution).toBe('Validate all input and sanitize output it before writing to any HTML attributes.');
    expect(attr.references).toEqual([
      'http://websecuritytool.codeplex.com/wikipage?title=Checks#user-controlled-html-attribute',
    ]);
    expect(attr.findings).toHaveLength(11);
    // Instances with only uri/method/param: the omitted children read as empty.
    expect(attr.findings[0]).toMatchObject({
      url: 'http://bodgeit.securecodebox-demo.svc:8080/bodgeit/product.jsp?prodid=22',
      method: 'GET',
      parameter: 'prodid',
      attack: '',
      evidence: '',
    });
    // Escaped HTML in evidence is decoded once (XML) and kept verbatim as text, CR removed by XML.
    const modern = vulnByRule(r, '10109');
    expect(modern.findings[0]?.evidence).toBe(
      '<a href="#" onclick="decQuantity(1);"><img src="images/130.png" alt="Decrease quantity in basket" border="0"></a>',
    );
    expect(allFindings(r).some((f) => f.url.includes('\r') || f.method.includes('\r'))).toBe(false);
    expect(r.vulnerabilities.map((v) => v.name)).toContain(
      'Server Leaks Version Information via "Server" HTTP Response Header Field',
    );
  });

  it('parses zap-defectdojo-2.xml (traditional-xml-plus, German date)', async () => {
    const r = await parseReport(reportFixture('zap-defectdojo-2.xml'));
    expect(r.toolVersion).toBe('2.11.1');
    expect(r.vulnerabilities).toHaveLength(1);
    const v = r.vulnerabilities[0]!;
    expect(v).toMatchObject({
      ruleKey: '90028',
      name: 'Insecure HTTP Method - PUT',
      severity: 'medium',
      confidence: 'medium',
      cwe: 200,
      wasc: 45,
    });
    expect(v.description).toContain('utilized for **update** capabilities');
    expect(v.solution).toBe('TBA');
    expect(v.references).toEqual(['http://projects.webappsec.org/Fingerprinting']);
    expect(v.findings).toHaveLength(1);
    const f = v.findings[0]!;
    expect(f).toMatchObject({
      url: 'http://localhost:8080/bodgeit/js/qndto7n63d',
      method: 'PUT',
      evidence: 'response code 403 for potentially insecure HTTP METHOD',
      requestLine: 'PUT http://localhost:8080/bodgeit/js/qndto7n63d HTTP/1.1',
      requestBody: '"J0O0glajHdR0Mgp":"UToh9IpCY5zh3CB"',
      responseStatusLine: 'HTTP/1.1 403 Forbidden',
    });
    expect(f.requestHeaders).toHaveLength(11);
    expect(f.requestHeaders[0]).toEqual(['Host', 'localhost:8080']);
    expect(f.requestHeaders).toContainEqual(['Cookie', 'JSESSIONID=9E75E26E50F681208096FFAA0B566901']);
    expect(f.requestHeaders[10]).toEqual(['Content-Length', '35']);
    expect(f.responseHeaders).toEqual([
      ['Server', 'Apache-Coyote/1.1'],
      ['Content-Type', 'text/html;charset=utf-8'],
      ['Content-Language', 'en'],
      ['Content-Length', '1004'],
      ['Date', 'Fri, 30 Sep 2022 06:40:15 GMT'],
    ]);
    expect(
      f.responseBody.startsWith('<!DOCTYPE html><html><head><title>Apache Tomcat/8.0.37 - Error report</title>'),
    ).toBe(true);
  });

  it('parses the empty zap-defectdojo-3.xml as a valid report with zero findings', async () => {
    const r = await parseReport(reportFixture('zap-defectdojo-3.xml'));
    expect(r.format).toBe('zap-xml');
    expect(r.toolVersion).toBe('2.9.0');
    expect(r.sites).toEqual([{ name: 'https://isaac.nl', host: 'isaac.nl', port: 443, ssl: true }]);
    expect(r.vulnerabilities).toEqual([]);
  });
});

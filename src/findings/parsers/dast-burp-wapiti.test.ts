import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../index.ts';
import { allFindings, localFixture, reportFixture, vulnByRule } from '../testing.ts';

// Expected values were read from the fixture files with jq/grep/base64, not from the parser's output.

describe('GitLab DAST', () => {
  it('parses gitlab-dast-defectdojo-1.json (hybrid with ZAP keys, 10 entries, 4 rules)', async () => {
    const r = await parseReport(reportFixture('gitlab-dast-defectdojo-1.json'));
    expect(r.format).toBe('gitlab-dast');
    expect(r).toMatchObject({ tool: 'OWASP Zed Attack Proxy (ZAP)', toolVersion: 'D-2020-08-26' });
    expect(r.startedAt).toBe('2021-04-23T15:46:34.000Z');
    expect(r.finishedAt).toBe('2021-04-23T15:46:48.000Z');
    expect(allFindings(r)).toHaveLength(10);
    expect(r.vulnerabilities.map((v) => [v.ruleKey, v.severity, v.findings.length])).toEqual([
      ['10062', 'high', 1],
      ['10038', 'medium', 1],
      ['10036', 'low', 6],
      ['10021', 'low', 2],
    ]);
    const pii = vulnByRule(r, '10062');
    expect(pii).toMatchObject({ name: 'PII Disclosure', confidence: 'high', cwe: 359, solution: '' });
    const f = pii.findings[0]!;
    expect(f).toMatchObject({
      url: 'http://api-server/v1/trees',
      method: 'GET',
      parameter: '',
      site: 'http://api-server',
    });
    expect(f.evidence.startsWith('378282246310005; Credit Card Type detected: American Express')).toBe(true);
    expect(f.requestHeaders).toHaveLength(7);
    expect(f.requestHeaders[1]).toEqual(['Authorization', '********']);
    expect(f.responseStatusLine).toBe('200 OK');
    expect(vulnByRule(r, '10038').references).toHaveLength(7);
    const xcto = vulnByRule(r, '10021').findings;
    expect(xcto.map((x) => [x.method, x.parameter])).toEqual([
      ['GET', 'X-Content-Type-Options'],
      ['POST', 'X-Content-Type-Options'],
    ]);
  });
});

describe('Burp Suite XML', () => {
  it('parses burp-defectdojo-1.xml (inline DTD, 16 issues, base64 messages)', async () => {
    const r = await parseReport(reportFixture('burp-defectdojo-1.xml'));
    expect(r).toMatchObject({ format: 'burp-xml', tool: 'Burp Suite', toolVersion: '1.6.05' });
    expect(allFindings(r)).toHaveLength(16);
    const byKey = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(r.vulnerabilities.map((v) => [v.ruleKey, v.severity, v.findings.length]).sort(byKey)).toEqual(
      [
        ['5245344', 'info', 3],
        ['8389120', 'info', 6],
        ['5244416', 'low', 1],
        ['1049088', 'high', 3],
        ['2097920', 'high', 1],
        ['5244928', 'low', 1],
        ['3145984', 'high', 1],
      ].sort(byKey),
    );
    expect(allFindings(r).filter((f) => f.site === 'http://bwa')).toHaveLength(16);
    const frame = vulnByRule(r, '5245344');
    expect(frame).toMatchObject({ name: 'Frameable response (potential Clickjacking)', confidence: 'high' });
    expect(frame.description).toContain('Note that this issue is being reported because the application');
    expect(frame.description).not.toContain('<b>');
    const first = frame.findings[0]!;
    expect(first).toMatchObject({ url: 'http://bwa/bodgeit/', method: 'GET', requestLine: 'GET /bodgeit/ HTTP/1.1' });
    expect(first.requestHeaders[0]).toEqual(['Host', 'bwa']);
    expect(first.responseStatusLine).toBe('HTTP/1.1 200 OK');
    expect(first.responseHeaders).toContainEqual(['Set-Cookie', 'JSESSIONID=AD00240A932835EDD60B3F7487A9D15D; Path=/']);
    const sqli = vulnByRule(r, '1049088');
    expect(sqli.findings.map((f) => f.parameter)).toEqual(expect.arrayContaining(['b_id', 'password']));
    expect(sqli.findings.find((f) => f.parameter === 'password')?.url).toBe('http://bwa/bodgeit/login.jsp');
    const cookie = vulnByRule(r, '5244416').findings[0]!;
    expect(cookie.evidence).toBe('JSESSIONID=AD00240A932835EDD60B3F7487A9D15D; Path=/');
  });
});

describe('Wapiti JSON (hand-written fixture, see __fixtures__/README.md)', () => {
  it('parses categories into vulnerabilities and entries into findings', async () => {
    const r = await parseReport(localFixture('wapiti-handmade-3.1.json'));
    expect(r).toMatchObject({
      format: 'wapiti-json',
      tool: 'Wapiti',
      toolVersion: '3.1.8',
      finishedAt: '2025-11-25T14:02:11.000Z',
    });
    expect(r.sites.map((s) => s.name)).toEqual(['http://127.0.0.1:8765']);
    expect(r.vulnerabilities.map((v) => [v.ruleKey, v.severity, v.findings.length])).toEqual([
      ['SQL Injection', 'critical', 1],
      ['Reflected Cross Site Scripting', 'medium', 2],
      ['Content Security Policy Configuration', 'low', 1],
      ['Internal Server Error', 'high', 1],
      ['Fingerprint web technology', 'info', 1],
    ]);
    const sqli = vulnByRule(r, 'SQL Injection');
    expect(sqli.cwe).toBe(89);
    expect(sqli.references).toContain('OWASP WSTG: WSTG-INPV-05');
    const f = sqli.findings[0]!;
    expect(f).toMatchObject({
      url: 'http://127.0.0.1:8765/login',
      method: 'POST',
      parameter: 'username',
      requestLine: 'POST /login HTTP/1.1',
      requestBody: 'username=%C2%BF%27%22%28&password=Letm3in_',
    });
    expect(f.attack.startsWith('curl "http://127.0.0.1:8765/login"')).toBe(true);
    const xss = vulnByRule(r, 'Reflected Cross Site Scripting').findings[0]!;
    expect(xss.url).toBe('http://127.0.0.1:8765/search?q=%3CScRiPt%3Ealert%28%27wwqqfb7hbs%27%29%3C%2FsCrIpT%3E');
    expect(xss.requestHeaders[0]).toEqual(['host', '127.0.0.1:8765']);
  });

  it('reads Wapiti 2 levels (1 high … 3 low) and list-shaped references', async () => {
    const report = {
      classifications: {
        XSS: {
          desc: 'd',
          sol: 's',
          ref: [{ title: 'CWE-79: XSS', url: 'https://cwe.mitre.org/data/definitions/79.html' }],
        },
      },
      vulnerabilities: {
        XSS: [
          {
            method: 'GET',
            path: '/a',
            info: 'i',
            level: 1,
            parameter: 'x',
            http_request: 'GET /a?x=1 HTTP/1.1\nhost: h',
          },
        ],
      },
      infos: { target: 'http://h/', version: 'Wapiti 2.3.0' },
    };
    const r = await parseReport(JSON.stringify(report));
    expect(r.vulnerabilities[0]).toMatchObject({
      severity: 'high',
      cwe: 79,
      references: ['https://cwe.mitre.org/data/definitions/79.html'],
    });
    expect(r.vulnerabilities[0]?.findings[0]?.url).toBe('http://h/a?x=1');
  });

  it("reads a real report of Debian's wapiti 3.0.4 (levels 4 critical … 0 info, as its source defines them)", async () => {
    const file = localFixture('wapiti-debian-3.0.4.json');
    const raw = JSON.parse(readFileSync(file.path, 'utf8')) as {
      vulnerabilities: Record<string, Array<{ method: string; path: string; parameter: string; level: number }>>;
    };
    // From the file: SQL Injection at level 4 on /item id; Cross Site Scripting at level 2 on /item id and /search q.
    expect(raw.vulnerabilities['SQL Injection']?.map((e) => [e.method, e.path, e.parameter, e.level])).toEqual([
      ['GET', '/item', 'id', 4],
    ]);
    expect(raw.vulnerabilities['Cross Site Scripting']?.map((e) => [e.path, e.parameter, e.level])).toEqual([
      ['/item', 'id', 2],
      ['/search', 'q', 2],
    ]);
    const report = await parseReport(file);
    expect(report).toMatchObject({ format: 'wapiti-json', toolVersion: expect.stringContaining('3.0.4') });
    const sqli = report.vulnerabilities.find((v) => v.name === 'SQL Injection')!;
    expect(sqli).toMatchObject({ severity: 'critical', cwe: 89 });
    expect(sqli.findings.map((f) => [f.method, new URL(f.url).pathname, f.parameter])).toEqual([
      ['GET', '/item', 'id'],
    ]);
    const xss = report.vulnerabilities.find((v) => v.name === 'Cross Site Scripting')!;
    expect(xss).toMatchObject({ severity: 'medium', cwe: 79 });
    expect(xss.findings.map((f) => f.parameter).sort()).toEqual(['id', 'q']);
  });
});

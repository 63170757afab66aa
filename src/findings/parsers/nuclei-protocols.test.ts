// Nuclei v3 results of every protocol type its output schema defines (pkg/output/output.go ResultEvent;
// the types of pkg/templates/types: http, dns, ssl, tcp, javascript, file, headless, code, whois,
// websocket). Each result is built from that schema with the fields its protocol fills in; several lack
// matched-at, host and ip, as real non-HTTP results do. None of them makes the report invalid.
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../index.ts';
import { allFindings } from '../testing.ts';

const info = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  author: ['pdteam'],
  tags: ['x'],
  severity: 'info',
  ...extra,
});
const ts = '2025-03-01T10:00:00.000000+01:00';

/** miekg/dns Msg.String() of a query, as the dns protocol puts it in `request`. */
const dnsQuery = (name: string, type: string) =>
  `;; opcode: QUERY, status: NOERROR, id: 4242\n;; flags: rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n\n;; QUESTION SECTION:\n;${name}\tIN\t ${type}\n`;

const RESULTS: Record<string, Record<string, unknown>> = {
  http: {
    'template-id': 'git-config',
    'template-path': '/t/http/exposures/configs/git-config.yaml',
    info: info('Git Config', {
      severity: 'medium',
      classification: { 'cwe-id': ['cwe-200'] },
      description: 'Git config exposed',
    }),
    type: 'http',
    host: 'https://shop.example',
    port: '443',
    scheme: 'https',
    url: 'https://shop.example',
    'matched-at': 'https://shop.example/.git/config',
    ip: '203.0.113.5',
    timestamp: ts,
    request: 'GET /.git/config HTTP/1.1\r\nHost: shop.example\r\n\r\n',
    response: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n[core]',
    'curl-command': "curl -X 'GET' 'https://shop.example/.git/config'",
    'matcher-status': true,
  },
  // A DNS query of the root zone: no host, no matched-at, no ip; only the question in the request.
  dns: {
    'template-id': 'dns-root-ns',
    info: info('Root NS'),
    type: 'dns',
    timestamp: ts,
    'matcher-status': true,
    request: dnsQuery('.', 'NS'),
    response:
      ';; opcode: QUERY, status: NOERROR, id: 4242\n\n;; ANSWER SECTION:\n.\t518400\tIN\tNS\ta.root-servers.net.\n',
    'extracted-results': ['a.root-servers.net.'],
  },
  ssl: {
    'template-id': 'tls-version',
    info: info('TLS Version'),
    type: 'ssl',
    host: 'shop.example',
    port: '443',
    'matched-at': 'shop.example:443',
    ip: '203.0.113.5',
    timestamp: ts,
    'extracted-results': ['tls13'],
    'matcher-status': true,
  },
  tcp: {
    'template-id': 'openssh-detect',
    info: info('OpenSSH Detect'),
    type: 'tcp',
    host: 'shop.example',
    port: '22',
    ip: '203.0.113.5',
    timestamp: ts,
    request: 'SSH-2.0-Go\r\n',
    response: 'SSH-2.0-OpenSSH_8.9p1',
    'extracted-results': ['SSH-2.0-OpenSSH_8.9p1'],
    'matcher-status': true,
  },
  javascript: {
    'template-id': 'mysql-default-login',
    info: info('MySQL Default Login', {
      severity: 'high',
      classification: { 'cwe-id': ['cwe-1391'] },
      description: 'Default credentials',
    }),
    type: 'javascript',
    ip: '203.0.113.9',
    port: '3306',
    timestamp: ts,
    request: 'mysql.Connect(host, port, "root", "")',
    response: 'true',
    'matcher-status': true,
  },
  file: {
    'template-id': 'aws-access-key',
    info: info('AWS Access Key', { severity: 'high' }),
    type: 'file',
    path: '/src/app/config.js',
    'matched-line': [12],
    timestamp: ts,
    'extracted-results': ['AKIAIOSFODNN7EXAMPLE'],
    'matcher-status': true,
  },
  headless: {
    'template-id': 'dom-xss',
    info: info('DOM XSS', { severity: 'medium' }),
    type: 'headless',
    host: 'https://shop.example',
    'matched-at': 'https://shop.example/search?q=1',
    timestamp: ts,
    'matcher-status': true,
  },
  // A code template run without a target: nothing but the template.
  code: {
    'template-id': 'local-sudo-check',
    info: info('Sudo Check'),
    type: 'code',
    timestamp: ts,
    response: 'sudo 1.9.9',
    'matcher-status': true,
  },
  whois: {
    'template-id': 'whois-expiry',
    info: info('Domain Expiry'),
    type: 'whois',
    host: 'shop.example',
    timestamp: ts,
    response: '{"expirationDate":"2026-01-01"}',
    'extracted-results': ['2026-01-01'],
    'matcher-status': true,
  },
  websocket: {
    'template-id': 'cswsh',
    info: info('Cross-Site WebSocket Hijacking', { severity: 'medium' }),
    type: 'websocket',
    host: 'wss://shop.example/ws',
    'matched-at': 'wss://shop.example/ws',
    timestamp: ts,
    'matcher-status': true,
  },
};

const jsonl = (results: Record<string, unknown>[]) =>
  Buffer.from(`${results.map((r) => JSON.stringify(r)).join('\n')}\n`);

describe('Nuclei v3 results of every protocol', () => {
  it.each(Object.entries(RESULTS))('imports a %s result alone', (type, result) => {
    const r = parseReportBytes(jsonl([result]));
    const [f] = allFindings(r);
    expect(f).toBeDefined();
    expect(f!.url).not.toBe('');
    expect(r.vulnerabilities[0]!.ruleKey).toBe(result['template-id']);
    expect(f!.otherInfo).toContain(`type: ${type}`);
  });

  it('locates each result by the most precise field it carries, and says where the location came from', () => {
    const r = parseReportBytes(jsonl(Object.values(RESULTS)));
    const byRule = new Map(r.vulnerabilities.map((v) => [v.ruleKey, v.findings[0]!]));
    expect(allFindings(r)).toHaveLength(10);
    expect(byRule.get('git-config')).toMatchObject({
      url: 'https://shop.example/.git/config',
      method: 'GET',
      site: 'https://shop.example',
    });
    expect(byRule.get('git-config')!.otherInfo).not.toContain('location:');
    // The root zone: located by the DNS question, placed on no site.
    const root = byRule.get('dns-root-ns')!;
    expect(root).toMatchObject({ url: '.', site: '', evidence: 'a.root-servers.net.' });
    expect(root.otherInfo).toContain('location: from the DNS question in the result\'s "request"');
    expect(byRule.get('tls-version')).toMatchObject({ url: 'shop.example:443' });
    expect(byRule.get('openssh-detect')).toMatchObject({ url: 'shop.example:22', site: 'shop.example' });
    expect(byRule.get('openssh-detect')!.otherInfo).toContain('location: from the result\'s "host"');
    expect(byRule.get('mysql-default-login')).toMatchObject({ url: '203.0.113.9:3306', site: '203.0.113.9' });
    expect(byRule.get('mysql-default-login')!.otherInfo).toContain('location: from the result\'s "ip"');
    expect(byRule.get('aws-access-key')).toMatchObject({ url: '/src/app/config.js', site: '' });
    expect(byRule.get('aws-access-key')!.otherInfo).toContain('location: from the result\'s "path"');
    expect(byRule.get('dom-xss')).toMatchObject({
      url: 'https://shop.example/search?q=1',
      site: 'https://shop.example',
    });
    const code = byRule.get('local-sudo-check')!;
    expect(code).toMatchObject({ url: 'code:local-sudo-check', site: '', responseBody: 'sudo 1.9.9' });
    expect(code.otherInfo).toContain('location: from the template id and type');
    expect(byRule.get('whois-expiry')).toMatchObject({ url: 'shop.example', site: 'shop.example' });
    expect(byRule.get('cswsh')).toMatchObject({ url: 'wss://shop.example/ws' });
    expect(new Set(allFindings(r).map((f) => f.fingerprint)).size).toBe(10);
  });

  it('counts what the results left out per kind, as warnings', () => {
    const r = parseReportBytes(jsonl(Object.values(RESULTS)));
    const warnings = Object.fromEntries(r.warnings.map((w) => [w.kind, w]));
    // dns, tcp, javascript, file, code and whois have no matched-at.
    expect(warnings['no-matched-at']).toMatchObject({
      count: 6,
      message: expect.stringMatching(/^6 results had no matched-at/),
    });
    expect(warnings['no-cwe']).toMatchObject({ count: 8, message: '8 results had no CWE' });
    expect(warnings['no-description']?.count).toBe(8);
    expect(warnings['no-severity']).toBeUndefined();
    const one = parseReportBytes(
      jsonl([{ 'template-id': 'x', type: 'http', 'matched-at': 'https://a.example/', info: {} }]),
    );
    expect(one.warnings.map((w) => w.message)).toEqual([
      '1 result had no template name (the template id is shown)',
      '1 result had no known severity (read as info)',
      '1 result had no CWE',
      '1 result had no description',
    ]);
  });

  it('still refuses a result without template-id, and a line that is not JSON', () => {
    expect(() => parseReportBytes(jsonl([{ type: 'dns', info: info('x') }]), { format: 'nuclei-jsonl' })).toThrow(
      /required field "template-id"/,
    );
    expect(() => parseReportBytes(Buffer.from('{"template-id":"a","type":"dns"}\n{"template-id":'))).toThrow(/line 2/);
  });
});

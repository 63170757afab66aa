import { describe, expect, it } from 'vitest';
import { parseReport } from '../index.ts';
import { allFindings, reportFixture, vulnByRule } from '../testing.ts';

// Expected values were read from the fixture files with jq, not from the parser's output.

describe('Nuclei', () => {
  it('parses the v3 JSON array export nuclei-defectdojo-2.json (6 results, DNS and SSL types)', async () => {
    const r = await parseReport(reportFixture('nuclei-defectdojo-2.json'));
    expect(r.format).toBe('nuclei-json');
    expect(r.tool).toBe('Nuclei');
    expect(allFindings(r)).toHaveLength(6);
    // 5 templates; tls-version appears twice (tls12, tls13) at the same place.
    expect(r.vulnerabilities.map((v) => v.ruleKey)).toEqual([
      'dns-saas-service-detection:wix',
      'caa-fingerprint',
      'ssl-issuer',
      'ssl-dns-names',
      'tls-version',
    ]);
    const dns = vulnByRule(r, 'dns-saas-service-detection:wix');
    expect(dns).toMatchObject({
      name: 'DNS SaaS Service Detection (wix)',
      severity: 'info',
      description: 'A CNAME DNS record was discovered',
    });
    expect(dns.references).toEqual([
      'https://ns1.com/resources/cname',
      'https://www.theregister.com/2021/02/24/dns_cname_tracking/',
      'https://www.ionos.com/digitalguide/hosting/technical-matters/cname-record/',
    ]);
    const f = dns.findings[0]!;
    expect(f).toMatchObject({ url: 'www.asdf.de', method: '', evidence: 'pointing.wixdns.net', requestHeaders: [] });
    // dig-style text is not HTTP: kept whole as the body.
    expect(f.requestBody.startsWith(';; opcode: QUERY, status: NOERROR, id: 9778\n')).toBe(true);
    expect(f.responseBody).toContain('www.asdf.de.\t3093\tIN\tCNAME\tpointing.wixdns.net.');
    const tls = vulnByRule(r, 'tls-version').findings;
    expect(tls.map((x) => x.evidence)).toEqual(['tls12', 'tls13']);
    expect(tls.map((x) => x.url)).toEqual(['www.asdf.de:443', 'www.asdf.de:443']);
    expect(tls[0]?.fingerprint).not.toBe(tls[1]?.fingerprint);
    expect(vulnByRule(r, 'ssl-dns-names').findings[0]?.evidence).toBe('asdf.de\nwww.asdf.de');
    expect(r.startedAt).toBe('2023-11-06T13:48:31.559Z');
  });

  it('parses the legacy v2 JSON Lines nuclei-defectdojo-3.jsonl (18 lines, 7 templates)', async () => {
    const r = await parseReport(reportFixture('nuclei-defectdojo-3.jsonl'));
    expect(r.format).toBe('nuclei-jsonl');
    const findings = allFindings(r);
    expect(findings).toHaveLength(18);
    expect(new Set(r.vulnerabilities.map((v) => v.ruleKey.split(':')[0]))).toEqual(
      new Set([
        'openssh5.3-detect',
        'nginx-version',
        'phpmyadmin-setup',
        'tech-detect',
        'waf-detect',
        'phpmyadmin-panel',
        'mysql-native-password-bruteforce',
      ]),
    );
    expect(
      r.vulnerabilities.filter((v) => v.ruleKey.startsWith('tech-detect:')).flatMap((v) => v.findings),
    ).toHaveLength(11);
    expect(new Set(r.vulnerabilities.map((v) => v.severity))).toEqual(new Set(['info', 'low', 'medium']));
    const ssh = vulnByRule(r, 'openssh5.3-detect');
    expect(ssh).toMatchObject({ name: 'OpenSSH 5.3 Detection', severity: 'low' });
    // The legacy markdown reference string is split into its links.
    expect(ssh.references).toEqual([
      'http://seclists.org/fulldisclosure/2016/Jul/51',
      'https://security-tracker.debian.org/tracker/CVE-2016-6210',
      'http://openwall.com/lists/oss-security/2016/08/01/2',
    ]);
    expect(ssh.findings[0]).toMatchObject({ url: 'nuclei-example.com:22', site: 'https://nuclei-example.com' });
    const nginx = vulnByRule(r, 'nginx-version').findings[0]!;
    expect(nginx).toMatchObject({
      url: 'https://nuclei-example.com',
      evidence: 'nginx/1.14.2',
      site: 'https://nuclei-example.com',
    });
    expect(nginx.otherInfo).toContain('ip: 178.21.15.56');
    expect(vulnByRule(r, 'phpmyadmin-setup').severity).toBe('medium');
    expect(r.sites.map((s) => s.name)).toEqual([
      'https://nuclei-example.com',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:9090',
    ]);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(18);
  });

  it('parses the 0-byte nuclei-defectdojo-4.jsonl as an empty report', async () => {
    const r = await parseReport(reportFixture('nuclei-defectdojo-4.jsonl'));
    expect(r).toMatchObject({ format: 'nuclei-jsonl', vulnerabilities: [], sites: [] });
  });
});

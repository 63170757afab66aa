// Report files for the scans browser tests: the real ZAP report from test/fixtures/reports (resolved
// relative to the repository, so CI's copy is used), a truncated copy, and a small hostile report.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const zapReportPath = fileURLToPath(new URL('../test/fixtures/reports/zap-bcgov-1.json', import.meta.url));

interface ZapInstance {
  uri: string;
  method: string;
  param: string;
}
interface ZapAlert {
  name: string;
  riskcode: string;
  instances: ZapInstance[];
}

/** The report's alerts as the file has them (for expected values worked out from the file). */
export function zapAlerts(): ZapAlert[] {
  const report = JSON.parse(readFileSync(zapReportPath, 'utf8')) as { site: { alerts: ZapAlert[] }[] };
  return report.site.flatMap((site) => site.alerts);
}

/** The first 5,000 bytes of the report: a truncated file the server must refuse. */
export function brokenZapReport(): Buffer {
  return readFileSync(zapReportPath).subarray(0, 5000);
}

export const xssPayload = '<img src=x onerror=window.__xss=1>';

/** A small ZAP JSON report whose alert name, evidence and response carry an XSS payload. */
export function xssZapReport(site: string): Buffer {
  const report = {
    '@programName': 'ZAP',
    '@version': '2.15.0',
    '@generated': 'Mon, 3 Jun 2024 10:00:00',
    site: [
      {
        '@name': site,
        '@host': new URL(site).hostname,
        '@port': '443',
        '@ssl': 'true',
        alerts: [
          {
            pluginid: '40012',
            alertRef: '40012',
            alert: `Reflected XSS ${xssPayload}`,
            name: `Reflected XSS ${xssPayload}`,
            riskcode: '3',
            confidence: '2',
            riskdesc: 'High (Medium)',
            desc: `<p>Scanner HTML ${xssPayload}</p>`,
            solution: '<p>Encode output.</p>',
            otherinfo: '',
            reference: '<p>javascript:alert(1)</p><p>https://owasp.org/www-community/attacks/xss/</p>',
            cweid: '79',
            wascid: '8',
            sourceid: '1',
            instances: [
              {
                uri: `${site}/search?q=1`,
                method: 'GET',
                param: 'q',
                attack: xssPayload,
                evidence: xssPayload,
                otherinfo: `other ${xssPayload}`,
                requestheader: `GET ${site}/search?q=1 HTTP/1.1\r\nHost: ${new URL(site).host}\r\nUser-Agent: ZAP\r\n\r\n`,
                requestbody: '',
                responseheader: 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n',
                responsebody: `<html><body>${xssPayload}</body></html>`,
              },
            ],
            count: '1',
          },
        ],
      },
    ],
  };
  return Buffer.from(JSON.stringify(report, null, 2));
}

/** A ZAP JSON report with one alert of `count` instances (`/page/<n>?id=<n>`, parameter `id`). */
export function largeZapReport(site: string, count: number): Buffer {
  const instances = Array.from({ length: count }, (_, n) => ({
    uri: `${site}/page/${n + 1}?id=${n + 1}`,
    method: n % 2 === 0 ? 'GET' : 'POST',
    param: 'id',
    attack: `${n + 1}' OR '1'='1`,
    evidence: `row ${n + 1}`,
  }));
  return sqlInjectionReport(site, instances);
}

/** A ZAP JSON report of `site` with one SQL Injection alert holding these instances. */
export function sqlInjectionReport(site: string, instances: Record<string, string>[]): Buffer {
  const alert = {
    pluginid: '40018',
    alertRef: '40018',
    alert: 'SQL Injection',
    name: 'SQL Injection',
    riskcode: '3',
    confidence: '2',
    riskdesc: 'High (Medium)',
    desc: '<p>SQL injection may be possible.</p>',
    solution: '<p>Use prepared statements.</p>',
    otherinfo: '',
    reference: '<p>https://owasp.org/www-community/attacks/SQL_Injection</p>',
    cweid: '89',
    wascid: '19',
    sourceid: '1',
    instances,
    count: String(instances.length),
  };
  const report = {
    '@version': '2.15.0',
    '@generated': 'Mon, 3 Jun 2024 10:00:00',
    site: [{ '@name': site, '@host': new URL(site).hostname, '@port': '443', '@ssl': 'true', alerts: [alert] }],
  };
  return Buffer.from(JSON.stringify(report));
}

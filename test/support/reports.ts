// Small synthetic ZAP traditional-JSON reports for tests that need many findings of one vulnerability.
export function zapReport(
  site: string,
  alerts: { name: string; risk: 0 | 1 | 2 | 3; instances: number; extra?: Record<string, string> }[],
): Buffer {
  return Buffer.from(
    JSON.stringify({
      '@programName': 'ZAP',
      '@version': '2.15.0',
      '@generated': 'Wed, 3 Dec 2025 12:46:55',
      site: [
        {
          '@name': site,
          '@host': new URL(site).hostname,
          '@port': new URL(site).port || '443',
          '@ssl': String(site.startsWith('https')),
          alerts: alerts.map((a, i) => ({
            pluginid: String(40000 + i),
            alertRef: String(40000 + i),
            alert: a.name,
            name: a.name,
            riskcode: String(a.risk),
            confidence: '2',
            riskdesc: 'x',
            desc: `<p>${a.name} description</p>`,
            solution: '<p>Fix it.</p>',
            reference: '<p>https://owasp.org/</p>',
            cweid: '79',
            wascid: '8',
            sourceid: '1',
            count: String(a.instances),
            instances: Array.from({ length: a.instances }, (_, k) => ({
              uri: `${site}/page/${k}?q=${k}`,
              method: 'GET',
              param: 'q',
              attack: `<script>${k}</script>`,
              evidence: `evidence ${k}`,
              otherinfo: '',
              ...a.extra,
            })),
          })),
        },
      ],
    }),
  );
}

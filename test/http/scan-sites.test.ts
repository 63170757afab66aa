// Uploads of real scanners' reports through the API (issue #15), on both dialects: the "sites" choice
// (only the target's site / all into the target / one scan per site) and what was left out, empty
// scans marked in the scans list, and warnings on the scan.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Org } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import { withTestAppAndOrg } from '../support/hooks.ts';
import { multipart } from '../support/multipart.ts';
import { zapReport } from '../support/reports.ts';

/** A ZAP report of these sites, `n` instances of one alert each, without CWE ids. */
function zapOfSites(sites: string[], n: number): Buffer {
  const reports = sites.map((s, i) =>
    JSON.parse(zapReport(s, [{ name: `Alert ${i}`, risk: 2, instances: n }]).toString()),
  );
  return Buffer.from(
    JSON.stringify({ ...reports[0], site: reports.flatMap((r) => r.site) }).replaceAll('"cweid":"79"', '"cweid":"0"'),
  );
}

describe.each(DIALECTS)('scan uploads of several sites on %s', (dialect) => {
  let org: Org;
  withTestAppAndOrg(dialect, (made) => {
    ({ org } = made);
  });

  const upload = async (targetId: string, file: Buffer, fields: Record<string, string> = {}) => {
    const { body, contentType } = multipart(file, 'report', fields);
    return org.members.contributor.request('POST', `/api/targets/${targetId}/scans`, body, {
      'content-type': contentType,
    });
  };

  it('imports only the target’s site by default and says what was left out; "all" and "split" as asked', async () => {
    const c = org.members.contributor;
    const target = (await c.post('/api/targets', { name: 'Shop', baseUrl: 'https://shop.example/app' })).json().target;
    const report = zapOfSites(['http://shop.example', 'https://shop.example', 'https://blog.example'], 2);
    const own = await upload(target.id, report);
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().imports).toHaveLength(1);
    expect(own.json().imports[0]).toMatchObject({
      findings: 4,
      leftOut: [{ site: 'https://blog.example', findings: 2 }],
    });
    expect(own.json().imports[0].warnings).toEqual([
      { kind: 'no-cwe', count: 3, message: '3 alerts had no CWE' },
      {
        kind: 'other-sites-left-out',
        count: 2,
        message: '2 findings on other sites were left out: https://blog.example (2)',
      },
    ]);
    // The warnings are on the scan report.
    const scan = (await org.members.reader.get(`/api/scans/${own.json().imports[0].scanId}`)).json().scan;
    expect(scan.warnings).toEqual(own.json().imports[0].warnings);
    expect(scan.site).toBe('https://shop.example');

    const all = await upload(target.id, report, { sites: 'all' });
    expect(all.json().imports).toMatchObject([{ targetId: target.id, findings: 6, leftOut: [] }]);
    const split = await upload(target.id, report, { sites: 'split' });
    expect(split.json().imports.map((i: { findings: number }) => i.findings)).toEqual([4, 2]);
    const bad = await upload(target.id, report, { sites: 'some' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/sites must be one of target, all, split/);
  });

  it('marks an empty report’s scan as empty in the scans list, with nothing missing', async () => {
    const c = org.members.contributor;
    const target = (await c.post('/api/targets', { name: 'Empty', baseUrl: 'https://empty.example' })).json().target;
    const first = await upload(target.id, zapReport('https://empty.example', [{ name: 'A', risk: 1, instances: 5 }]));
    expect(first.json().imports[0]).toMatchObject({ findings: 5, empty: false });
    const empty = await upload(
      target.id,
      readFileSync(new URL('../fixtures/reports/zap-defectdojo-3.xml', import.meta.url)),
    );
    expect(empty.statusCode, empty.body).toBe(201);
    expect(empty.json().imports[0]).toMatchObject({ findings: 0, new: 0, recurring: 0, missing: 0, empty: true });
    const scans = (await org.members.reader.get(`/api/targets/${target.id}/scans`)).json().scans;
    expect(scans.map((s: { empty: boolean; counts: { missing: number } }) => [s.empty, s.counts.missing])).toEqual([
      [true, 0],
      [false, 0],
    ]);
  });
});

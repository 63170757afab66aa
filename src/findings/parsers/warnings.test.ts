// Optional fields a real report may leave out are warnings counted per kind, never a refusal; the
// required fields (each parser's header) still refuse the report whole (issue #15).
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../index.ts';
import { allFindings } from '../testing.ts';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const messages = (buf: Buffer) => parseReportBytes(buf).warnings.map((w) => w.message);

describe('warnings per format', () => {
  it('ZAP JSON and XML: an alert without name, CWE, description or solution imports, counted per kind', () => {
    const alert = (ref: string) => ({
      pluginid: ref,
      riskcode: '1',
      instances: [
        { uri: 'https://z.example/a', method: 'GET' },
        { uri: 'https://z.example/b', method: 'GET' },
      ],
    });
    const report = {
      '@version': '2.15.0',
      site: [
        {
          '@name': 'https://z.example',
          alerts: [
            alert('1'),
            alert('2'),
            { ...alert('3'), alert: 'Named', cweid: '79', desc: '<p>d</p>', solution: '<p>s</p>' },
          ],
        },
      ],
    };
    const r = parseReportBytes(json(report));
    expect(allFindings(r)).toHaveLength(6);
    expect(r.vulnerabilities[0]).toMatchObject({ ruleKey: '1', name: '1' });
    expect(r.warnings).toEqual([
      { kind: 'no-name', count: 2, message: '2 alerts had no name (the rule id is shown)' },
      { kind: 'no-cwe', count: 2, message: '2 alerts had no CWE' },
      { kind: 'no-description', count: 2, message: '2 alerts had no description' },
      { kind: 'no-solution', count: 2, message: '2 alerts had no solution' },
    ]);
    const xml =
      '<?xml version="1.0"?><OWASPZAPReport version="2.15.0"><site name="https://z.example"><alerts><alertitem><pluginid>1</pluginid><riskcode>2</riskcode><cweid>-1</cweid><desc>d</desc><solution>s</solution><alert>A</alert><instances><instance><uri>https://z.example/</uri></instance></instances></alertitem></alerts></site></OWASPZAPReport>';
    expect(messages(Buffer.from(xml))).toEqual(['1 alert had no CWE']);
    // Required: pluginid, riskcode, an instance's uri.
    expect(() =>
      parseReportBytes(json({ site: [{ '@name': 'x', alerts: [{ ...alert('1'), riskcode: undefined }] }] }), {
        format: 'zap-json',
      }),
    ).toThrow(/riskcode/);
    expect(() =>
      parseReportBytes(
        json({ site: [{ '@name': 'x', alerts: [{ ...alert('1'), instances: [{ method: 'GET' }] }] }] }),
        { format: 'zap-json' },
      ),
    ).toThrow(/uri/);
  });

  it('SARIF: a result without location, level, CWE or rule description imports, counted per kind', () => {
    const log = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'Tool', rules: [{ id: 'r1' }] } },
          results: [
            { ruleId: 'r1', message: { text: 'm' } },
            {
              ruleId: 'r1',
              message: { text: 'n' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.ts' } } }],
            },
          ],
        },
      ],
    };
    const r = parseReportBytes(json(log));
    expect(allFindings(r)).toHaveLength(2);
    expect(r.warnings.map((w) => [w.kind, w.count])).toEqual([
      ['no-cwe', 2],
      ['no-description', 2],
      ['no-severity', 2],
      ['no-location', 1],
    ]);
    expect(() =>
      parseReportBytes(json({ version: '2.1.0', runs: [{ tool: { driver: { name: 'T' } }, results: [{}] }] })),
    ).toThrow(/names no rule/);
  });

  it('GitLab DAST: an entry without severity, name, CWE, description or solution imports, counted per kind', () => {
    const entry = {
      identifiers: [{ type: 'zap', name: 'Z', value: '10020' }],
      location: { hostname: 'https://g.example', path: '/', method: 'GET' },
    };
    const r = parseReportBytes(
      json({ version: '15.0.0', scan: { scanner: { name: 'DAST' } }, vulnerabilities: [entry, entry] }),
    );
    expect(allFindings(r)).toHaveLength(2);
    expect(r.vulnerabilities[0]).toMatchObject({ name: 'Z', severity: 'info' });
    expect(r.warnings.map((w) => w.message)).toEqual([
      '2 vulnerabilities had no known severity (read as info)',
      '2 vulnerabilities had no name (the identifier is shown)',
      '2 vulnerabilities had no CWE',
      '2 vulnerabilities had no description',
      '2 vulnerabilities had no solution',
    ]);
    expect(() =>
      parseReportBytes(json({ version: '15.0.0', vulnerabilities: [{ identifiers: entry.identifiers }] }), {
        format: 'gitlab-dast',
      }),
    ).toThrow(/"location"/);
  });

  it('Wapiti: a finding without request or classification imports, counted per kind', () => {
    const report = {
      infos: { target: 'https://w.example/', version: 'Wapiti 3.0.4' },
      classifications: {},
      vulnerabilities: { 'Cross Site Scripting': [{ level: 3, method: 'GET', parameter: 'q' }] },
    };
    const r = parseReportBytes(json(report), { format: 'wapiti-json' });
    expect(allFindings(r)[0]).toMatchObject({ url: 'https://w.example', parameter: 'q' });
    expect(r.warnings.map((w) => w.kind)).toEqual(['no-cwe', 'no-description', 'no-solution', 'no-location']);
    expect(() =>
      parseReportBytes(json({ ...report, vulnerabilities: { X: [{ method: 'GET' }] } }), { format: 'wapiti-json' }),
    ).toThrow(/"level"/);
  });

  it('real reports carry their warnings too (nuclei-defectdojo-3.jsonl: templates without CWE)', async () => {
    const { readFileSync } = await import('node:fs');
    const r = parseReportBytes(
      readFileSync(new URL('../../../test/fixtures/reports/nuclei-defectdojo-3.jsonl', import.meta.url)),
    );
    const noCwe = r.warnings.find((w) => w.kind === 'no-cwe');
    expect(noCwe?.count).toBeGreaterThan(0);
    expect(noCwe?.message).toBe(`${noCwe?.count} results had no CWE`);
  });
});

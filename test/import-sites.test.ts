// Real scanners' reports (issue #15), stored on both dialects: one site under several spellings, a
// report of several sites cut to its target's site (or all into it), empty reports that never read as
// "everything was fixed", and warnings counted per kind and stored with the scan.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportScan, listScanRows, toScanInfo } from '../src/services/index.ts';
import { importReport } from '../src/imports/index.ts';
import { DIALECTS, type TestDatabase } from './support/databases.ts';
import { withTestOrganization } from './support/hooks.ts';
import { zapReport } from './support/reports.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/reports/${name}`, import.meta.url));

/** A ZAP JSON report whose sites are the given ones, each with the same alerts (n instances each). */
function zapOfSites(sites: string[], n = 3): Buffer {
  const reports = sites.map((s, i) =>
    JSON.parse(zapReport(s, [{ name: `Alert ${i}`, risk: 2, instances: n }]).toString()),
  );
  return Buffer.from(JSON.stringify({ ...reports[0], site: reports.flatMap((r) => r.site) }));
}

const nucleiLine = (fields: Record<string, unknown>) =>
  JSON.stringify({
    'template-id': 't',
    info: { name: 'T', severity: 'low', description: 'd', classification: { 'cwe-id': ['cwe-200'] } },
    type: 'http',
    ...fields,
  });

describe.each(DIALECTS)('real scanners’ reports on %s', (dialect) => {
  let t: TestDatabase;
  let organizationId: string;
  withTestOrganization(dialect, (made) => {
    ({ t, organizationId } = made);
  });
  const imp = (target: { url: string } | { id: string }, bytes: Buffer, extra: Record<string, unknown> = {}) =>
    importReport(t.db, { organizationId, actorUserId: null, target, file: { bytes, name: 'r' }, ...extra });

  it('treats http://host, https://host, host and host:443 of one host as one site, keeping each finding’s URL', async () => {
    const [zap, ...more] = await imp(
      { url: 'https://variant.example' },
      zapOfSites(['http://variant.example', 'https://variant.example']),
    );
    expect(more).toEqual([]);
    expect(zap).toMatchObject({ findings: 6, leftOut: [] });
    const exported = await exportScan(t.db.kysely, organizationId, zap!.scanId);
    expect(exported.scan.site).toBe('https://variant.example');
    const urls = exported.vulnerabilities.flatMap((v) => v.findings.map((f) => f.url));
    expect(urls.filter((u) => u.startsWith('http://variant.example/'))).toHaveLength(3);
    expect(urls.filter((u) => u.startsWith('https://variant.example/'))).toHaveLength(3);

    const lines = [
      nucleiLine({ 'template-id': 'a', host: 'https://tls.example', 'matched-at': 'https://tls.example/x' }),
      nucleiLine({ 'template-id': 'b', type: 'ssl', host: 'tls.example', 'matched-at': 'tls.example:443' }),
      nucleiLine({ 'template-id': 'c', type: 'dns', host: 'tls.example', 'matched-at': 'tls.example' }),
    ];
    const [nuclei] = await imp({ url: 'https://tls.example' }, Buffer.from(lines.join('\n')));
    expect(nuclei).toMatchObject({ findings: 3, leftOut: [] });
  });

  it('imports only the target’s site of a report of several sites and says what was left out; all sites into the target on request', async () => {
    const report = zapOfSites(
      ['https://mine.example', 'https://other.example', 'http://other.example', 'https://third.example:8443'],
      2,
    );
    const [mine, ...rest] = await imp({ url: 'https://mine.example' }, report);
    expect(rest).toEqual([]);
    expect(mine).toMatchObject({
      findings: 2,
      leftOut: [
        { site: 'https://other.example', findings: 4 },
        { site: 'https://third.example:8443', findings: 2 },
      ],
    });
    const warning = mine!.warnings.find((w) => w.kind === 'other-sites-left-out');
    expect(warning).toEqual({
      kind: 'other-sites-left-out',
      count: 6,
      message: '6 findings on other sites were left out: https://other.example (4), https://third.example:8443 (2)',
    });
    // Stored with the scan.
    const [row] = (await listScanRows(t.db.kysely, organizationId, mine!.targetId)).map(toScanInfo);
    expect(row?.warnings).toContainEqual(warning);

    const [all, ...none] = await imp({ id: mine!.targetId }, report, { sites: 'all' });
    expect(none).toEqual([]);
    expect(all).toMatchObject({ targetId: mine!.targetId, findings: 8, leftOut: [] });
    expect(all!.warnings.map((w) => w.kind)).not.toContain('other-sites-left-out');

    const split = await imp({ id: mine!.targetId }, report, { sites: 'split' });
    expect(split.map((s) => s.findings)).toEqual([2, 4, 2]);
    // A report none of whose sites is the target's is refused, naming both ways out.
    await expect(imp({ url: 'https://elsewhere.example' }, report)).rejects.toMatchObject({
      code: 'invalid_report',
      message: expect.stringMatching(/3 sites.*--all-sites.*--split-sites/),
    });
  });

  it('imports an empty report as an empty scan that reports nothing as missing, and compares the next scan with the last one that had findings', async () => {
    const target = { url: 'https://empty-nuclei.example' };
    const full = Buffer.from(
      [1, 2, 3]
        .map((k) => nucleiLine({ 'template-id': `t${k}`, host: target.url, 'matched-at': `${target.url}/${k}` }))
        .join('\n'),
    );
    const [first] = await imp(target, full);
    expect(first).toMatchObject({ findings: 3, new: 3, empty: false });
    // The 0-byte Nuclei file of the fixtures.
    expect(fixture('nuclei-defectdojo-4.jsonl').length).toBe(0);
    const [empty] = await imp({ id: first!.targetId }, fixture('nuclei-defectdojo-4.jsonl'));
    expect(empty).toMatchObject({ findings: 0, vulnerabilities: 0, new: 0, recurring: 0, missing: 0, empty: true });
    const scans = (await listScanRows(t.db.kysely, organizationId, first!.targetId)).map(toScanInfo);
    expect(scans.map((s) => [s.empty, s.counts.missing])).toEqual([
      [true, 0],
      [false, 0],
    ]);
    const [again] = await imp({ id: first!.targetId }, full);
    expect(again).toMatchObject({ new: 0, recurring: 3, missing: 0, empty: false });

    // A ZAP report with no alerts (zap-defectdojo-3.xml) after one with findings.
    const [zapFull] = await imp(
      { url: 'https://empty-zap.example' },
      zapReport('https://empty-zap.example', [{ name: 'A', risk: 1, instances: 4 }]),
    );
    const [zapEmpty] = await imp({ id: zapFull!.targetId }, fixture('zap-defectdojo-3.xml'));
    expect(zapEmpty).toMatchObject({ format: 'zap-xml', findings: 0, missing: 0, empty: true });
  });

  it('stores the warnings of a report counted per kind, read in the import thread and on a parser thread alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-warnings-'));
    try {
      const path = join(dir, 'zap.json');
      writeFileSync(
        path,
        zapReport('https://warn.example', [
          { name: 'A', risk: 1, instances: 12 },
          { name: 'B', risk: 2, instances: 3 },
        ])
          .toString()
          .replaceAll('"cweid":"79"', '"cweid":"-1"'),
      );
      for (const parseInWorker of [false, true]) {
        const [summary] = await importReport(t.db, {
          organizationId,
          actorUserId: null,
          target: { url: 'https://warn.example' },
          file: { path },
          parseInWorker,
        });
        expect(summary!.warnings).toEqual([{ kind: 'no-cwe', count: 2, message: '2 alerts had no CWE' }]);
        const exported = await exportScan(t.db.kysely, organizationId, summary!.scanId);
        expect(exported.scan.warnings).toEqual(summary!.warnings);
      }
      // A DNS query of the root zone, with no matched-at, host or ip, imports beside an HTTP result.
      const root = JSON.stringify({
        'template-id': 'dns-root',
        info: { name: 'Root', severity: 'info' },
        type: 'dns',
        request: ';; QUESTION SECTION:\n;.\tIN\t NS\n',
      });
      const [dns] = await imp(
        { url: 'https://dns.example' },
        Buffer.from(`${nucleiLine({ host: 'https://dns.example', 'matched-at': 'https://dns.example/' })}\n${root}\n`),
      );
      expect(dns).toMatchObject({ findings: 2, leftOut: [] });
      expect(dns!.warnings.find((w) => w.kind === 'no-matched-at')?.count).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('vulnbridge import: --all-sites and warnings in --json', () => {
  const run = promisify(execFile);
  const cli = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'vb-import-sites-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`,
    VULNBRIDGE_DATA_DIR: dir,
    VULNBRIDGE_SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  const vb = (...args: string[]) => run(process.execPath, [cli, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  const report = join(dir, 'zap.json');
  writeFileSync(
    report,
    zapOfSites(['https://cli.example', 'https://other.example'], 2).toString().replaceAll('"cweid":"79"', '"cweid":""'),
  );
  beforeAll(async () => {
    await run(process.execPath, [cli, 'user', 'create', '--email', 'cli@example.com', '--name', 'C'], {
      env: { ...env, VULNBRIDGE_PASSWORD: 'a long password!' },
    });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the target’s site and names what was left out; --all-sites imports all; --json has a "warnings" array', async () => {
    const own = JSON.parse((await vb('import', report, '--target', 'https://cli.example', '--json')).stdout);
    expect(own).toMatchObject({ findings: 2, leftOut: [{ site: 'https://other.example', findings: 2 }] });
    expect(own.warnings).toEqual([
      { kind: 'no-cwe', count: 2, message: '2 alerts had no CWE' },
      {
        kind: 'other-sites-left-out',
        count: 2,
        message: '2 findings on other sites were left out: https://other.example (2)',
      },
    ]);
    const all = JSON.parse(
      (await vb('import', report, '--target', 'https://cli.example', '--all-sites', '--json')).stdout,
    );
    expect(all).toMatchObject({
      findings: 4,
      leftOut: [],
      warnings: [{ kind: 'no-cwe', count: 2, message: '2 alerts had no CWE' }],
    });
    const text = (await vb('import', report, '--target', 'https://cli.example')).stdout;
    expect(text).toContain('  warning: 2 findings on other sites were left out: https://other.example (2)\n');
    await expect(
      vb('import', report, '--target', 'https://cli.example', '--all-sites', '--split-sites'),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('exclude each other') });
  }, 90_000);
});

// Wapiti live: Debian's wapiti (3.0.4) scans a deliberately vulnerable node:http app that this test
// starts on loopback, writes its own JSON report, and the report goes through the real import path
// (importReport, as `vulnbridge import` and the API take it) on both dialects. Every expected value is
// read from the report file Wapiti wrote, not from our parser. scripts/test.ts installs wapiti
// (ensureWapiti); without /usr/bin/wapiti this test fails, it does not skip.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportScan } from '../src/services/index.ts';
import { importReport } from '../src/imports/index.ts';
import { DIALECTS, type TestDatabase } from './support/databases.ts';
import { withTestOrganization } from './support/hooks.ts';

const WAPITI = '/usr/bin/wapiti';

interface WapitiEntry {
  method: string;
  path: string;
  parameter: string;
  level: number;
  http_request: string;
  curl_command: string;
}
interface WapitiReport {
  infos: { target: string; version: string };
  vulnerabilities: Record<string, WapitiEntry[]>;
  anomalies?: Record<string, WapitiEntry[]>;
  additionals?: Record<string, WapitiEntry[]>;
}

/** Reflected XSS in /search?q=, and /item?id= that echoes id unescaped and answers a quote with a MySQL error. */
function vulnerableApp(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/search') {
      res.end(`<html><body><h1>Results for ${url.searchParams.get('q') ?? ''}</h1></body></html>`);
    } else if (url.pathname === '/item') {
      const id = url.searchParams.get('id') ?? '';
      if (/['"]/.test(id)) {
        res.statusCode = 500;
        res.end(
          `<html><body>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${id}' at line 1</body></html>`,
        );
      } else {
        res.end(`<html><body><p>Item ${id}</p></body></html>`);
      }
    } else {
      res.end('<html><body><a href="/search?q=test">search</a> <a href="/item?id=1">item</a></body></html>');
    }
  });
}

function runWapiti(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(WAPITI, args, { timeout: 60_000, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`wapiti failed (${error.message}):\n${stderr.slice(-2000)}`));
      else resolve({ stdout, stderr });
    });
  });
}

let dir = '';
let server: Server | null = null;
let reportPath = '';
let report: WapitiReport;
let origin = '';

beforeAll(async () => {
  if (!existsSync(WAPITI)) {
    throw new Error(
      `${WAPITI} is missing: this test needs Debian's wapiti (apt-get install -y wapiti; scripts/test.ts installs it through ensureWapiti)`,
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'vb-wapiti-'));
  server = vulnerableApp();
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  reportPath = join(dir, 'report.json');
  // Session and config databases in the temp dir, so runs never share state (nor write to $HOME).
  await runWapiti([
    ...['-u', `${origin}/`, '-m', 'xss,sql', '--scope', 'folder', '-d', '2', '-f', 'json', '-o', reportPath],
    ...['--flush-session', '--store-session', join(dir, 'session'), '--store-config', join(dir, 'config')],
    ...['--max-scan-time', '45', '--max-attack-time', '20', '-t', '5', '-v', '0', '--no-bugreport'],
  ]);
  report = JSON.parse(readFileSync(reportPath, 'utf8')) as WapitiReport;
}, 90_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Categories with entries, from every section of the raw report. */
function categoriesWithEntries(): Array<[string, WapitiEntry[]]> {
  const sections = [report.vulnerabilities, report.anomalies ?? {}, report.additionals ?? {}];
  return sections.flatMap((s) => Object.entries(s)).filter(([, entries]) => entries.length > 0);
}

// Wapiti 3's levels (wapitiCore/language/vulnerability.py): 4 critical, 3 high, 2 medium, 1 low, 0 info.
const LEVELS: Record<number, string> = { 4: 'critical', 3: 'high', 2: 'medium', 1: 'low', 0: 'info' };

describe('a report written by Debian wapiti against a vulnerable loopback app', () => {
  it('names our app and finds the reflected XSS and the SQL injection', () => {
    expect(report.infos.version).toMatch(/^Wapiti 3\./);
    expect(report.infos.target).toBe(`${origin}/`);
    const xss = report.vulnerabilities['Cross Site Scripting'] ?? [];
    const sql = report.vulnerabilities['SQL Injection'] ?? [];
    expect(xss.map((e) => `${e.path}?${e.parameter}`)).toContain('/search?q');
    expect(sql.map((e) => `${e.path}?${e.parameter}`)).toContain('/item?id');
  });
});

describe.each(DIALECTS)('wapiti report imported on %s', (dialect) => {
  let t: TestDatabase;
  let organizationId: string;
  withTestOrganization(dialect, (made) => {
    ({ t, organizationId } = made);
  });

  it('stores every category with entries as a vulnerability and every entry as a finding, field for field', async () => {
    const categories = categoriesWithEntries();
    const entryCount = categories.reduce((n, [, entries]) => n + entries.length, 0);
    const [summary] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: origin },
      file: { path: reportPath },
    });
    expect(summary).toMatchObject({
      format: 'wapiti-json',
      tool: 'Wapiti',
      vulnerabilities: categories.length,
      findings: entryCount,
      new: entryCount,
    });

    const exported = await exportScan(t.db.kysely, organizationId, summary!.scanId);
    expect(exported.scan.toolVersion).toBe(report.infos.version.replace(/^Wapiti\s*/, ''));
    expect(exported.vulnerabilities.map((v) => v.name).sort()).toEqual(categories.map(([name]) => name).sort());
    for (const [name, entries] of categories) {
      const v = exported.vulnerabilities.find((x) => x.name === name)!;
      expect(v.findings).toHaveLength(entries.length);
      expect(v.severity).toBe(LEVELS[entries[0]!.level]);
      const stored = v.findings.map((f) => ({
        method: f.method,
        path: new URL(f.url).pathname,
        parameter: f.parameter,
        attack: f.attack,
        requestLine: f.requestLine,
      }));
      const expected = entries.map((e) => ({
        method: e.method,
        path: e.path,
        parameter: e.parameter,
        attack: e.curl_command,
        requestLine: e.http_request.split('\n')[0],
      }));
      expect(stored).toEqual(expect.arrayContaining(expected));
      for (const f of v.findings) expect(f.url.startsWith(`${origin}/`)).toBe(true);
    }

    const xss = exported.vulnerabilities.find((v) => v.name === 'Cross Site Scripting')!;
    expect(xss.findings.some((f) => new URL(f.url).pathname === '/search' && f.parameter === 'q')).toBe(true);
    const sql = exported.vulnerabilities.find((v) => v.name === 'SQL Injection')!;
    expect(sql.findings.some((f) => new URL(f.url).pathname === '/item' && f.parameter === 'id')).toBe(true);
    expect(sql.severity).toBe('critical');
  });
});

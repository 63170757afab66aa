// Import progress: what importReport reports while it reads and stores (in the import thread and on
// the parser thread), and the bar `vulnbridge import` draws from it on stderr.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganizationWithOwner } from '../src/services/index.ts';
import { type ImportProgress, importReport } from '../src/imports/index.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { zapReport } from './support/reports.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vb-progress-'));
const SITE = 'https://progress.example';
// 6 alerts of 500 instances: 3,000 findings, stored in batches, the alerts handed out one by one.
const zapFile = join(dir, 'zap.json');
writeFileSync(
  zapFile,
  zapReport(
    SITE,
    [1, 2, 3, 1, 2, 3].map((risk, i) => ({ name: `Alert ${i}`, risk: risk as 1 | 2 | 3, instances: 500 })),
  ),
);
const burpFile = join(dir, 'burp.xml');
writeFileSync(burpFile, readFileSync(new URL('./fixtures/reports/burp-defectdojo-1.xml', import.meta.url)));

function nonDecreasing(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v >= (values[i - 1] ?? 0));
}

describe('import progress', () => {
  let t: TestDatabase;
  let organizationId = '';
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    organizationId = (
      await createOrganizationWithOwner(t.db.kysely, {
        organizationName: 'Acme',
        name: 'A',
        email: 'a@example.com',
        password: 'a long password!',
      })
    ).organization.id;
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([false, true])(
    'reports reading, then storing, up to the whole file (parser thread: %s)',
    async (parseInWorker) => {
      const events: ImportProgress[] = [];
      const size = statSync(zapFile).size;
      const [summary] = await importReport(t.db, {
        organizationId,
        actorUserId: null,
        target: { url: SITE },
        file: { path: zapFile },
        parseInWorker,
        onProgress: (p) => events.push({ ...p }),
      });
      expect(summary?.findings).toBe(3000);
      const reading = events.filter((e) => e.phase === 'reading');
      const storing = events.filter((e) => e.phase === 'storing');
      // Every reading event comes before the first storing one.
      expect(events.findIndex((e) => e.phase === 'storing')).toBe(reading.length);
      expect(reading.at(-1)).toMatchObject({ bytes: size, totalBytes: size, findings: 0 });
      expect(nonDecreasing(reading.map((e) => e.bytes))).toBe(true);
      // 3,000 findings in batches of at most 256 per alert: at least one event per alert and batch.
      expect(storing.length).toBeGreaterThanOrEqual(12);
      expect(nonDecreasing(storing.map((e) => e.bytes))).toBe(true);
      expect(nonDecreasing(storing.map((e) => e.findings))).toBe(true);
      expect(storing.every((e) => e.totalBytes === size && e.bytes <= size)).toBe(true);
      expect(storing.at(-1)).toMatchObject({ bytes: size, findings: 3000 });
      // Half-way through the findings is somewhere in the middle of the file, not at its end.
      const half = storing.find((e) => e.findings >= 1500);
      expect(half!.bytes).toBeGreaterThan(size * 0.3);
      expect(half!.bytes).toBeLessThan(size * 0.8);
    },
  );

  it('reports a report parsed whole (Burp XML) as one piece stored batch by batch', async () => {
    const events: ImportProgress[] = [];
    const size = statSync(burpFile).size;
    const [summary] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: 'https://burp.example' },
      file: { path: burpFile },
      onProgress: (p) => events.push({ ...p }),
    });
    expect(events.at(-1)).toMatchObject({
      phase: 'storing',
      bytes: size,
      totalBytes: size,
      findings: summary!.findings,
    });
  });

  describe('vulnbridge import', () => {
    const env = () => ({
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`,
      VULNBRIDGE_DATA_DIR: dir,
      VULNBRIDGE_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    });
    const vb = (...args: string[]) =>
      run(process.execPath, [cli, ...args], { env: env(), maxBuffer: 16 * 1024 * 1024 });
    beforeAll(async () => {
      await run(process.execPath, [cli, 'user', 'create', '--email', 'cli@example.com', '--name', 'C'], {
        env: { ...env(), VULNBRIDGE_PASSWORD: 'a long password!' },
      });
    });

    it('draws the two steps of the bar on stderr with --progress, and prints the result on stdout', async () => {
      const { stdout, stderr } = await vb('import', zapFile, '--target', SITE, '--progress');
      expect(stdout).toMatch(
        /^scan \w+ of target \w+: ZAP \(zap-json\), 6 vulnerabilities, 3000 findings: 3000 new, 0 recurring, 0 missing\n$/,
      );
      expect(stderr).toMatch(/1\/2 checking \|[█░]+\| 100% /);
      expect(stderr).toMatch(/2\/2 storing +\|█+\| 100% \| [\d.]+\/[\d.]+ MiB \| 3000 findings/);
      expect(stderr.indexOf('1/2 checking')).toBeLessThan(stderr.indexOf('2/2 storing'));
    });

    it('prints exactly one JSON object and no bar with --json', async () => {
      const { stdout, stderr } = await vb('import', zapFile, '--target', SITE, '--json', '--progress');
      expect(JSON.parse(stdout)).toMatchObject({ findings: 3000, new: 0, recurring: 3000, missing: 0 });
      expect(stdout.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/storing|checking/);
    });
  });
});

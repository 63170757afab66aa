// A failed command leaves nothing behind (issue #15): `vulnbridge import` in an empty folder, with no
// organization yet or with a file that is not a report, writes no ./data/secret.key and no SQLite file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));
const REPORT = readFileSync(new URL('./fixtures/reports/zap-anubissbe-1.json', import.meta.url));

describe('a failed CLI command in an empty folder', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'vb-fresh-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  function vulnbridge(...args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
    for (const name of ['DATABASE_URL', 'VULNBRIDGE_SECRET_KEY', 'VULNBRIDGE_DATA_DIR', 'LOG_FILE']) delete env[name];
    return spawnSync(process.execPath, [CLI, ...args], { cwd: folder, env, encoding: 'utf8', timeout: 60_000 });
  }

  it('import of a valid report before any organization exists: refused, nothing written', () => {
    writeFileSync(join(folder, 'zap.json'), REPORT);
    const result = vulnbridge('import', 'zap.json', '--target', 'http://localhost:3000', '--json');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('no database at ./data/vulnbridge.sqlite yet');
    expect(readdirSync(folder)).toEqual(['zap.json']);
  });

  it('import of a file that is not a report: refused, nothing written', () => {
    writeFileSync(join(folder, 'notes.txt'), 'hello, not a report\n');
    const result = vulnbridge('import', 'notes.txt', '--target', 'http://localhost:3000');
    expect(result.status).not.toBe(0);
    expect(readdirSync(folder)).toEqual(['notes.txt']);
  });

  it('export and push before any organization exists: refused, nothing written', () => {
    expect(vulnbridge('export', 'some-scan').status).not.toBe(0);
    expect(vulnbridge('push', '--scan', 's', '--vulnerability', 'v').status).not.toBe(0);
    expect(readdirSync(folder)).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index.ts';
import { parseEnv } from './env.ts';
import { loadSecretKey } from './key-file.ts';
import { permissionWarnings } from './private-files.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const cli = fileURLToPath(new URL('../../bin/vulnbridge.js', import.meta.url));

describe.skipIf(process.platform === 'win32')('data at rest is private', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-modes-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a fresh SQLite database, its -wal and -shm files 0600 in a new 0700 directory', async () => {
    const dataDir = join(tempDir(), 'data', 'nested');
    const path = join(dataDir, 'vulnbridge.sqlite');
    const db = openDatabase(path);
    await db.kysely.schema.createTable('t').addColumn('x', 'text').execute();
    await db.kysely
      .insertInto('t' as never)
      .values({ x: 'row' } as never)
      .execute();
    expect(modeOf(path).toString(8)).toBe('600');
    expect(modeOf(`${path}-wal`).toString(8)).toBe('600');
    expect(modeOf(`${path}-shm`).toString(8)).toBe('600');
    expect(modeOf(dataDir).toString(8)).toBe('700');
    expect(modeOf(join(dataDir, '..')).toString(8)).toBe('700');
    await db.close();
  });

  it('generates the secret key 0600 in a new 0700 data directory', () => {
    const dataDir = join(tempDir(), 'data');
    const key = loadSecretKey(parseEnv({ VULNBRIDGE_DATA_DIR: dataDir }), { generate: true });
    expect(key.origin).toBe('generated');
    expect(modeOf(dataDir).toString(8)).toBe('700');
    expect(modeOf(join(dataDir, 'secret.key')).toString(8)).toBe('600');
  });

  it('names readable files and directories with the chmod that fixes them, and nothing private', () => {
    const dir = tempDir();
    const file = join(dir, 'vulnbridge.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    chmodSync(dir, 0o755);
    expect(permissionWarnings([dir, file, join(dir, 'missing')])).toEqual([
      `the directory ${dir} can be read by other users (mode 0755); make it private with: chmod 700 '${dir}'`,
      `the file ${file} can be read by other users (mode 0644); make it private with: chmod 600 '${file}'`,
    ]);
    chmodSync(file, 0o600);
    chmodSync(dir, 0o700);
    expect(permissionWarnings([dir, file])).toEqual([]);
  });

  it('warns at start about an existing world-readable database and data directory', () => {
    const dataDir = tempDir();
    const database = join(dataDir, 'vulnbridge.sqlite');
    writeFileSync(database, '');
    chmodSync(database, 0o644);
    chmodSync(dataDir, 0o755);
    const env = {
      ...process.env,
      DATABASE_URL: database,
      VULNBRIDGE_DATA_DIR: dataDir,
      VULNBRIDGE_SECRET_KEY: 'a'.repeat(64),
      LOG_LEVEL: 'info',
    };
    const result = spawnSync(process.execPath, [cli, 'migrate'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    const warnings = result.stderr
      .split('\n')
      .filter((line) => line.includes('can be read by other users'))
      .map((line) => JSON.parse(line));
    expect(warnings.map((w) => [w.level, w.msg])).toEqual([
      [
        40,
        `the directory ${dataDir} can be read by other users (mode 0755); make it private with: chmod 700 '${dataDir}'`,
      ],
      [
        40,
        `the file ${database} can be read by other users (mode 0644); make it private with: chmod 600 '${database}'`,
      ],
    ]);
  });
});

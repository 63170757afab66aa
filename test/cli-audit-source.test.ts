// Audit events recorded by a command say they came from the command line (src/audit context 'cli').
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/index.ts';

const cli = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vb-audit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit source of a command', () => {
  it('`vulnbridge user create` records organization.created with source cli, no address', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: join(dir, 'vb.sqlite'),
      VULNBRIDGE_DATA_DIR: dir,
      VULNBRIDGE_PASSWORD: 'granite harbor whispers slowly',
      LOG_LEVEL: 'warn',
    };
    const run = spawnSync(
      process.execPath,
      [
        cli,
        'user',
        'create',
        '--email',
        'cli@example.com',
        '--name',
        'Cli User',
        '--organization',
        'Cli Org',
        '--json',
      ],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const db = openDatabase(join(dir, 'vb.sqlite'));
    try {
      const events = await db.kysely
        .selectFrom('audit_events')
        .select(['action', 'source', 'ip', 'user_agent'])
        .execute();
      expect(events).toContainEqual({ action: 'organization.created', source: 'cli', ip: null, user_agent: null });
    } finally {
      await db.close();
    }
  });
});

// `vulnbridge user create --organization-id` never attaches an existing account (issue #14): the password
// given would be ignored and the account would join an organization its owner never chose.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vb-user-existing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function userCreate(args: string[], password: string) {
  const env = {
    ...process.env,
    DATABASE_URL: join(dir, 'vb.sqlite'),
    VULNBRIDGE_DATA_DIR: dir,
    VULNBRIDGE_PASSWORD: password,
    LOG_LEVEL: 'warn',
  };
  return spawnSync(process.execPath, [cli, 'user', 'create', ...args, '--json'], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('vulnbridge user create --organization-id', () => {
  it('refuses an e-mail that already has an account, saying its password would not be used, and adds a new one', () => {
    const b = userCreate(
      ['--email', 'x@example.com', '--name', 'X', '--organization', 'B'],
      'basalt lantern orchard tides',
    );
    expect(b.status, b.stderr).toBe(0);
    const a = userCreate(
      ['--email', 'owner-a@example.com', '--name', 'Owner A', '--organization', 'A'],
      'granite harbor whispers slowly',
    );
    const orgA = JSON.parse(a.stdout).organizationId as string;
    const attach = userCreate(
      ['--email', 'x@example.com', '--name', 'X', '--organization-id', orgA, '--role', 'administrator'],
      'quartz meadow ferry lullaby',
    );
    expect(attach.status).not.toBe(0);
    expect(attach.stderr).toContain('x@example.com already has an account, so the password given would not be used');
    expect(attach.stderr).toContain('invite it from Settings → Members');
    const fresh = userCreate(
      ['--email', 'new@example.com', '--name', 'New Person', '--organization-id', orgA, '--role', 'reader'],
      'copper kestrel above wheatfields',
    );
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(JSON.parse(fresh.stdout)).toMatchObject({ organizationId: orgA, role: 'reader' });
  });
});

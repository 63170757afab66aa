// `vulnbridge user create` applies the password rule (issue #14): it says why a password is refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vb-user-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function userCreate(password: string) {
  const env = {
    ...process.env,
    DATABASE_URL: join(dir, 'vb.sqlite'),
    VULNBRIDGE_DATA_DIR: dir,
    VULNBRIDGE_PASSWORD: password,
    LOG_LEVEL: 'warn',
  };
  return spawnSync(
    process.execPath,
    [cli, 'user', 'create', '--email', 'bob.stone@example.com', '--name', 'Bob Stone', '--json'],
    { env, encoding: 'utf8', timeout: 60_000 },
  );
}

describe('vulnbridge user create', () => {
  it('refuses a password that contains the e-mail address, a common one, and says why', () => {
    const mine = userCreate('bob.stone@example.com!');
    expect(mine.status).not.toBe(0);
    expect(mine.stderr).toContain('the password contains your e-mail address');
    const common = userCreate('123456789012');
    expect(common.status).not.toBe(0);
    expect(common.stderr).toContain('the password is one of the most common passwords');
  });

  it('accepts a strong passphrase', () => {
    const ok = userCreate('granite harbor whispers slowly');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ role: 'owner' });
  });
});

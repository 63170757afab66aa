// First-run set-up needs the one-time code the server printed in its log (issue #14).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { issueSetupCode } from '../../src/services/index.ts';
import { Client, createTestApp, PASSWORD, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

const account = { organizationName: 'Acme', name: 'Ann Admin', email: 'ann@example.com', password: PASSWORD };

describe.each(DIALECTS)('first-run set-up code on %s', (dialect) => {
  // A fresh hub each time: the route's per-process rate limit (10 a minute) must not carry over.
  let h: TestApp;
  beforeEach(async () => {
    h = await createTestApp(dialect);
  });
  afterEach(async () => h?.close());

  it('refuses the first visitor without a code or with a wrong one', async () => {
    const anonymous = new Client(h.app);
    const without = await anonymous.post('/api/setup', account);
    expect(without.statusCode).toBe(400);
    expect(without.json().error.message).toContain('setupCode');
    await issueSetupCode(h.t.db.kysely);
    const wrong = await anonymous.post('/api/setup', { ...account, setupCode: 'AAAA-BBBB-CCCC' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('invalid_setup_code');
    expect((await anonymous.get('/api/setup')).json()).toEqual({ needsSetup: true });
    expect(await h.t.db.kysely.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('throttles wrong codes per address in the database', async () => {
    const code = await issueSetupCode(h.t.db.kysely);
    const anonymous = new Client(h.app);
    // Five free failures, then a sixth that starts a block (as for sign-in).
    for (let i = 0; i < 6; i++) {
      expect((await anonymous.post('/api/setup', { ...account, setupCode: `WRNG-000${i}-0000` })).statusCode).toBe(403);
    }
    const blocked = await anonymous.post('/api/setup', { ...account, setupCode: 'WRNG-9999-0000' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toMatch(/too many failed set-up code attempts/);
    const evenRight = await anonymous.post('/api/setup', { ...account, setupCode: code });
    expect(evenRight.statusCode).toBe(429);
  });

  it('keeps only a hash; a code another process printed works, once, and takes the others with it', async () => {
    // Another process (a second web role on the same database) issues its own code.
    const other = openDatabase(h.t.url);
    const code = await issueSetupCode(other.kysely);
    await other.close();
    const mine = await issueSetupCode(h.t.db.kysely);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const stored = await h.t.db.kysely.selectFrom('setup_codes').select('code_hash').execute();
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const row of stored) {
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).not.toContain(String(code).replaceAll('-', ''));
    }
    const [first, second] = await Promise.all([
      new Client(h.app).post('/api/setup', { ...account, setupCode: ` ${String(code).toLowerCase()} ` }),
      new Client(h.app).post('/api/setup', { ...account, email: 'eve@example.com', setupCode: code }),
    ]);
    // The loser finds the organization there (409) or, racing inside its transaction, the code gone (403).
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    expect(await h.t.db.kysely.selectFrom('users').select('email').execute()).toHaveLength(1);
    expect(await h.t.db.kysely.selectFrom('setup_codes').select('id').execute()).toEqual([]);
    const again = await new Client(h.app).post('/api/setup', {
      ...account,
      email: 'mallory@example.com',
      setupCode: mine,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_set_up');
    expect(await issueSetupCode(h.t.db.kysely)).toBeNull();
  });
});

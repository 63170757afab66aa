import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, createSecretBox, hashPassword, verifyPassword } from './index.ts';

describe('secret box', () => {
  const key = randomBytes(32);
  it('round-trips, uses a fresh IV each time, and hides the plaintext', () => {
    const box = createSecretBox(key);
    const a = box.seal('glpat-secret-token', 'conn-1');
    const b = box.seal('glpat-secret-token', 'conn-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('glpat');
    expect(a.split('.')[1]).toBe(box.keyId);
    expect(box.open(a, 'conn-1')).toBe('glpat-secret-token');
  });
  it('refuses tampering, the wrong associated data and an unknown key', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('value', 'conn-1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), 'conn-1')).toThrow();
    expect(() => box.open(sealed, 'conn-2')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'conn-1')).toThrow(/not configured/);
  });
  it('opens what a previous key sealed after rotation', () => {
    const old = createSecretBox(key);
    const sealed = old.seal('v');
    const rotated = createSecretBox(randomBytes(32), [key]);
    expect(rotated.open(sealed)).toBe('v');
    expect(rotated.seal('v').split('.')[1]).not.toBe(old.keyId);
  });
});

describe('passwords', () => {
  it('hashes with a salt and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
  it('compares tokens in constant time and exactly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});

// The secret key for a fresh checkout: read from the environment, or generated once into the data
// directory (mode 0600) so `npm start` works with nothing set by hand.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKey, type Env } from './env.ts';

export interface SecretKeySource {
  key: Buffer;
  origin: 'environment' | 'file' | 'generated';
  path?: string;
}

export function loadSecretKey(env: Env, options: { generate: boolean }): SecretKeySource {
  if (env.VULNBRIDGE_SECRET_KEY) {
    const key = decodeKey(env.VULNBRIDGE_SECRET_KEY);
    if (key) return { key, origin: 'environment' };
  }
  const path = join(env.VULNBRIDGE_DATA_DIR, 'secret.key');
  if (existsSync(path)) {
    const key = decodeKey(readFileSync(path, 'utf8'));
    if (!key) throw new Error(`${path} does not hold a valid 32-byte key`);
    return { key, origin: 'file', path };
  }
  if (!options.generate) {
    throw new Error('VULNBRIDGE_SECRET_KEY is not set (generate one with `openssl rand -hex 32`)');
  }
  mkdirSync(env.VULNBRIDGE_DATA_DIR, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, origin: 'generated', path };
}

// The secret key for a fresh checkout: read from the environment, or generated once into the data
// directory (mode 0600, in a 0700 directory when it creates it) so `npm start` works with nothing set by hand.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKey, type Env } from './env.ts';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.ts';

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
  ensurePrivateDir(env.VULNBRIDGE_DATA_DIR);
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return { key, origin: 'generated', path };
}

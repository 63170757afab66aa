// Secrets at rest (OAuth tokens, webhook secrets): AES-256-GCM with a random 96-bit IV and the auth tag,
// prefixed by the id of the key that sealed them so keys can rotate: `v1.<keyId>.<iv>.<tag>.<ciphertext>`.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretBox {
  keyId: string;
  seal(plaintext: string, associatedData?: string): string;
  open(sealed: string, associatedData?: string): string;
}

export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** `key` seals; `previousKeys` can still open what older keys sealed. */
export function createSecretBox(key: Buffer, previousKeys: Buffer[] = []): SecretBox {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  const keys = new Map([key, ...previousKeys].map((k) => [keyIdOf(k), k]));
  const keyId = keyIdOf(key);
  return {
    keyId,
    seal(plaintext, associatedData = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associatedData));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        'v1',
        keyId,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    open(sealed, associatedData = '') {
      const [version, id, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !id || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
      const k = keys.get(id);
      if (!k) throw new Error(`the secret was sealed with key ${id}, which is not configured`);
      const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

// One info line per request ("GET /api/health 200 3 ms"), human on a terminal and JSON otherwise; a
// client that disconnects mid-upload is an info line without a stack, not an error (issue #14).
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { logDestination } from '../../src/cli/log-destination.ts';
import { parseEnv } from '../../src/config/index.ts';
import { createSecretBox } from '../../src/crypto/index.ts';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/context.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

class Lines extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  get lines(): string[] {
    return this.text.split('\n').filter(Boolean);
  }
}

let t: TestDatabase | null = null;
let app: App | null = null;
afterEach(async () => {
  await app?.close();
  await t?.drop();
  app = null;
  t = null;
});

async function start(human: boolean): Promise<{ app: App; out: Lines }> {
  t = await createTestDatabase('sqlite');
  const out = new Lines();
  const logger = createLogger({
    level: 'info',
    destination: logDestination({ destination: out, human, colorize: false }),
  });
  const env = parseEnv({ DATABASE_URL: t.url, VULNBRIDGE_SECRET_KEY: 'b'.repeat(64), LOG_LEVEL: 'info' });
  app = await buildApp({
    db: t.db,
    env,
    logger,
    secretBox: createSecretBox(Buffer.alloc(32, 1)),
    webDir: '/nonexistent',
  });
  return { app, out };
}

describe('request log', () => {
  it('writes one JSON line per request at info, with the URL redacted', async () => {
    const { app, out } = await start(false);
    await app.inject({ method: 'GET', url: '/api/health' });
    await app.inject({ method: 'GET', url: '/api/nothing-here?token=supersecret' });
    const lines = out.lines.map((line) => JSON.parse(line));
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringMatching(/^GET \/api\/health 200 \d+ ms$/),
      expect.stringMatching(/^GET \/api\/nothing-here\?token=\[redacted\] 404 \d+ ms$/),
    ]);
    expect(lines.every((l) => l.level === 30)).toBe(true);
    expect(lines[0]).toMatchObject({
      req: { method: 'GET', url: '/api/health' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(out.text).not.toContain('supersecret');
    expect(out.text).not.toContain('incoming request');
  });

  it('writes human lines when asked (a terminal)', async () => {
    const { app, out } = await start(true);
    await app.inject({ method: 'GET', url: '/api/health' });
    expect(out.lines).toEqual([expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: GET \/api\/health 200 \d+ ms$/)]);
  });

  it('logs an upload the client abandons at info, without a stack', async () => {
    const { app, out } = await start(false);
    let handlerFailed: unknown = null;
    app.post('/api/test-upload', { config: { access: 'public' } }, async (request) => {
      try {
        for await (const part of request.parts()) if (part.type === 'file') for await (const _ of part.file) void _;
      } catch (error) {
        handlerFailed = error;
        throw error;
      }
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => {
      const boundary = 'vbboundary';
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/test-upload',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': '10000000' },
      });
      req.on('error', () => resolve());
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.json"\r\nContent-Type: application/json\r\n\r\n${'x'.repeat(64 * 1024)}`,
      );
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !/aborted|ended by the client/.test(out.text))
      await new Promise((r) => setTimeout(r, 50));
    const lines = out.lines.map((line) => JSON.parse(line));
    const about = lines.filter((l) => /test-upload/.test(l.msg ?? ''));
    expect(about.length).toBeGreaterThan(0);
    expect(about.some((l) => l.level === 30 && /aborted by the client/.test(l.msg))).toBe(true);
    for (const line of lines) {
      expect(line.level).toBeLessThan(50);
      expect(JSON.stringify(line)).not.toContain('    at ');
    }
    expect(handlerFailed === null || handlerFailed instanceof Error).toBe(true);
  });

  it('a server error after the body was read whole stays a 500, even with a connection-reset code (a database lost mid-request)', async () => {
    const { app } = await start(false);
    app.post('/api/test-db-lost', { config: { access: 'public' } }, async () => {
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    });
    const response = await app.inject({ method: 'POST', url: '/api/test-db-lost', payload: { a: 1 } });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal');
  });
});

// Report uploads at and over MAX_REPORT_BYTES through the real multipart route over real HTTP, on both
// dialects: streamed over the limit (413 that names the limit), exactly at the limit (imported), cut
// off mid-stream by the client, not multipart, two files, no file. Whatever happens: no scan,
// vulnerability or finding rows from a refused upload, and no temporary file left in the upload folder.
// And the CLI, which has no limit by design (an operator reading a local file), imports a larger file.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../../src/db/index.ts';
import { createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import { zapReport } from '../support/reports.ts';

// The route writes uploads under os.tmpdir(): this file's own folder, so leftovers are ours to count.
const uploadRoot = mkdtempSync(join(tmpdir(), 'vb-upload-limits-'));
process.env.TMPDIR = uploadRoot;
afterAll(() => rmSync(uploadRoot, { recursive: true, force: true }));

const LIMIT = 64 * 1024;
const BOUNDARY = 'vbUploadLimitsBoundary';
const cli = fileURLToPath(new URL('../../bin/vulnbridge.js', import.meta.url));
const run = promisify(execFile);

/** A valid ZAP JSON report padded with trailing whitespace (still valid JSON) to exactly `size` bytes. */
function reportOfSize(site: string, size: number): Buffer {
  const report = zapReport(site, [{ name: 'SQL Injection', risk: 3, instances: 2 }]);
  if (report.length > size) throw new Error('the report is larger than asked');
  return Buffer.concat([report, Buffer.alloc(size - report.length, 0x20)]);
}

const filePart = (field: string, name: string, bytes: Buffer) =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${field}"; filename="${name}"\r\ncontent-type: application/json\r\n\r\n`,
    ),
    bytes,
    Buffer.from('\r\n'),
  ]);
const fieldPart = (field: string, value: string) =>
  Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`);
const multipart = (...parts: Buffer[]) => Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);

/** Upload folders the route has not removed yet. */
const leftovers = () => readdirSync(uploadRoot).filter((name) => name.startsWith('vb-upload-'));

async function waitFor<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(DIALECTS)('report upload limits on %s', (dialect: DialectName) => {
  let h: TestApp;
  let org: Org;
  let hubUrl = '';
  let targetId = '';
  let session: Record<string, string> = {};

  const rows = async () => {
    const n = async (table: 'scans' | 'vulnerabilities' | 'findings') =>
      Number(
        (
          await h.t.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { scans: await n('scans'), vulnerabilities: await n('vulnerabilities'), findings: await n('findings') };
  };

  /** POSTs `body` to the upload route in 16 kB chunks without a Content-Length (streamed, as a browser may). */
  const upload = (body: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
    new Promise<{ status: number; json: { error?: { code: string; message: string }; imports?: unknown[] } }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${hubUrl}/api/targets/${targetId}/scans`,
          { method: 'POST', headers: { ...session, 'content-type': contentType, 'transfer-encoding': 'chunked' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }),
            );
          },
        );
        req.on(
          'error',
          (error: NodeJS.ErrnoException) => error.code === 'EPIPE' || error.code === 'ECONNRESET' || reject(error),
        );
        for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
        req.end();
      },
    );

  /** A refused upload: the status and message, and nothing stored or left on disk. */
  const refused = async (status: number, message: RegExp, body: Buffer, contentType?: string) => {
    const before = await rows();
    const response = await upload(body, contentType);
    expect(response.status, JSON.stringify(response.json)).toBe(status);
    expect(response.json.error?.message).toMatch(message);
    expect(await rows()).toEqual(before);
    await waitFor(() => leftovers().length === 0, 5000, 'the upload folder to be removed').catch(() =>
      expect(leftovers()).toEqual([]),
    );
    expect((await fetch(`${hubUrl}/api/health`)).status).toBe(200);
  };

  beforeAll(async () => {
    h = await createTestApp(dialect, { env: { MAX_REPORT_BYTES: String(LIMIT) } });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address() as { port: number };
    hubUrl = `http://127.0.0.1:${address.port}`;
    org = await createOrg(h.app, h.t);
    targetId = (await org.owner.post('/api/targets', { name: 'Uploads', baseUrl: 'https://uploads.example' })).json()
      .target.id;
    session = { cookie: org.owner.cookie, 'x-csrf-token': org.owner.csrf };
  });
  afterAll(async () => h?.close());

  it('accepts a report of exactly MAX_REPORT_BYTES and refuses one byte more with a 413 naming the limit', async () => {
    const exact = await upload(
      multipart(filePart('file', 'exact.json', reportOfSize('https://uploads.example', LIMIT))),
    );
    expect(exact.status, JSON.stringify(exact.json)).toBe(201);
    expect(exact.json.imports).toEqual([expect.objectContaining({ findings: 2 })]);
    // The reply goes out before the route's clean-up has finished: wait for the folder to go.
    await waitFor(() => leftovers().length === 0, 5000, 'the upload folder to be removed').catch(() =>
      expect(leftovers()).toEqual([]),
    );
    await refused(
      413,
      new RegExp(`larger than the limit of ${LIMIT} bytes \\(MAX_REPORT_BYTES\\)`),
      multipart(filePart('file', 'over.json', reportOfSize('https://uploads.example', LIMIT + 1))),
    );
  });

  it('refuses a report many times the limit, streamed, without storing or keeping any of it', async () => {
    const big = reportOfSize('https://uploads.example', LIMIT * 16);
    await refused(
      413,
      /MAX_REPORT_BYTES/,
      multipart(fieldPart('format', 'zap-json'), filePart('file', 'big.json', big)),
    );
  });

  it('an upload the client cuts off mid-stream leaves no rows and no temporary file', async () => {
    const before = await rows();
    const body = multipart(filePart('file', 'cut.json', reportOfSize('https://uploads.example', LIMIT - 100)));
    const req = httpRequest(`${hubUrl}/api/targets/${targetId}/scans`, {
      method: 'POST',
      headers: {
        ...session,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(body.length),
      },
    });
    req.on('error', () => {});
    req.write(body.subarray(0, Math.floor(body.length / 2)));
    // Cut only once the server has started writing the report to its temporary file.
    await waitFor(
      () =>
        leftovers().some((dir) => {
          try {
            return statSync(join(uploadRoot, dir, 'report')).size > 0;
          } catch {
            return false;
          }
        }),
      10_000,
      'the upload to reach the disk',
    );
    req.destroy();
    await waitFor(() => leftovers().length === 0, 10_000, 'the temporary file to be removed after the cut').catch(() =>
      expect(leftovers()).toEqual([]),
    );
    expect(await rows()).toEqual(before);
    expect((await fetch(`${hubUrl}/api/health`)).status).toBe(200);
  });

  it('refuses a body that is not multipart', async () => {
    const report = reportOfSize('https://uploads.example', 4096);
    await refused(400, /multipart\/form-data/, report, 'application/json');
    await refused(415, /Unsupported Media Type|content type/i, report, 'application/octet-stream');
  });

  it('refuses two files in one request, too many fields, a file under another field name, and no file at all', async () => {
    const report = reportOfSize('https://uploads.example', 4096);
    const fields = Array.from({ length: 11 }, (_, i) => fieldPart(`f${i}`, 'x'));
    await refused(400, /too many form fields/, multipart(...fields, filePart('file', 'a.json', report)));
    await refused(400, /one file/, multipart(filePart('file', 'a.json', report), filePart('file', 'b.json', report)));
    await refused(400, /no "file" field/, multipart(filePart('report', 'a.json', report)));
    await refused(400, /no "file" field/, multipart(fieldPart('format', 'zap-json')));
    await refused(400, /no "file" field/, multipart());
  });

  // The CLI does not depend on the dialect here, and a child process costs seconds: once is enough.
  it.runIf(dialect === 'sqlite')(
    'the CLI has no size limit: `vulnbridge import` reads a local file larger than MAX_REPORT_BYTES',
    async () => {
      const dir = mkdtempSync(join(uploadRoot, 'cli-'));
      const file = join(dir, 'large.json');
      writeFileSync(file, reportOfSize('https://cli.example', LIMIT * 4));
      const before = await rows();
      const { stdout } = await run(
        process.execPath,
        [cli, 'import', file, '--target', 'https://cli.example', '--organization-id', org.id, '--json'],
        {
          env: {
            ...process.env,
            DATABASE_URL: h.t.url,
            VULNBRIDGE_SECRET_KEY: h.secretKey,
            MAX_REPORT_BYTES: String(LIMIT),
            LOG_LEVEL: 'silent',
          },
        },
      );
      expect(JSON.parse(stdout)).toMatchObject({ findings: 2, vulnerabilities: 1 });
      expect(await rows()).toEqual({
        scans: before.scans + 1,
        vulnerabilities: before.vulnerabilities + 1,
        findings: before.findings + 2,
      });
    },
    30_000,
  );
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countStream, openReportFile, parseReport, ReportError } from './index.ts';
import { scanJsonFile } from './json-scan-file.ts';
import { splitJson } from './json-split.ts';
import { reportFixture } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'vb-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PATH = ['site', '*', 'alerts'];

function write(name: string, text: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function scan(file: string, chunkSize: number) {
  const fd = await open(file, 'r');
  try {
    return await scanJsonFile(fd, PATH, chunkSize);
  } finally {
    await fd.close();
  }
}

// Keys with escapes and non-ASCII, strings full of brackets, quotes and backslashes, a BOM, scalar elements.
const tricky = `\uFEFF{ "@version" : "2.15.0", "we\\"ird\\\\" : [1, {"a": "]}"}], "site": [ {"@name": "http://é.example", "alerts": [ {"name": "x\\\\", "d": "\\"[{"}, 7, "s\\\\\\"]" , null ,[ [], {} ] ] },
 {"al\\u0065rts": [1], "alerts": []}, {"alerts": [{"k": "€𝄞"}]} ], "after": {"alerts": [1, 2]} }\n`;

describe('scanJsonFile: the structural pass of json-split over a file read in chunks', () => {
  it('finds the same elements and skeleton as json-split on the whole buffer, at every chunk size', async () => {
    const files = [
      write('tricky.json', tricky),
      reportFixture('zap-bcgov-1.json').path,
      reportFixture('zap-anubissbe-1.json').path,
    ];
    for (const file of files) {
      const buf = readFileSync(file);
      const start = buf[0] === 0xef ? 3 : 0;
      const expected = splitJson(buf, start, 'zap-json', PATH);
      const sizes = file.endsWith('tricky.json') ? [1, 2, 3, 5, 7, 64, 4096] : [997, 65536];
      for (const size of sizes) {
        const got = await scan(file, size);
        expect(got, `${file} in chunks of ${size}`).not.toBeNull();
        expect(got!.elements).toEqual(expected.elements);
        expect(JSON.parse(got!.skeleton.toString('utf8'))).toEqual(expected.skeleton);
        expect(got!.bytes).toBe(buf.length);
        expect(got!.start).toBe(start);
      }
    }
    // The tricky file really has what it claims: 5 elements under site[0], one under the escaped key
    // "al\u0065rts" (which is "alerts"), none under the decoys outside the path.
    expect((await scan(files[0]!, 3))!.elements.map((e) => e.place.path)).toEqual([
      '$.site[0].alerts[0]',
      '$.site[0].alerts[1]',
      '$.site[0].alerts[2]',
      '$.site[0].alerts[3]',
      '$.site[0].alerts[4]',
      '$.site[1].alerts[0]',
      '$.site[2].alerts[0]',
    ]);
  });

  it('gives up (null) on what it cannot vouch for, so the caller reads the file whole', async () => {
    const bad = [
      '{"site": [{"alerts": [{"a": 1}, ]}]}',
      '{"site": [{"alerts": [{"a": 1} {"b": 2}]}]}',
      '{"site": [{"alerts": [{"a": ]}]}]}',
      '{"site": [{"alerts": [{"a": 1}]}]} {}',
      '{"site": [{"alerts": [{"a": "unterminated}]}]}',
      '{"site": [{"alerts": [{"a": 1}]}]',
    ];
    for (const [n, text] of bad.entries()) expect(await scan(write(`bad-${n}.json`, text), 4), text).toBeNull();
    expect(await scan(write('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])), 2)).toBeNull();
  });
});

describe('openReportFile', () => {
  it('streams a ZAP JSON file to the same findings parseReport finds, with its sha256 and size', async () => {
    const { path } = reportFixture('zap-bcgov-1.json');
    const whole = await parseReport({ path });
    const stream = await openReportFile(path);
    try {
      expect(stream.bytes).toBe(readFileSync(path).length);
      expect(stream.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(stream.header.sites.map((s) => s.name)).toEqual(whole.sites.map((s) => s.name));
      expect(countStream(stream)).toEqual({ vulnerabilities: whole.vulnerabilities.length, findings: 809 });
    } finally {
      await stream.close();
    }
  });

  it('names the exact position of a broken alert even though the file was read in chunks', async () => {
    const text = readFileSync(reportFixture('zap-bcgov-1.json').path, 'utf8');
    const broken = text.replace('"riskcode": "2"', '"riskcode": "2",,');
    expect(broken).not.toBe(text);
    const file = write('broken.json', broken);
    const expected = await parseReport({ path: file }).catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(ReportError);
    const stream = await openReportFile(file).catch((e: unknown) => e);
    const error =
      stream instanceof ReportError
        ? stream
        : await Promise.resolve()
            .then(() => countStream(stream as never))
            .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).position.line).toBe((expected as ReportError).position.line);
    if (!(stream instanceof ReportError)) await (stream as { close(): Promise<void> }).close();
  });
});

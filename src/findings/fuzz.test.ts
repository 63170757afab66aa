import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportError } from './errors.ts';
import { fuzzCases, loadSeeds, mutate, mutation } from './fuzz.ts';
import { countStream, openReportFile, parseUnguarded } from './index.ts';
import { openReportFileInWorker } from './report-worker-stream.ts';

// Bounded so the whole file runs in a few seconds; `npx tsx src/findings/fuzz.ts 5000` runs longer.
describe('fuzz: nothing but ReportError escapes a parser', () => {
  const seeds = loadSeeds();
  for (const c of fuzzCases(seeds)) {
    it(c.name, () => {
      fc.assert(c.property, { numRuns: 60, seed: 20251125 });
    });
  }
});

// The path the CLI and the API take for a file: the chunked structural pass over a ZAP JSON file and
// the alerts read back from it (and, for large files, all of that on a parser thread). Mutated real
// reports must be refused with a ReportError or read whole, and agree with the in-memory parser.
describe('fuzz: a report file read as a stream', () => {
  const seeds = loadSeeds()['zap-json'];
  const dir = mkdtempSync(join(tmpdir(), 'vb-fuzz-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  /** The findings counted, or 'refused'; any other error fails the property. */
  const outcome = async (read: () => Promise<number>): Promise<number | 'refused'> => {
    try {
      return await read();
    } catch (e) {
      if (e instanceof ReportError && e.reason !== '') return 'refused';
      throw e;
    }
  };
  const inMemory = (buf: Buffer) =>
    outcome(async () =>
      parseUnguarded(buf, undefined, 1024 * 1024).vulnerabilities.reduce((k, v) => k + v.findings.length, 0),
    );
  const streamed = (path: string, inWorker: boolean) =>
    outcome(async () => {
      if (inWorker) {
        const stream = await openReportFileInWorker(path);
        try {
          let k = 0;
          for (let part = await stream.next(); part !== null; part = await stream.next())
            k += part.reduce((sum, p) => sum + p.packed.length, 0);
          return k;
        } finally {
          await stream.close();
        }
      }
      const stream = await openReportFile(path);
      try {
        return countStream(stream).findings;
      } finally {
        await stream.close();
      }
    });

  const property = (inWorker: boolean) =>
    fc.asyncProperty(
      fc.integer({ min: 0, max: seeds.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      async (i, muts) => {
        const buf = mutate(seeds[i] ?? Buffer.alloc(0), muts);
        const path = join(dir, `case-${n++}.json`);
        writeFileSync(path, buf);
        expect(await streamed(path, inWorker)).toEqual(await inMemory(buf));
      },
    );

  it('on the import thread', async () => {
    await fc.assert(property(false), { numRuns: 60, seed: 20261202 });
  });
  it('on a parser thread', async () => {
    await fc.assert(property(true), { numRuns: 8, seed: 20261202 });
  }, 60_000);
});

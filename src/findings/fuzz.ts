/**
 * Fuzz bodies for every parser: whatever the bytes, the parsers (without parseReportBytes' last-resort
 * guard) either return a report or throw ReportError, nothing else. The unit tests run them briefly; a longer run:
 *
 *   npx tsx src/findings/fuzz.ts [runsPerProperty=2000]
 *
 * (suggested package.json script: "fuzz": "tsx src/findings/fuzz.ts").
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ReportError } from './errors.ts';
import { parseUnguarded } from './index.ts';
import { REPORT_FORMATS, type ReportFormat } from './types.ts';

/** Real reports (and one hand-written one) used as seeds for mutation, by format. */
export const SEED_FILES: Record<ReportFormat, string[]> = {
  'zap-json': ['zap-anubissbe-1.json'],
  'zap-xml': ['zap-defectdojo-2.xml', 'zap-defectdojo-3.xml'],
  'nuclei-jsonl': ['nuclei-defectdojo-3.jsonl'],
  'nuclei-json': ['nuclei-defectdojo-2.json'],
  sarif: ['zap-smithy-1.sarif.json', 'sarif-defectdojo-3.sarif'],
  'gitlab-dast': ['gitlab-dast-defectdojo-1.json'],
  'burp-xml': ['burp-defectdojo-1.xml'],
  'wapiti-json': ['local:wapiti-handmade-3.1.json'],
};

export function loadSeeds(): Record<ReportFormat, Buffer[]> {
  const out = {} as Record<ReportFormat, Buffer[]>;
  for (const format of REPORT_FORMATS) {
    out[format] = SEED_FILES[format].map((name) =>
      readFileSync(
        name.startsWith('local:')
          ? new URL(`./parsers/__fixtures__/${name.slice(6)}`, import.meta.url)
          : new URL(`../../test/fixtures/reports/${name}`, import.meta.url),
      ),
    );
  }
  return out;
}

/** The property itself: a report or a ReportError; anything else fails (and is rethrown). */
export function parsesOrRefuses(buf: Buffer, format?: ReportFormat): void {
  try {
    const report = parseUnguarded(buf, format, 4096);
    if (!Array.isArray(report.vulnerabilities)) throw new Error('report without vulnerabilities');
  } catch (e) {
    if (e instanceof ReportError) {
      if (typeof e.reason !== 'string' || e.reason === '') throw new Error('ReportError without a reason');
      return;
    }
    throw e;
  }
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number };

const SPICE = [
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '<',
  '>',
  '</',
  '&',
  '&#0;',
  '&xxe;',
  '\\',
  '\\u0000',
  '\u0000',
  '\n',
  '<!DOCTYPE x [<!ENTITY e "x">]>',
  ']]>',
  'null',
  '1e999',
  '-',
  '\uFFFF',
  '\ud800',
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SPICE), fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

export function mutate(seed: Buffer, mutations: Mutation[]): Buffer {
  let buf = seed;
  for (const m of mutations) {
    const at = buf.length === 0 ? 0 : m.at % (buf.length + 1);
    if (m.kind === 'truncate') buf = buf.subarray(0, at);
    else if (m.kind === 'flip') {
      buf = Buffer.from(buf);
      if (at < buf.length) buf[at] = m.byte;
    } else if (m.kind === 'insert')
      buf = Buffer.concat([buf.subarray(0, at), Buffer.from(m.text, 'utf8'), buf.subarray(at)]);
    else buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + m.length)]);
  }
  return buf;
}

export interface FuzzCase {
  name: string;
  property: fc.IPropertyWithHooks<unknown[]> | fc.IProperty<unknown[]>;
}

/** Properties per format: random bytes, random JSON, and mutated real reports; plus detection. */
export function fuzzCases(seeds: Record<ReportFormat, Buffer[]>): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const format of REPORT_FORMATS) {
    const list = seeds[format];
    cases.push({
      name: `${format}: arbitrary bytes`,
      property: fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) =>
        parsesOrRefuses(Buffer.from(bytes), format),
      ) as FuzzCase['property'],
    });
    cases.push({
      name: `${format}: arbitrary JSON`,
      property: fc.property(fc.jsonValue({ maxDepth: 4 }), (value) =>
        parsesOrRefuses(Buffer.from(JSON.stringify(value) ?? 'null'), format),
      ) as FuzzCase['property'],
    });
    if (list.length > 0) {
      cases.push({
        name: `${format}: mutated real report`,
        property: fc.property(
          fc.integer({ min: 0, max: list.length - 1 }),
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          (i, muts) => {
            const seed = list[i] ?? Buffer.alloc(0);
            const buf = mutate(seed, muts);
            parsesOrRefuses(buf, format);
            parsesOrRefuses(buf);
          },
        ) as FuzzCase['property'],
      });
    }
  }
  return cases;
}

export function runFuzz(numRuns: number, seeds = loadSeeds()): void {
  for (const c of fuzzCases(seeds)) fc.assert(c.property, { numRuns });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runs = Number(process.argv[2] ?? 2000);
  const seeds = loadSeeds();
  for (const c of fuzzCases(seeds)) {
    const t0 = performance.now();
    fc.assert(c.property, { numRuns: runs });
    console.log(`ok ${c.name} (${runs} runs, ${(performance.now() - t0).toFixed(0)} ms)`);
  }
}

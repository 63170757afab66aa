/**
 * The door of src/findings: scan reports in, the normalised model out (no database here).
 *
 *   parseReport(input, { format?, maxFieldBytes? }) → Promise<ParsedReport>
 *
 * `input` is the report as bytes (Buffer/Uint8Array), as its text (a string IS the report content,
 * never a path), or `{ path }` to read a file. The format is detected from the content unless given.
 * Every failure is a ReportError naming the format, the position (line/column and/or JSON path) and
 * the reason; nothing else is thrown.
 */
import { ReportError } from './errors.ts';
import { checkEncoding, loadInput } from './input.ts';
import { detectFormat } from './detect-format.ts';
import { DEFAULT_MAX_FIELD_BYTES } from './normalize.ts';
import { PARSERS } from './parsers/registry.ts';
import { type ParseOptions, type ParsedReport, REPORT_FORMATS, type ReportFormat, type ReportInput } from './types.ts';

export { detectFormat } from './detect-format.ts';
export { type ReportPosition, ReportError } from './errors.ts';
export {
  type FingerprintParts,
  fingerprint,
  isPublicId,
  normalizeUrl,
  PUBLIC_ID_PATTERN,
  publicId,
} from './fingerprint.ts';
export { DEFAULT_MAX_FIELD_BYTES } from './normalize.ts';
export * from './types.ts';

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

export async function parseReport(input: ReportInput, options: ParseOptions = {}): Promise<ParsedReport> {
  const buf = await loadInput(input);
  return parseReportBytes(buf, options);
}

/** The synchronous core of parseReport, for callers (and fuzzers) that already hold the bytes. */
export function parseReportBytes(buf: Buffer, options: ParseOptions = {}): ParsedReport {
  const { format: forced, maxFieldBytes = DEFAULT_MAX_FIELD_BYTES } = options;
  if (forced !== undefined && !isReportFormat(forced)) {
    throw new ReportError('unknown', `unknown format ${JSON.stringify(String(forced)).slice(0, 60)}; expected one of ${REPORT_FORMATS.join(', ')}`);
  }
  if (!Number.isInteger(maxFieldBytes) || maxFieldBytes < 1024) {
    throw new ReportError(forced ?? 'unknown', 'maxFieldBytes must be an integer of at least 1024');
  }
  try {
    return parseUnguarded(buf, forced, maxFieldBytes);
  } catch (e) {
    if (e instanceof ReportError) throw e;
    // A parser bug or an input we did not foresee: still one typed error, never a crash.
    const detail = e instanceof RangeError ? 'the report is too large or too deeply nested' : 'the report could not be read';
    throw new ReportError(forced ?? 'unknown', detail);
  }
}

/** parseReportBytes without its last-resort guard, so the fuzzer sees any error that is not a ReportError. */
export function parseUnguarded(buf: Buffer, forced: ReportFormat | undefined, maxFieldBytes: number): ParsedReport {
  const { start } = checkEncoding(buf, forced ?? 'unknown');
  const format = forced ?? detectFormat(buf, start);
  return PARSERS[format]({ buf, start, maxFieldBytes });
}

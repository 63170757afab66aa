/**
 * The door of src/findings: scan reports in, the normalised model out (no database here).
 *
 *   parseReport(input, { format?, maxFieldBytes? }) → Promise<ParsedReport>
 *
 * `input` is the report as bytes (Buffer/Uint8Array), as its text (a string IS the report content,
 * never a path), or `{ path }` to read a file. The format is detected from the content unless given.
 * Every failure is a ReportError naming the format, the position (line/column and/or JSON path) and
 * the reason; nothing else is thrown.
 *
 *   openReportStream(bytes, options) → ReportStream: the same parse piece by piece (header first, then
 *   next() until null), for an import that stores each piece before reading the next; a ZAP JSON
 *   report streams one alert per piece, other formats come whole as one piece (report-stream.ts).
 *   openReportFile(path, options) → FileReportStream: the same for a file, with its sha256 and size;
 *   a ZAP JSON file's buffer is let go after the structural pass and alerts are read back one by one.
 *   streamOfReport(parsed) turns a ParsedReport into such a stream; countStream reads one to the end.
 *   openReportFileInWorker(path, options) → the same stream parsed on a worker thread (next() is async),
 *   so a large import parses the next alerts while it stores the last ones.
 */
import { checkEncoding, loadInput } from './input.ts';
import { detectFormat } from './detect-format.ts';
import { guardParse, prepareParse } from './parse-guard.ts';
import { PARSERS } from './parsers/registry.ts';
import type { ParseOptions, ParsedReport, ReportFormat, ReportInput } from './types.ts';

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
export { type DrainedPart, type PackedFinding, type PackedPart, packFinding } from './builder.ts';
export { DEFAULT_MAX_FIELD_BYTES } from './normalize.ts';
export {
  DEFAULT_SECRET_HEADERS,
  DEFAULT_SECRET_NAME_PATTERN,
  DEFAULT_SECRET_PARAMS,
  REDACTED,
  type RedactOptions,
  redactHeaders,
  redactText,
  redactUrl,
} from './redact.ts';
export * from './types.ts';

export { isReportFormat } from './parse-guard.ts';
export {
  countStream,
  type FileReportStream,
  openReportFile,
  openReportStream,
  type ReportPart,
  type ReportStream,
  streamOfReport,
} from './report-stream.ts';
export { type AsyncFileReportStream, openReportFileInWorker } from './report-worker-stream.ts';
export { groupSites, preferredSiteName, siteKey } from './sites.ts';

export async function parseReport(input: ReportInput, options: ParseOptions = {}): Promise<ParsedReport> {
  const buf = await loadInput(input);
  return parseReportBytes(buf, options);
}

/** The synchronous core of parseReport, for callers (and fuzzers) that already hold the bytes. */
export function parseReportBytes(buf: Buffer, options: ParseOptions = {}): ParsedReport {
  return guardParse(options.format, () => {
    const { format, start, maxFieldBytes } = prepareParse(buf, options);
    return PARSERS[format]({ buf, start, maxFieldBytes });
  });
}

/** parseReportBytes without its last-resort guard, so the fuzzer sees any error that is not a ReportError. */
export function parseUnguarded(buf: Buffer, forced: ReportFormat | undefined, maxFieldBytes: number): ParsedReport {
  const { start } = checkEncoding(buf, forced ?? 'unknown');
  const format = forced ?? detectFormat(buf, start);
  return PARSERS[format]({ buf, start, maxFieldBytes });
}

import { detectFormat } from './detect-format.ts';
import { ReportError } from './errors.ts';
import { checkEncoding } from './input.ts';
import { DEFAULT_MAX_FIELD_BYTES } from './normalize.ts';
import { type ParseOptions, REPORT_FORMATS, type ReportFormat } from './types.ts';

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

/** Checks the options and the encoding, and settles the format (given, or detected from the content). */
export function prepareParse(
  buf: Buffer,
  options: ParseOptions,
): { format: ReportFormat; start: number; maxFieldBytes: number } {
  const { forced, maxFieldBytes } = checkOptions(options);
  const { start } = checkEncoding(buf, forced ?? 'unknown');
  return { format: forced ?? detectFormat(buf, start), start, maxFieldBytes };
}

export function checkOptions(options: ParseOptions): { forced: ReportFormat | undefined; maxFieldBytes: number } {
  const { format: forced, maxFieldBytes = DEFAULT_MAX_FIELD_BYTES } = options;
  if (forced !== undefined && !isReportFormat(forced)) {
    throw new ReportError(
      'unknown',
      `unknown format ${JSON.stringify(String(forced)).slice(0, 60)}; expected one of ${REPORT_FORMATS.join(', ')}`,
    );
  }
  if (!Number.isInteger(maxFieldBytes) || maxFieldBytes < 1024) {
    throw new ReportError(forced ?? 'unknown', 'maxFieldBytes must be an integer of at least 1024');
  }
  return { forced, maxFieldBytes };
}

/** Runs a parse so that nothing but a ReportError escapes it. */
export function guardParse<T>(format: ReportFormat | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw toReportError(e, format);
  }
}

export function toReportError(e: unknown, format: ReportFormat | undefined): ReportError {
  if (e instanceof ReportError) return e;
  // A parser bug or an input we did not foresee: still one typed error, never a crash.
  const detail =
    e instanceof RangeError ? 'the report is too large or too deeply nested' : 'the report could not be read';
  return new ReportError(format ?? 'unknown', detail);
}

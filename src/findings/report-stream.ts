/**
 * Reading a report piece by piece, for an import that stores each piece before parsing the next, so
 * the whole normalised model never exists at once. ZAP traditional JSON (the format of the large
 * reports) really streams, one alert per piece; every other format is parsed whole and handed out as
 * one piece. Errors are ReportErrors, as from parseReport, whether thrown by openReportStream (the
 * file's structure, encoding, format, header) or by a later next() (one alert's content).
 */
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type DrainedPart, ReportBuilder } from './builder.ts';
import { ReportError } from './errors.ts';
import { detectFormat } from './detect-format.ts';
import { scanJsonFile } from './json-scan-file.ts';
import { checkOptions, guardParse, prepareParse, toReportError } from './parse-guard.ts';
import type { ByteSource, SteppedParse } from './parsers/context.ts';
import { PARSERS } from './parsers/registry.ts';
import { ZAP_SPLIT_PATH, zapJsonSteps, zapJsonStepsOf } from './parsers/zap-json.ts';
import type { ParseOptions, ParsedReport, ParseWarning, ReportHeader } from './types.ts';

export type { DrainedPart as ReportPart } from './builder.ts';

export interface ReportStream {
  readonly header: ReportHeader;
  /**
   * The next piece: vulnerabilities created since the last piece (with their index in report order)
   * and findings added to any vulnerability since then. null once the report is read whole.
   */
  next(): DrainedPart[] | null;
  /** Bytes of the report that the pieces handed out so far cover; absent when the report came whole. */
  position?(): number;
  /** The report's warnings (optional fields it left out): complete once next() has returned null. */
  warnings(): ParseWarning[];
}

/** A report file being streamed: its digest and size come from the one read of the file. */
export interface FileReportStream extends ReportStream {
  readonly sha256: string;
  readonly bytes: number;
  /** Closes the file (idempotent); call it whether or not the stream was read to its end. */
  close(): Promise<void>;
}

/**
 * Opens a report file for a streaming import. A ZAP JSON file is read once whole to check its
 * encoding and structure and read its skeleton; then the buffer is let go and each alert is read back
 * from the file when its turn comes, so the peak holds either the file or one alert's model, never both.
 */
export async function openReportFile(
  path: string,
  options: ParseOptions = {},
  onRead?: (bytes: number) => void,
): Promise<FileReportStream> {
  const fd = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new ReportError('unknown', `cannot read the report file (${e.code ?? 'read error'})`);
  });
  try {
    const { stream, sha256, bytes } =
      (await scannedStream(fd, options, onRead)) ?? firstPass(await fd.readFile(), fd.fd, options);
    let closed: Promise<void> | null = null;
    const close = () => {
      closed ??= fd.close();
      return closed;
    };
    const { position } = stream;
    return {
      header: stream.header,
      next: () => stream.next(),
      warnings: () => stream.warnings(),
      ...(position ? { position } : {}),
      sha256,
      bytes,
      close,
    };
  } catch (error) {
    await fd.close();
    throw error;
  }
}

/**
 * A ZAP JSON file read in chunks (json-scan-file), never whole; null when the file is not plainly a
 * valid ZAP JSON report, and the caller reads it whole (and so names any problem exactly).
 */
async function scannedStream(
  fd: FileHandle,
  options: ParseOptions,
  onRead?: (bytes: number) => void,
): Promise<{ stream: ReportStream; sha256: string; bytes: number } | null> {
  const { forced, maxFieldBytes } = checkOptions(options);
  if (forced !== undefined && forced !== 'zap-json') return null;
  const scan = await scanJsonFile(fd, ZAP_SPLIT_PATH, undefined, onRead);
  if (!scan) return null;
  let skeleton: unknown;
  try {
    if (forced === undefined && detectFormat(scan.skeleton, 0) !== 'zap-json') return null;
    skeleton = JSON.parse(scan.skeleton.toString('utf8'));
  } catch {
    return null;
  }
  const builder = new ReportBuilder('zap-json', maxFieldBytes);
  const reread = fileSource(fd.fd, scan.bytes);
  try {
    const parse = zapJsonStepsOf({ skeleton, elements: scan.elements }, maxFieldBytes, builder, null, reread);
    return { stream: steppedStream(parse, builder), sha256: scan.sha256, bytes: scan.bytes };
  } catch (error) {
    throw toReportError(error, 'zap-json');
  }
}

/** Everything that needs the whole buffer, in a frame of its own so nothing keeps the buffer afterwards. */
function firstPass(
  buf: Buffer,
  fd: number,
  options: ParseOptions,
): { stream: ReportStream; sha256: string; bytes: number } {
  const sha256 = createHash('sha256').update(buf).digest('hex');
  return { stream: openReportStream(buf, options, fileSource(fd, buf.length)), sha256, bytes: buf.length };
}

/** Reads parts of the report back from the open file. */
function fileSource(fd: number, size: number): ByteSource {
  return {
    slice: (from, to) => {
      const part = Buffer.allocUnsafe(to - from);
      let done = 0;
      while (done < part.length) {
        const n = readSync(fd, part, done, part.length - done, from + done);
        if (n === 0) throw new ReportError('zap-json', 'the report file changed while it was being imported');
        done += n;
      }
      return part;
    },
    whole: () => {
      const all = Buffer.allocUnsafe(size);
      readSync(fd, all, 0, size, 0);
      return all;
    },
  };
}

/**
 * A stream over bytes in memory; `reread` lets a ZAP JSON stream read alerts back from elsewhere.
 * (No closure made here may see `buf`: the stream must not keep it alive when `reread` is given.)
 */
export function openReportStream(buf: Buffer, options: ParseOptions = {}, reread?: ByteSource): ReportStream {
  try {
    const { format, start, maxFieldBytes } = prepareParse(buf, options);
    if (format !== 'zap-json') return streamOfReport(PARSERS[format]({ buf, start, maxFieldBytes }));
    const builder = new ReportBuilder(format, maxFieldBytes);
    return steppedStream(zapJsonSteps({ buf, start, maxFieldBytes }, builder, reread), builder);
  } catch (error) {
    throw toReportError(error, options.format);
  }
}

function steppedStream(parse: SteppedParse, builder: ReportBuilder): ReportStream {
  return {
    header: parse.header,
    next: () => guardParse(builder.format, () => (parse.step() ? builder.drain() : null)),
    position: () => parse.position(),
    warnings: () => builder.warnings(),
  };
}

/** A parsed report as a stream of one piece (so one import path serves both). */
export function streamOfReport(report: ParsedReport): ReportStream {
  const { vulnerabilities, warnings, ...header } = report;
  let done = false;
  return {
    header,
    warnings: () => warnings,
    next: () => {
      if (done) return null;
      done = true;
      return vulnerabilities.map((vulnerability, index) => ({
        vulnerability,
        index,
        findings: vulnerability.findings,
      }));
    },
  };
}

/** Reads a stream to its end and counts what it holds (the floor of an import: parsing without storing). */
export function countStream(stream: ReportStream): { vulnerabilities: number; findings: number } {
  let vulnerabilities = 0;
  let findings = 0;
  for (let part = stream.next(); part !== null; part = stream.next()) {
    for (const p of part) {
      vulnerabilities = Math.max(vulnerabilities, p.index + 1);
      findings += p.findings.length;
    }
  }
  return { vulnerabilities, findings };
}

/**
 * A report file parsed on a worker thread while the import thread stores what is already parsed: on a
 * two-core machine reading and parsing (about a third of a large import) overlaps the database work
 * instead of adding to it. The worker runs openReportFile (report-stream.ts), so pieces (packed, as
 * builder.ts PackedPart), header, digest and every ReportError are those of the in-thread stream; it
 * stays at most AHEAD pieces ahead, so memory holds a few alerts, never the report. Used by the import
 * for large files.
 */
import { Worker } from 'node:worker_threads';
import type { PackedPart } from './builder.ts';
import { type ReportPosition, ReportError } from './errors.ts';
import type { ParseOptions, ParseWarning, ReportFormat, ReportHeader } from './types.ts';

export type WorkerRequest = { type: 'open'; path: string; options: ParseOptions } | { type: 'more'; parts: number };

export type WorkerReply =
  | { type: 'header'; header: ReportHeader; sha256: string; bytes: number }
  | { type: 'read'; bytes: number }
  | { type: 'part'; part: PackedPart[]; position: number }
  | { type: 'end'; warnings: ParseWarning[] }
  | { type: 'error'; report: { format: ReportFormat | 'unknown'; reason: string; position: ReportPosition } }
  | { type: 'error'; message: string };

/** Like FileReportStream, but next() resolves when the worker has parsed the piece. */
export interface AsyncFileReportStream {
  readonly header: ReportHeader;
  readonly sha256: string;
  readonly bytes: number;
  next(): Promise<PackedPart[] | null>;
  /** Bytes of the report that the pieces handed out so far cover. */
  position(): number;
  /** The report's warnings: complete once next() has returned null. */
  warnings(): ParseWarning[];
  /** Stops the worker (idempotent); call it whether or not the stream was read to its end. */
  close(): Promise<void>;
}

/** Pieces (ZAP alerts) parsed ahead of the import. */
const AHEAD = 4;
const ENTRY = new URL('./parse-worker-entry.mjs', import.meta.url);

function errorOf(reply: Extract<WorkerReply, { type: 'error' }>): Error {
  if ('report' in reply) return new ReportError(reply.report.format, reply.report.reason, reply.report.position);
  return new Error(`the report parser thread failed: ${reply.message}`);
}

/** `onRead` follows the structural pass through the file, before the header is known. */
export async function openReportFileInWorker(
  path: string,
  options: ParseOptions = {},
  onRead?: (bytes: number) => void,
): Promise<AsyncFileReportStream> {
  const worker = new Worker(ENTRY);
  const replies: WorkerReply[] = [];
  let waiting: { resolve: (reply: WorkerReply) => void } | null = null;
  let failure: Error | null = null;
  let closed = false;
  const deliver = (reply: WorkerReply) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w.resolve(reply);
    } else replies.push(reply);
  };
  worker.on('message', deliver);
  worker.on('error', (error) => {
    failure = new Error(`the report parser thread failed: ${error.message}`);
    deliver({ type: 'error', message: error.message });
  });
  worker.on('exit', (code) => {
    if (!closed) deliver({ type: 'error', message: `it exited with code ${code}` });
  });
  const receive = (): Promise<WorkerReply> => {
    const queued = replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (waiting = { resolve }));
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    await worker.terminate();
  };

  worker.postMessage({ type: 'open', path, options } satisfies WorkerRequest);
  let first = await receive();
  for (; first.type === 'read'; first = await receive()) onRead?.(first.bytes);
  if (first.type !== 'header') {
    await close();
    throw first.type === 'error'
      ? errorOf(first)
      : new Error(`the report parser thread answered ${first.type} before the header`);
  }
  worker.postMessage({ type: 'more', parts: AHEAD } satisfies WorkerRequest);
  let done = false;
  let position = 0;
  let warnings: ParseWarning[] = [];
  return {
    header: first.header,
    sha256: first.sha256,
    bytes: first.bytes,
    close,
    position: () => position,
    warnings: () => warnings,
    next: async () => {
      if (done) return null;
      if (failure) throw failure;
      const reply = await receive();
      if (reply.type === 'part') {
        position = reply.position;
        worker.postMessage({ type: 'more', parts: 1 } satisfies WorkerRequest);
        return reply.part;
      }
      done = true;
      if (reply.type === 'end') {
        warnings = reply.warnings;
        return null;
      }
      throw reply.type === 'error'
        ? errorOf(reply)
        : new Error(`the report parser thread answered ${reply.type} unexpectedly`);
    },
  };
}

// The worker side of a report file parsed on a worker thread (report-worker-stream.ts): opens the file
// as a FileReportStream and posts its header, then its pieces, at most a few ahead of what the import
// thread has asked for, then 'end'; a ReportError (or any other error) is posted as 'error'.
import { parentPort } from 'node:worker_threads';
import { packPart } from './builder.ts';
import { ReportError } from './errors.ts';
import { openReportFile } from './report-stream.ts';
import type { WorkerReply, WorkerRequest } from './report-worker-stream.ts';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');

const post = (reply: WorkerReply) => port.postMessage(reply);

function toReply(error: unknown): WorkerReply {
  if (error instanceof ReportError)
    return { type: 'error', report: { format: error.format, reason: error.reason, position: error.position } };
  return { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

let credits = 0;
let wake: (() => void) | null = null;

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'more') {
    credits += message.parts;
    wake?.();
    return;
  }
  void run(message.path, message.options);
});

async function run(path: string, options: Extract<WorkerRequest, { type: 'open' }>['options']): Promise<void> {
  try {
    const stream = await openReportFile(path, options, (bytes) => post({ type: 'read', bytes }));
    try {
      post({ type: 'header', header: stream.header, sha256: stream.sha256, bytes: stream.bytes });
      for (;;) {
        while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const part = stream.next();
        credits--;
        if (part === null) break;
        post({ type: 'part', part: part.map(packPart), position: stream.position?.() ?? stream.bytes });
      }
      post({ type: 'end', warnings: stream.warnings() });
    } finally {
      await stream.close();
    }
  } catch (error) {
    post(toReply(error));
  }
}

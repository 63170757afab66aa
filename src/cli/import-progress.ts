// The progress bar of `vulnbridge import` on large files (cli-progress, on stderr so stdout keeps only
// the result): step 1 of 2 follows the read through the file (its structure and encoding checked),
// step 2 of 2 the storing, by the bytes of the report whose findings are stored, with their count.
import cliProgress from 'cli-progress';
import type { ImportProgress } from '../imports/index.ts';

/** Files from this size on get a bar; smaller ones import in well under a second. */
export const PROGRESS_MIN_BYTES = 1024 * 1024;

export interface ProgressBar {
  update(progress: ImportProgress): void;
  stop(): void;
}

const MIB = 1024 * 1024;
const STEPS = { reading: '1/2 checking', storing: '2/2 storing ' } as const;

/**
 * A bar on `stream`. On a terminal it redraws in place; elsewhere (`force`, for logs and tests) it
 * prints a line now and then and one at the end of each step.
 */
export function progressBar(stream: NodeJS.WriteStream, force = false): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{step} |{bar}| {percentage}% | {done}/{size} MiB | {findings} findings | {duration_formatted}',
      barsize: 30,
      hideCursor: true,
      noTTYOutput: force,
      notTTYSchedule: 1000,
      fps: 10,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: ImportProgress['phase'] | null = null;
  const payload = (p: ImportProgress) => ({
    step: STEPS[p.phase],
    done: (p.bytes / MIB).toFixed(1),
    size: (p.totalBytes / MIB).toFixed(1),
    findings: p.findings,
  });
  return {
    update: (p) => {
      const total = Math.max(1, p.totalBytes);
      if (phase !== p.phase) {
        if (phase !== null) bar.stop();
        phase = p.phase;
        bar.start(total, Math.min(p.bytes, total), payload(p));
        return;
      }
      bar.update(Math.min(p.bytes, total), payload(p));
    },
    stop: () => {
      if (phase !== null) bar.stop();
      phase = null;
    },
  };
}

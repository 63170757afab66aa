import type { ReportHeader } from '../types.ts';

/** What every parser receives: the checked bytes of the report and the field size cap. */
export interface ParserContext {
  buf: Buffer;
  /** First byte after a byte order mark. */
  start: number;
  maxFieldBytes: number;
}

/**
 * A parse that goes one piece at a time (one ZAP alert per step), adding to a ReportBuilder; the
 * header (tool, version, dates, sites) is known before the first step.
 */
export interface SteppedParse {
  header: ReportHeader;
  /** Parses the next piece; false when there is none left. */
  step(): boolean;
  /** Bytes of the report that the pieces parsed so far cover (for progress). */
  position(): number;
}

/** Reads back part of the report once its buffer has been let go (a streaming import of a file). */
export interface ByteSource {
  slice(from: number, to: number): Buffer;
  /** The whole file again: only to place an error exactly (line and column). */
  whole(): Buffer;
}

import type { ReportFormat } from './types.ts';

/** Where in the file the problem is: line and column (1-based) and/or a JSON path such as `$.site[0]`. */
export interface ReportPosition {
  line?: number;
  column?: number;
  path?: string;
}

/**
 * The one error a parser throws. Anything else escaping parseReport is a bug (the fuzz tests check).
 * `format` is the format being parsed, or 'unknown' when detection failed.
 */
export class ReportError extends Error {
  readonly code = 'REPORT_INVALID' as const;
  readonly format: ReportFormat | 'unknown';
  readonly position: ReportPosition;
  readonly reason: string;

  constructor(format: ReportFormat | 'unknown', reason: string, position: ReportPosition = {}) {
    super(`${format} report rejected${describePosition(position)}: ${reason}`);
    this.name = 'ReportError';
    this.format = format;
    this.position = position;
    this.reason = reason;
  }
}

function describePosition(p: ReportPosition): string {
  const parts: string[] = [];
  if (p.line !== undefined) parts.push(`line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}`);
  if (p.path !== undefined) parts.push(`at ${p.path}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Line and column (1-based, column in characters) of a byte offset in a UTF-8 buffer. */
export function lineColumnAt(buf: Uint8Array, byteOffset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(byteOffset, buf.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    if (buf[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  // Count characters, not bytes: skip UTF-8 continuation bytes.
  let column = 1;
  for (let i = lineStart; i < end; i++) if (((buf[i] ?? 0) & 0xc0) !== 0x80) column++;
  return { line, column };
}

/** Appends a JSON path segment: `$.a`, `$["odd key"]`, `$[3]`. */
export function jsonPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  return /^[A-Za-z_@$][\w@$-]*$/.test(segment) ? `${base}.${segment}` : `${base}[${JSON.stringify(segment)}]`;
}

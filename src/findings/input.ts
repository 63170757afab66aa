import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { detectFormat } from './detect-format.ts';
import { lineColumnAt, ReportError } from './errors.ts';
import type { ReportFormat, ReportInput } from './types.ts';

export interface LoadedInput {
  buf: Buffer;
  /** Offset of the first byte after a UTF-8 byte order mark. */
  start: number;
}

/** Reads the input into bytes. A string is the report's text; `{ path }` is a file to read. */
export async function loadInput(input: ReportInput): Promise<Buffer> {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof Uint8Array)
    return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (typeof input === 'object' && input !== null && typeof input.path === 'string') {
    try {
      return await readFile(input.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'read error';
      throw new ReportError('unknown', `cannot read the report file (${code})`);
    }
  }
  throw new ReportError('unknown', 'the input must be bytes, text, or { path }');
}

/** Checks the bytes are UTF-8 and skips a byte order mark; UTF-16/32 files are refused by name. */
export function checkEncoding(buf: Buffer, format: ReportFormat | 'unknown'): LoadedInput {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new ReportError(format, 'the file is UTF-16 (or UTF-32); re-encode it as UTF-8', { line: 1, column: 1 });
  }
  const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  if (!isUtf8(buf)) {
    const offset = firstInvalidUtf8(buf);
    throw new ReportError(
      format === 'unknown' ? formatOf(buf, start) : format,
      `invalid UTF-8 (byte 0x${(buf[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset})`,
      lineColumnAt(buf, offset),
    );
  }
  return { buf, start };
}

/** The format a file that is refused anyway looks like, to name it in the error; 'unknown' when it looks like none. */
function formatOf(buf: Buffer, start: number): ReportFormat | 'unknown' {
  try {
    return detectFormat(buf, start);
  } catch {
    return 'unknown';
  }
}

/** Offset of the first byte that breaks UTF-8 (only called once isUtf8 has said there is one). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const c = buf[i] ?? 0;
    let need = 0;
    let min = 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const d = buf[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return buf.length;
}

import { jsonPath, lineColumnAt, ReportError } from './errors.ts';
import { findJsonError } from './json-validate.ts';
import type { ReportFormat } from './types.ts';

/**
 * Parses a JSON document without ever holding its whole parse tree: the elements of one array (chosen
 * by a path such as ['site', '*', 'alerts', '*', 'instances']) are parsed one by one with JSON.parse and
 * handed to a callback, and the rest of the document (the "skeleton", with those arrays emptied) is
 * parsed at the end. A structural pass over the bytes finds the element boundaries; JSON.parse does
 * all validation, and on failure findJsonError names the exact position.
 */
export type PathSegment = string | '*';

export interface ElementPlace {
  /** The keys and indices matched by the path's segments, then the element's index. */
  keys: Array<string | number>;
  /** JSON path of the element, e.g. `$.site[0].alerts[3].instances[7]`. */
  path: string;
}

const MAX_DEPTH = 512;

export function parseJsonSplit(
  buf: Buffer,
  start: number,
  format: ReportFormat,
  splitPath: PathSegment[],
  onElement: (value: unknown, place: ElementPlace) => void,
): unknown {
  const s = new Splitter(buf, format, splitPath, (from, to, place) =>
    onElement(parseJsonSlice(buf, from, to, format, place.path), place),
  );
  return s.run(start);
}

/** Where one element of the split array lies in the buffer; parse it with parseJsonSlice. */
export interface ElementSlice {
  from: number;
  to: number;
  place: ElementPlace;
}

/**
 * The two-step form of parseJsonSplit, for a caller that wants to go element by element at its own
 * pace (e.g. store each before parsing the next): checks the structure of the whole document, parses
 * the skeleton, and returns where each element lies. Elements are checked only when parsed.
 */
export function splitJson(
  buf: Buffer,
  start: number,
  format: ReportFormat,
  splitPath: PathSegment[],
): { skeleton: unknown; elements: ElementSlice[] } {
  const elements: ElementSlice[] = [];
  const s = new Splitter(buf, format, splitPath, (from, to, place) => elements.push({ from, to, place }));
  const skeleton = s.run(start);
  return { skeleton, elements };
}

/** Parses one slice of the buffer, turning a syntax error into a ReportError at the right place. */
export function parseJsonSlice(buf: Buffer, from: number, to: number, format: ReportFormat, path?: string): unknown {
  const text = buf.toString('utf8', from, to);
  try {
    return JSON.parse(text);
  } catch {
    const problem = findJsonError(text) ?? { index: 0, reason: 'invalid JSON' };
    const offset = from + Buffer.byteLength(text.slice(0, problem.index), 'utf8');
    throw new ReportError(format, problem.reason, { ...lineColumnAt(buf, offset), ...(path ? { path } : {}) });
  }
}

class Splitter {
  i = 0;
  private readonly removed: Array<[number, number]> = [];
  private readonly stack = new Uint8Array(MAX_DEPTH);

  constructor(
    private readonly buf: Buffer,
    private readonly format: ReportFormat,
    private readonly splitPath: PathSegment[],
    private readonly onElement: (from: number, to: number, place: ElementPlace) => void,
  ) {}

  run(start: number): unknown {
    this.i = start;
    this.walk(0, [], '$');
    this.ws();
    if (this.i < this.buf.length) this.fail(this.i, 'unexpected content after the JSON document');
    return this.skeleton(start);
  }

  fail(offset: number, reason: string, path?: string): never {
    throw new ReportError(this.format, reason, { ...lineColumnAt(this.buf, offset), ...(path ? { path } : {}) });
  }

  ws(): void {
    const b = this.buf;
    let i = this.i;
    while (i < b.length) {
      const c = b[i];
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  /** At a '"': moves past the closing quote. */
  private skipString(): void {
    const b = this.buf;
    let j = this.i + 1;
    for (;;) {
      const q = b.indexOf(34, j);
      if (q === -1) this.fail(b.length, 'unterminated string (the file may be truncated)');
      let k = q - 1;
      while (b[k] === 92) k--;
      if ((q - 1 - k) % 2 === 0) {
        this.i = q + 1;
        return;
      }
      j = q + 1;
    }
  }

  /** Moves past one value of any kind, checking only that brackets match. */
  skipValue(path: string): void {
    const b = this.buf;
    const c = b[this.i];
    if (c === 34) {
      this.skipString();
      return;
    }
    if (c !== 123 && c !== 91) {
      const from = this.i;
      let i = this.i;
      while (i < b.length) {
        const d = b[i];
        if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9) break;
        i++;
      }
      if (i === from)
        this.fail(
          from,
          i >= b.length ? 'unexpected end of file (the file may be truncated)' : 'expected a value',
          path,
        );
      this.i = i;
      return;
    }
    let depth = 0;
    const stack = this.stack;
    while (this.i < b.length) {
      const d = b[this.i];
      if (d === 34) {
        this.skipString();
        continue;
      }
      if (d === 123 || d === 91) {
        if (depth >= MAX_DEPTH) this.fail(this.i, `nesting deeper than ${MAX_DEPTH} levels`, path);
        stack[depth++] = d === 123 ? 125 : 93;
      } else if (d === 125 || d === 93) {
        if (depth === 0 || stack[depth - 1] !== d) this.fail(this.i, `unexpected ${d === 125 ? "'}'" : "']'"}`, path);
        depth--;
        if (depth === 0) {
          this.i++;
          return;
        }
      }
      this.i++;
    }
    this.fail(b.length, 'unexpected end of file (the file may be truncated)', path);
  }

  private expect(code: number, what: string, path: string): void {
    this.ws();
    if (this.buf[this.i] !== code) {
      this.fail(
        this.i,
        this.i >= this.buf.length ? `unexpected end of file, expected ${what}` : `expected ${what}`,
        path,
      );
    }
    this.i++;
  }

  walk(level: number, keys: Array<string | number>, path: string): void {
    this.ws();
    const b = this.buf;
    const c = b[this.i];
    if (level === this.splitPath.length) {
      if (c === 91) this.splitArray(keys, path);
      else this.skipValue(path);
      return;
    }
    const seg = this.splitPath[level];
    if (c === 123) {
      this.i++;
      this.ws();
      if (b[this.i] === 125) {
        this.i++;
        return;
      }
      for (;;) {
        this.ws();
        if (b[this.i] !== 34) this.fail(this.i, 'expected a property name in double quotes', path);
        const ks = this.i;
        this.skipString();
        const key = parseJsonSlice(b, ks, this.i, this.format, path) as string;
        this.expect(58, "':'", path);
        this.ws();
        const childPath = jsonPath(path, key);
        if (seg === '*' || seg === key) this.walk(level + 1, [...keys, key], childPath);
        else this.skipValue(childPath);
        this.ws();
        if (b[this.i] === 44) {
          this.i++;
          continue;
        }
        this.expect(125, "',' or '}'", path);
        return;
      }
    }
    if (c === 91) {
      this.i++;
      this.ws();
      if (b[this.i] === 93) {
        this.i++;
        return;
      }
      for (let idx = 0; ; idx++) {
        const childPath = jsonPath(path, idx);
        if (seg === '*') this.walk(level + 1, [...keys, idx], childPath);
        else {
          this.ws();
          this.skipValue(childPath);
        }
        this.ws();
        if (b[this.i] === 44) {
          this.i++;
          continue;
        }
        this.expect(93, "',' or ']'", path);
        return;
      }
    }
    if (this.i >= b.length) this.fail(this.i, 'unexpected end of file (the file may be truncated)', path);
    this.skipValue(path);
  }

  private splitArray(keys: Array<string | number>, path: string): void {
    const b = this.buf;
    this.i++;
    const contentStart = this.i;
    this.ws();
    if (b[this.i] === 93) {
      this.i++;
      return;
    }
    for (let idx = 0; ; idx++) {
      this.ws();
      const from = this.i;
      const elementPath = jsonPath(path, idx);
      this.skipValue(elementPath);
      this.onElement(from, this.i, { keys: [...keys, idx], path: elementPath });
      this.ws();
      if (b[this.i] === 44) {
        this.i++;
        continue;
      }
      if (b[this.i] !== 93)
        this.fail(this.i, this.i >= b.length ? "unexpected end of file, expected ']'" : "expected ',' or ']'", path);
      this.removed.push([contentStart, this.i]);
      this.i++;
      return;
    }
  }

  skeleton(start: number): unknown {
    const b = this.buf;
    if (this.removed.length === 0) return parseJsonSlice(b, start, b.length, this.format);
    const pieces: Array<[number, number]> = [];
    let at = start;
    for (const [from, to] of this.removed) {
      pieces.push([at, from]);
      at = to;
    }
    pieces.push([at, b.length]);
    const text = pieces.map(([f, t]) => b.toString('utf8', f, t)).join('');
    try {
      return JSON.parse(text);
    } catch {
      // Map the skeleton index back to the file.
      const problem = findJsonError(text) ?? { index: 0, reason: 'invalid JSON' };
      let left = problem.index;
      for (const [f, t] of pieces) {
        const piece = b.toString('utf8', f, t);
        if (left <= piece.length) this.fail(f + Buffer.byteLength(piece.slice(0, left), 'utf8'), problem.reason);
        left -= piece.length;
      }
      this.fail(b.length, problem.reason);
    }
  }
}

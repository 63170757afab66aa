import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { jsonPath } from './errors.ts';
import type { ElementPlace, ElementSlice, PathSegment } from './json-split.ts';

/**
 * The structural pass of json-split (element boundaries of one array, plus the skeleton) over a file
 * read in chunks, so the file never sits in memory whole: a byte-level state machine that carries its
 * state (string, escape, bracket stack, path) from chunk to chunk. It also checks UTF-8 and hashes
 * the file. It only has to be right for valid files: on anything unexpected it returns null and the
 * caller reads the file whole, where json-split names the problem exactly.
 */
export interface FileScan {
  /** The document with the split arrays emptied (UTF-8). */
  skeleton: Buffer;
  elements: ElementSlice[];
  /** First byte after a UTF-8 byte order mark. */
  start: number;
  sha256: string;
  bytes: number;
}

const CHUNK = 4 * 2 ** 20;
const MAX_DEPTH = 512;

interface Frame {
  object: boolean;
  /** Segments of the split path matched down to this container; -1 when off the path. */
  level: number;
  keys: Array<string | number>;
  path: string;
  /** Object: the next string is a key. */
  expectKey: boolean;
  key: string;
  index: number;
  /** The array whose elements are split out. */
  split: boolean;
}

/** Not sure the file is valid JSON of the expected shape. */
class Unsure extends Error {}

export async function scanJsonFile(
  fd: FileHandle,
  splitPath: PathSegment[],
  chunkSize = CHUNK,
  onRead?: (bytes: number) => void,
): Promise<FileScan | null> {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(chunkSize);
  const skeleton: Buffer[] = [];
  const elements: ElementSlice[] = [];
  const stack: Frame[] = [];
  const inner = new Uint8Array(MAX_DEPTH); // closing brackets expected inside the current element
  let innerDepth = 0;
  let elementFrom = -1;
  let inString = false;
  let escaped = false;
  let keyBytes: number[] | null = null; // collecting a key of an on-path object
  let literal = false; // inside a number/true/false/null element
  let rootDone = false;
  let utf8Carry = Buffer.alloc(0);
  let offset = 0; // file offset of chunk[0]
  let start = 0;
  let keepFrom = 0; // start of the skeleton bytes not yet copied, in this chunk
  let skipping = false; // inside a split array: its content is not skeleton

  const top = () => stack[stack.length - 1];
  const splitArray = () => {
    const t = top();
    return t?.split === true ? t : undefined;
  };
  const startElement = (at: number) => {
    elementFrom = at;
  };
  const endElement = (end: number) => {
    const t = splitArray();
    if (!t) throw new Unsure();
    const place: ElementPlace = { keys: [...t.keys, t.index], path: jsonPath(t.path, t.index) };
    elements.push({ from: elementFrom, to: end, place });
    elementFrom = -1;
    t.index++;
    t.expectKey = false; // reused in an array as "a comma is due"
  };
  const open = (object: boolean, at: number) => {
    const parent = top();
    let level = 0;
    let keys: Array<string | number> = [];
    let path = '$';
    if (parent) {
      const seg = parent.level >= 0 ? splitPath[parent.level] : undefined;
      const name: string | number = parent.object ? parent.key : parent.index;
      const matches =
        seg !== undefined && (seg === '*' || (parent.object && seg === parent.key) || (!parent.object && seg === '*'));
      level = matches ? parent.level + 1 : -1;
      keys = matches ? [...parent.keys, name] : [];
      path = jsonPath(parent.path, name);
    } else if (rootDone) throw new Unsure();
    if (stack.length >= MAX_DEPTH) throw new Unsure();
    const split = !object && level === splitPath.length;
    stack.push({ object, level, keys, path, expectKey: object, key: '', index: 0, split });
    if (split) {
      copySkeleton(at + 1);
      skipping = true;
    }
  };
  let current: Buffer = chunk;
  const copySkeleton = (to: number) => {
    if (to > keepFrom) skeleton.push(Buffer.from(current.subarray(keepFrom, to)));
    keepFrom = to;
  };

  const bom = Buffer.alloc(3);
  await fd.read(bom, 0, 3, 0);
  if (bom[0] === 0xef && bom[1] === 0xbb && bom[2] === 0xbf) {
    hash.update(bom);
    start = offset = 3;
  }
  for (;;) {
    const { bytesRead } = await fd.read(chunk, 0, chunkSize, offset);
    if (bytesRead === 0) break;
    const b = chunk.subarray(0, bytesRead);
    current = b;
    hash.update(b);
    // UTF-8, with a character split by the chunk's end completed from the next chunk(s).
    let head = 0;
    if (utf8Carry.length > 0) {
      const lead = utf8Carry[0] ?? 0;
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      head = Math.min(b.length, need - utf8Carry.length);
      utf8Carry = Buffer.concat([utf8Carry, b.subarray(0, head)]);
      if (utf8Carry.length === need) {
        if (!isUtf8(utf8Carry)) return null;
        utf8Carry = Buffer.alloc(0);
      }
    }
    let cut = b.length;
    for (let k = 1; k <= 3 && b.length - k >= head; k++) {
      const c = b[b.length - k] ?? 0;
      if ((c & 0xc0) === 0x80) continue;
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (need > k) cut = b.length - k;
      break;
    }
    if (!isUtf8(b.subarray(head, cut))) return null;
    if (cut < b.length) utf8Carry = Buffer.from(b.subarray(cut));
    let i = 0;
    keepFrom = 0;
    try {
      while (i < b.length) {
        const c = b[i] as number;
        if (inString) {
          if (escaped) {
            escaped = false;
            if (keyBytes) keyBytes.push(c);
            i++;
            continue;
          }
          if (keyBytes === null) {
            // Jump to the next quote or backslash.
            const q = b.indexOf(34, i);
            const s = b.indexOf(92, i);
            const next = q === -1 ? s : s === -1 ? q : Math.min(q, s);
            if (next === -1) {
              i = b.length;
              continue;
            }
            i = next;
          }
          const d = b[i] as number;
          if (d === 92) escaped = true;
          else if (d === 34) {
            inString = false;
            if (keyBytes) {
              const t = top();
              if (!t) throw new Unsure();
              t.key = JSON.parse(`"${Buffer.from(keyBytes).toString('utf8')}"`) as string;
              keyBytes = null;
            } else if (elementFrom >= 0 && innerDepth === 0) endElement(offset + i + 1);
          } else if (keyBytes) keyBytes.push(d);
          if (d === 92 && keyBytes) keyBytes.push(d);
          i++;
          continue;
        }
        if (literal) {
          if (c === 44 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9) {
            literal = false;
            endElement(offset + i);
            continue;
          }
          i++;
          continue;
        }
        if (elementFrom >= 0) {
          // Inside an object or array element: only strings and brackets matter.
          if (c === 34) inString = true;
          else if (c === 123 || c === 91) {
            if (innerDepth >= MAX_DEPTH) throw new Unsure();
            inner[innerDepth++] = c === 123 ? 125 : 93;
          } else if (c === 125 || c === 93) {
            if (innerDepth === 0 || inner[innerDepth - 1] !== c) throw new Unsure();
            if (--innerDepth === 0) endElement(offset + i + 1);
          }
          i++;
          continue;
        }
        if (c === 32 || c === 10 || c === 13 || c === 9) {
          i++;
          continue;
        }
        if (rootDone) throw new Unsure(); // content after the document
        const arr = splitArray();
        if (arr) {
          if (c === 93) {
            if (arr.expectKey) throw new Unsure(); // a trailing comma
            keepFrom = i;
            skipping = false;
            stack.pop();
            i++;
            if (stack.length === 0) rootDone = true;
            continue;
          }
          if (c === 44) {
            if (arr.expectKey || arr.index === 0) throw new Unsure();
            arr.expectKey = true;
            i++;
            continue;
          }
          if (arr.index > 0 && !arr.expectKey) throw new Unsure();
          arr.expectKey = false;
          startElement(offset + i);
          if (c === 123 || c === 91) {
            inner[0] = c === 123 ? 125 : 93;
            innerDepth = 1;
          } else if (c === 34) inString = true;
          else literal = true;
          i++;
          continue;
        }
        const t = top();
        if (c === 34) {
          inString = true;
          if (t?.object && t.expectKey) {
            t.expectKey = false;
            keyBytes = t.level >= 0 ? [] : null;
            if (keyBytes === null) t.key = '';
          }
        } else if (c === 123 || c === 91) open(c === 123, i);
        else if (c === 125 || c === 93) {
          if (!t || t.object !== (c === 125)) throw new Unsure();
          stack.pop();
          if (stack.length === 0) rootDone = true;
        } else if (c === 44) {
          if (t?.object) t.expectKey = true;
          else if (t) t.index++;
        } else if (c === 58) {
          // between a key and its value
        } else if (!t) throw new Unsure();
        i++;
      }
    } catch {
      return null; // Unsure, or a key JSON.parse refused: the whole-file path says exactly what is wrong
    }
    if (!skipping) copySkeleton(b.length);
    offset += bytesRead;
    onRead?.(offset);
  }
  if (utf8Carry.length > 0 || inString || literal || stack.length > 0 || elementFrom >= 0 || !rootDone) return null;
  return { skeleton: Buffer.concat(skeleton), elements, start, sha256: hash.digest('hex'), bytes: offset };
}

// Request parameters the way Grape sees them: query and body merged, `a[]=1&a[]=2` as arrays,
// booleans and integers coerced, and Grape's error texts when a value does not fit.
import { invalidParam, missing } from './reply.ts';

export type Input = Record<string, unknown>;

/** Parses `a=1&b[]=2&b[]=3` into `{a:'1', b:['2','3']}`. */
export function parseQuery(search: URLSearchParams): Input {
  const out: Input = {};
  for (const [rawKey, value] of search) {
    const isArray = rawKey.endsWith('[]');
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    const prev = out[key];
    if (isArray) out[key] = Array.isArray(prev) ? [...prev, value] : prev === undefined ? [value] : [prev, value];
    else if (prev !== undefined) out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    else out[key] = value;
  }
  return out;
}

export function has(input: Input, key: string): boolean {
  return input[key] !== undefined && input[key] !== null;
}

export function str(input: Input, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidParam(`${key} is invalid`);
}

export function requiredStr(input: Input, key: string): string {
  const v = str(input, key);
  if (v === undefined || v === '') throw missing(key);
  return v;
}

export function int(input: Input, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n)) throw invalidParam(`${key} is invalid`);
  return n;
}

export function bool(input: Input, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (['true', '1', 't', 'yes', 'y'].includes(s)) return true;
  if (['false', '0', 'f', 'no', 'n'].includes(s)) return false;
  throw invalidParam(`${key} is invalid`);
}

/** `[1,2]`, `["1","2"]` or `"1,2"` into numbers. */
export function intArray(input: Input, key: string): number[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  const parts = Array.isArray(v) ? v : String(v) === '' ? [] : String(v).split(',');
  const out: number[] = [];
  for (const p of parts) {
    const s = String(p).trim();
    if (s === '') continue;
    if (!/^-?\d+$/.test(s)) throw invalidParam(`${key} is invalid`);
    out.push(Number(s));
  }
  return out;
}

/** Labels: `"a,b"` or `["a","b"]`, trimmed, empties dropped. */
export function strList(input: Input, key: string): string[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  const parts = Array.isArray(v) ? v.flatMap((x) => String(x).split(',')) : String(v).split(',');
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

export function oneOf<T extends string>(input: Input, key: string, values: readonly T[]): T | undefined {
  const v = str(input, key);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw invalidParam(`${key} does not have a valid value`);
  return v as T;
}

/** ISO 8601 date-time (or date) to epoch ms. */
export function dateTime(input: Input, key: string): number | undefined {
  const v = str(input, key);
  if (v === undefined || v === '') return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidParam(`${key} is invalid`);
  return t;
}

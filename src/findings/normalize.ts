import { htmlToText } from './html-to-text.ts';
import type { Confidence, HeaderList, Severity } from './types.ts';

export const DEFAULT_MAX_FIELD_BYTES = 1024 * 1024;

/** Makes text safe to store: no NUL (PostgreSQL refuses it), no lone surrogates. */
export function cleanText(value: string): string {
  const hasNul = value.includes('\u0000');
  if (!hasNul && !/[\ud800-\udfff]/.test(value)) return value;
  return (hasNul ? value.replaceAll('\u0000', '\uFFFD') : value).replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\uFFFD',
  );
}

export interface Capped {
  text: string;
  truncated: boolean;
}

/**
 * Cuts text longer than maxBytes UTF-8 bytes (on a character boundary) and marks the cut visibly.
 * `cutFrom`: the text is already a cut of a field of that many bytes, so it is marked in any case.
 */
export function capText(value: string, maxBytes: number, cutFrom?: number): Capped {
  const text = cleanText(value);
  // Every UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no measuring.
  if (cutFrom === undefined && text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (cutFrom === undefined && bytes <= maxBytes) return { text, truncated: false };
  let cut = bytes <= maxBytes ? text : Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (bytes > maxBytes && cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return {
    text: `${cut}\n…[truncated by Vulnbridge: ${cutFrom ?? bytes} bytes in the report, ${Math.min(bytes, maxBytes)} kept]`,
    truncated: true,
  };
}

/**
 * Text for a descriptive field that may hold HTML: converted to plain text, then capped. Of a field
 * over twice the cap only the head is converted, and the result is marked as cut (with the field's
 * size) even when the head's text fits: the rest of the field is not in it.
 */
export function richText(value: unknown, maxBytes: number): string {
  const raw = asString(value);
  if (raw === '') return '';
  if (raw.length <= maxBytes * 2) return capText(htmlToText(raw), maxBytes).text;
  return capText(htmlToText(raw.slice(0, maxBytes * 2)), maxBytes, Buffer.byteLength(raw, 'utf8')).text;
}

/** Any scalar as a string; objects and arrays as ''. */
export function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

/** Base64 (line breaks allowed) decoded as UTF-8 text (bytes that are not UTF-8 become U+FFFD); null when it is not base64. */
export function base64Text(value: string): string | null {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('utf8');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A positive integer id (CWE, WASC) from `79`, `"79"`, `"CWE-79"`; null for 0, -1 or junk. */
export function parseId(value: unknown): number | null {
  const text = asString(value).trim();
  if (text.startsWith('-')) return null;
  const m = /(\d{1,9})/.exec(text);
  if (!m?.[1]) return null;
  const n = Number.parseInt(m[1], 10);
  return n > 0 ? n : null;
}

/** First `CWE-nnn` (or cwe.mitre.org definition link) mentioned in any of the texts. */
export function findCwe(...texts: string[]): number | null {
  for (const t of texts) {
    const m = /\bCWE[-_ ]?(\d{1,6})\b|cwe\.mitre\.org\/data\/definitions\/(\d{1,6})/i.exec(t);
    const id = parseId(m?.[1] ?? m?.[2]);
    if (id !== null) return id;
  }
  return null;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  info: 'info',
  informational: 'info',
  information: 'info',
  none: 'info',
  unknown: 'info',
  note: 'low',
};

/** Severity from a tool's word (`High`, `informational`, `unknown` → info); null when unrecognised. */
export function severityFromWord(value: unknown): Severity | null {
  return SEVERITY_WORDS[asString(value).trim().toLowerCase()] ?? null;
}

/** CVSS-like score (0–10) to severity, as GitHub's `security-severity` and CVSS v3 bands do. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const CONFIDENCE_WORDS: Record<string, Confidence> = {
  confirmed: 'confirmed',
  certain: 'confirmed',
  high: 'high',
  firm: 'high',
  medium: 'medium',
  low: 'low',
  tentative: 'low',
  experimental: 'low',
  'false positive': 'false_positive',
  false_positive: 'false_positive',
  falsepositive: 'false_positive',
};

export function confidenceFromWord(value: unknown): Confidence {
  return CONFIDENCE_WORDS[asString(value).trim().toLowerCase()] ?? 'unknown';
}

export interface HttpMessage {
  startLine: string;
  headers: HeaderList;
  body: string;
}

const REQUEST_LINE = /^[A-Z][A-Z_-]{1,19} \S+ HTTP\/\d(?:\.\d)?$/;
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? \d{3}\b/;

/**
 * Splits a raw HTTP message into start line, headers and body. Text that is not an HTTP message
 * (a DNS answer, say) comes back whole as the body.
 */
export function splitHttpMessage(raw: string): HttpMessage {
  if (raw === '') return { startLine: '', headers: [], body: '' };
  const firstEol = raw.indexOf('\n');
  const first = (firstEol === -1 ? raw : raw.slice(0, firstEol)).replace(/\r$/, '');
  const isHttp = REQUEST_LINE.test(first) || STATUS_LINE.test(first);
  if (!isHttp) {
    const headers = parseHeaderBlock(raw.split(/\r?\n\r?\n/, 1)[0] ?? '');
    // A bare header block (ZAP's requestheader without a body, say) still has headers.
    if (headers.ok) return splitAt(raw, '');
    return { startLine: '', headers: [], body: raw };
  }
  return splitAt(raw.slice(firstEol === -1 ? raw.length : firstEol + 1), first);
}

function splitAt(rest: string, startLine: string): HttpMessage {
  const m = /\r?\n\r?\n/.exec(rest);
  const block = m ? rest.slice(0, m.index) : rest;
  const body = m ? rest.slice(m.index + m[0].length) : '';
  return { startLine, headers: parseHeaderBlock(block).headers, body };
}

function parseHeaderBlock(block: string): { ok: boolean; headers: HeaderList } {
  const headers: HeaderList = [];
  if (block.trim() === '') return { ok: false, headers };
  let ok = true;
  for (const line of block.split(/\r?\n/)) {
    if (line === '') continue;
    const last = headers[headers.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, colon))) {
      ok = false;
      headers.push([line.trim(), '']);
      continue;
    }
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { ok, headers };
}

/** Headers from `{name: value}` or `[{name, value}]` or `[[name, value]]` shapes. */
export function headerListFrom(value: unknown): HeaderList {
  const out: HeaderList = [];
  if (Array.isArray(value)) {
    for (const h of value) {
      if (Array.isArray(h)) out.push([asString(h[0]), asString(h[1])]);
      else if (isRecord(h)) out.push([asString(h.name), asString(h.value)]);
    }
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v)) for (const one of v) out.push([k, asString(one)]);
      else out.push([k, asString(v)]);
    }
  }
  return out;
}

/** ISO 8601 (UTC) from a date string; a date without a zone is read as UTC; undefined if unreadable. */
export function isoDate(value: unknown): string | undefined {
  const s = asString(value).trim();
  if (s === '') return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2}|\bGMT|\bUTC)\s*$/i.test(s);
  const isIsoLocal = /^\d{4}-\d{2}-\d{2}T/.test(s);
  const t = Date.parse(hasZone ? s : isIsoLocal ? `${s}Z` : `${s} GMT`);
  if (!Number.isFinite(t)) return undefined;
  return new Date(t).toISOString();
}

/** Splits a reference text (lines, `- ` bullets, HTML paragraphs) into distinct trimmed entries. */
export function splitReferences(text: string): string[] {
  const out: string[] = [];
  for (const line of htmlToText(text).split(/\n+/)) {
    const item = line.replace(/^\s*[-*•]\s*/, '').trim();
    if (item !== '' && !out.includes(item)) out.push(item);
  }
  return out;
}

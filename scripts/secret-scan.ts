// "Secrets never leak" (issue #9): every secret that existed during the test run (the ledger, see
// src/sandbox/ledger.ts and test/support/capture.ts) is searched for in everything the run captured:
// hub logs, API responses (status, headers, body) and pages' final HTML. A hit is a leak unless the
// allow-list below names its kind and place. Each value is searched raw, URL-encoded, JSON-escaped
// and in base64 / base64url at all three byte alignments. Values shorter than 8 characters are ignored.
//
//   npx tsx scripts/secret-scan.ts [LEDGER_DIR] [CAPTURE_DIR]   (default: $VB_SECRET_LEDGER_DIR, $VB_CAPTURE_DIR)
//
// Exit 1 on a leak, and also when the ledger or the capture is empty (then the check proved nothing).
// Output names a secret's kind, the file and the line, never the value.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIN_LENGTH = 8;

export interface AllowRule {
  kind: string;
  /** Matched against `METHOD /path` of a captured response. */
  route: RegExp;
  /** `body` or `header:<name>`. */
  part: string;
  why: string;
}

/** The only places a secret may appear. Keep it short; each entry says why it is not a leak. */
export const ALLOW: AllowRule[] = [
  {
    kind: 'hub-session',
    route: /^POST \/api\/(auth\/sign-in|auth\/switch-organization|invitations\/accept|setup)$/,
    part: 'header:set-cookie',
    why: 'starting a session hands the browser its httpOnly session cookie; that Set-Cookie is the one place the value travels',
  },
  {
    kind: 'hub-invitation-token',
    route: /^POST \/api\/invitations$/,
    part: 'body',
    why: 'an invitation link is shown once to the inviter, in the 201 response that creates it (only its sha256 is stored)',
  },
  {
    kind: 'hub-api-token',
    route: /^POST \/api\/tokens$/,
    part: 'body',
    why: 'an API token is shown once, in the 201 response that creates it (only its sha256 is stored)',
  },
  {
    kind: 'scanner-secret',
    route: /^POST \/api\/scans\/[^/]+\/findings\/[^/]+\/reveal$/,
    part: 'body',
    why: 'a Contributor asked to see a finding as the scanner wrote it; every other answer masks it, and each reveal is audited',
  },
];

export interface LedgerEntry {
  kind: string;
  value: string;
}

interface Pattern {
  text: string;
  kind: string;
  form: string;
  /** The secret itself (to find a JSON-escaped hit again inside the parsed record). */
  value: string;
}

export interface Hit {
  kind: string;
  form: string;
  file: string;
  line: number;
  /** `log`, `page <path>`, or `<METHOD /path> <part>` for a response. */
  where: string;
  allowedBy: AllowRule | null;
}

export interface ScanResult {
  entriesByKind: Record<string, number>;
  ignoredShort: number;
  patterns: number;
  files: number;
  bytes: number;
  hits: Hit[];
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** Unique values, each under one kind ('client-supplied-secret' gives way to a more telling kind). */
export function readLedger(dir: string): { entries: LedgerEntry[]; ignoredShort: number } {
  const byValue = new Map<string, string>();
  const short = new Set<string>();
  for (const file of listFiles(dir)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const { kind, value } = JSON.parse(line) as LedgerEntry;
      if (typeof value !== 'string' || typeof kind !== 'string') continue;
      if (value.length < MIN_LENGTH) {
        short.add(value);
        continue;
      }
      const known = byValue.get(value);
      if (!known || (known === 'client-supplied-secret' && kind !== known)) byValue.set(value, kind);
    }
  }
  return { entries: [...byValue].map(([value, kind]) => ({ kind, value })), ignoredShort: short.size };
}

/** base64 of `bytes` as it appears inside a longer encoding, for each of the three alignments. */
function base64Forms(bytes: Buffer, encoding: 'base64' | 'base64url'): string[] {
  const forms: string[] = [];
  for (const offset of [0, 1, 2]) {
    const total = offset + bytes.length;
    let text = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString(encoding)
      .replace(/=+$/, '');
    text = text.slice([0, 2, 3][offset]); // characters that mix in the bytes before
    if (total % 3 !== 0) text = text.slice(0, -1); // the last character mixes in the bytes after
    forms.push(text);
  }
  return forms;
}

export function patternsOf(entry: LedgerEntry): Pattern[] {
  const forms = new Map<string, string>([[entry.value, 'raw']]);
  const add = (text: string, form: string) => {
    if (text.length >= MIN_LENGTH && !forms.has(text)) forms.set(text, form);
  };
  add(encodeURIComponent(entry.value), 'url-encoded');
  add(encodeURIComponent(entry.value).replace(/%20/g, '+'), 'form-encoded');
  add(JSON.stringify(entry.value).slice(1, -1), 'json-escaped');
  add(
    entry.value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    'html-escaped',
  );
  const bytes = Buffer.from(entry.value, 'utf8');
  for (const text of base64Forms(bytes, 'base64')) add(text, 'base64');
  for (const text of base64Forms(bytes, 'base64url')) add(text, 'base64url');
  if (/^[0-9a-f]{64}$/i.test(entry.value)) {
    for (const text of base64Forms(Buffer.from(entry.value, 'hex'), 'base64')) add(text, 'key bytes as base64');
  }
  return [...forms].map(([text, form]) => ({ text, form, kind: entry.kind, value: entry.value }));
}

// Rabin-Karp over the first WINDOW characters of every pattern: one pass over each file whatever the
// number of secrets, with a bitset in front of the map.
const WINDOW = 8;
const BASE = 257;
let BASE_POW = 1;
for (let i = 0; i < WINDOW - 1; i++) BASE_POW = Math.imul(BASE_POW, BASE);

function windowHash(text: string, start: number): number {
  let h = 0;
  for (let i = start; i < start + WINDOW; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

class Matcher {
  private readonly buckets = new Map<number, Pattern[]>();
  private readonly bits = new Uint32Array(1 << 19); // 2^24 bits

  constructor(patterns: Pattern[]) {
    for (const p of patterns) {
      const h = windowHash(p.text, 0);
      const bucket = this.buckets.get(h);
      if (bucket) bucket.push(p);
      else this.buckets.set(h, [p]);
      const bit = h >>> 8;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  /** Every (index, pattern) where a pattern starts in `text`. */
  find(text: string, onHit: (index: number, pattern: Pattern) => void): void {
    if (text.length < WINDOW) return;
    let h = windowHash(text, 0);
    for (let i = 0; ; i++) {
      const bit = h >>> 8;
      if (this.bits[bit >>> 5]! & (1 << (bit & 31))) {
        for (const p of this.buckets.get(h) ?? []) if (text.startsWith(p.text, i)) onHit(i, p);
      }
      if (i + WINDOW >= text.length) break;
      h = (Math.imul((h - Math.imul(text.charCodeAt(i), BASE_POW)) | 0, BASE) + text.charCodeAt(i + WINDOW)) | 0;
    }
  }
}

/** Reads a file in pieces of whole lines (a capture file can be larger than a string may be). */
function* linesChunks(file: string, size = 16 * 1024 * 1024): Generator<{ text: string; firstLine: number }> {
  const fd = openSync(file, 'r');
  try {
    let carry = Buffer.alloc(0);
    let line = 1;
    const buffer = Buffer.alloc(size);
    for (;;) {
      const read = readSync(fd, buffer, 0, size, null);
      const data = Buffer.concat([carry, buffer.subarray(0, read)]);
      const cut = read === 0 ? data.length : data.lastIndexOf(10) + 1;
      if (cut > 0) {
        const text = data.subarray(0, cut).toString('utf8');
        yield { text, firstLine: line };
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++;
      }
      carry = Buffer.from(data.subarray(cut));
      if (read === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

/** Line starts of a chunk, built on its first hit; a line is then found by binary search. */
class Lines {
  private starts: number[] | null = null;
  constructor(private readonly text: string) {}
  at(index: number): { number: number; start: number; end: number } {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    const end = this.text.indexOf('\n', index);
    return { number: lo, start: this.starts[lo]!, end: end === -1 ? this.text.length : end };
  }
}

interface ResponseRecord {
  method: string;
  path: string;
  headers: Record<string, unknown>;
  body: string;
}

/** Where in a captured response record the pattern sits. */
function responsePlace(record: ResponseRecord | null, p: Pattern): { route: string; part: string } {
  if (!record) return { route: '?', part: 'unparsed record' };
  const route = `${record.method} ${record.path}`;
  const contains = (text: string) => text.includes(p.text) || (p.form === 'json-escaped' && text.includes(p.value));
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    if (contains(Array.isArray(value) ? value.join('\n') : String(value))) return { route, part: `header:${name}` };
  }
  return { route, part: contains(String(record.body ?? '')) ? 'body' : 'record' };
}

function parseRecord(line: string): ResponseRecord | null {
  try {
    return JSON.parse(line) as ResponseRecord;
  } catch {
    return null;
  }
}

export function scan(
  ledgerDir: string,
  captureDir: string,
  options: { allow?: AllowRule[]; chunkBytes?: number } = {},
): ScanResult {
  const allow = options.allow ?? ALLOW;
  const { entries, ignoredShort } = readLedger(ledgerDir);
  const entriesByKind: Record<string, number> = {};
  for (const e of entries) entriesByKind[e.kind] = (entriesByKind[e.kind] ?? 0) + 1;
  const patterns = entries.flatMap(patternsOf);
  const matcher = new Matcher(patterns);
  const hits: Hit[] = [];
  const seen = new Set<string>();
  let files = 0;
  let bytes = 0;
  for (const file of listFiles(captureDir)) {
    files++;
    bytes += statSync(file).size;
    const name = relative(captureDir, file);
    const isResponse = /(^|\/)responses-[^/]*\.jsonl$/.test(name);
    const isPage = name.endsWith('.html');
    for (const { text, firstLine } of linesChunks(file, options.chunkBytes)) {
      const lines = new Lines(text);
      let parsed: { start: number; record: ResponseRecord | null } | null = null;
      matcher.find(text, (index, p) => {
        const at = lines.at(index);
        const line = firstLine + at.number;
        let where = 'log';
        let allowedBy: AllowRule | null = null;
        if (isResponse) {
          if (parsed?.start !== at.start)
            parsed = { start: at.start, record: parseRecord(text.slice(at.start, at.end)) };
          const place = responsePlace(parsed.record, p);
          where = `${place.route} ${place.part}`;
          allowedBy =
            allow.find((r) => r.kind === p.kind && r.part === place.part && r.route.test(place.route)) ?? null;
        } else if (isPage) {
          where = `page ${/^<!-- (\S+) -->/.exec(text)?.[1] ?? '?'}`;
        }
        const key = `${p.kind}\0${name}\0${line}\0${where}`;
        if (seen.has(key)) return;
        seen.add(key);
        hits.push({ kind: p.kind, form: p.form, file: name, line, where, allowedBy });
      });
    }
  }
  return { entriesByKind, ignoredShort, patterns: patterns.length, files, bytes, hits };
}

/** Prints the figures and every leak; returns whether the check passed. */
export function report(result: ScanResult, log: (line: string) => void = console.log): boolean {
  const kinds = Object.entries(result.entriesByKind).sort(([a], [b]) => a.localeCompare(b));
  const total = kinds.reduce((sum, [, n]) => sum + n, 0);
  log(
    `ledger: ${total} secrets (${result.ignoredShort} shorter than ${MIN_LENGTH} ignored), ${result.patterns} search forms`,
  );
  for (const [kind, n] of kinds) log(`  ${kind}: ${n}`);
  log(`scanned: ${result.files} files, ${(result.bytes / 1024 / 1024).toFixed(1)} MiB`);
  const leaks = result.hits.filter((h) => !h.allowedBy);
  const allowed = new Map<AllowRule, number>();
  for (const h of result.hits) if (h.allowedBy) allowed.set(h.allowedBy, (allowed.get(h.allowedBy) ?? 0) + 1);
  for (const [rule, n] of allowed)
    log(`allowed: ${rule.kind} in ${rule.part} of ${rule.route.source} × ${n} (${rule.why})`);
  log(`hits: ${result.hits.length} (${result.hits.length - leaks.length} allowed, ${leaks.length} leaks)`);
  const shown = leaks.slice(0, 200);
  for (const h of shown) log(`LEAK: ${h.kind} (${h.form}) in ${h.file}:${h.line} [${h.where}]`);
  if (leaks.length > shown.length) log(`… and ${leaks.length - shown.length} more leaks`);
  if (total === 0)
    log('FAILED: the ledger is empty, so the scan proved nothing (is VB_SECRET_LEDGER_DIR reaching the tests?)');
  if (result.files === 0)
    log('FAILED: nothing was captured, so the scan proved nothing (is VB_CAPTURE_DIR reaching the tests?)');
  return leaks.length === 0 && total > 0 && result.files > 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ledgerDir = process.argv[2] ?? process.env.VB_SECRET_LEDGER_DIR;
  const captureDir = process.argv[3] ?? process.env.VB_CAPTURE_DIR;
  if (!ledgerDir || !captureDir) {
    console.error(
      'usage: tsx scripts/secret-scan.ts LEDGER_DIR CAPTURE_DIR (or set VB_SECRET_LEDGER_DIR and VB_CAPTURE_DIR)',
    );
    process.exit(2);
  }
  const started = Date.now();
  const result = scan(ledgerDir, captureDir);
  const ok = report(result);
  console.log(`scan time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(ok ? 0 : 1);
}

import { ReportError } from './errors.ts';
import { parseJsonSlice } from './json-split.ts';
import { isRecord } from './normalize.ts';
import type { ReportFormat } from './types.ts';

/**
 * Detects a report's format from its content. XML by its root element; JSON by the top-level keys
 * (read with a structural pass that parses only those keys, so a 100 MB file costs one quick scan);
 * several JSON documents one per line is Nuclei's JSON Lines. An empty file is an empty Nuclei run.
 */
export function detectFormat(buf: Buffer, start: number): ReportFormat {
  const i = skipWs(buf, start);
  if (i >= buf.length) return 'nuclei-jsonl';
  const c = buf[i];
  if (c === 0x3c) return detectXml(buf.toString('utf8', i, Math.min(buf.length, i + 65536)));
  if (c === 0x5b) return 'nuclei-json';
  if (c !== 0x7b)
    throw new ReportError('unknown', 'not a report: the file is neither JSON nor XML', { line: 1, column: 1 });
  const { keys, end } = topLevelKeys(buf, i);
  const after = skipWs(buf, end);
  const has = (k: string) => keys.has(k);
  if (after < buf.length) {
    if (has('template-id') || has('templateID') || has('template')) return 'nuclei-jsonl';
    throw new ReportError('unknown', 'unrecognised report: more than one JSON document, and not Nuclei JSON Lines');
  }
  if (has('runs') && (has('version') || has('$schema'))) return 'sarif';
  if (has('vulnerabilities') && (has('scan') || has('version')) && !has('classifications')) return 'gitlab-dast';
  if (has('site') && (has('@version') || has('@generated') || has('@programName'))) return 'zap-json';
  if (has('vulnerabilities') && (has('classifications') || has('infos'))) return 'wapiti-json';
  if (has('template-id') || has('templateID')) return 'nuclei-jsonl';
  throw new ReportError('unknown', 'unrecognised report format (pass the format explicitly if it is one we support)');
}

function detectXml(head: string): ReportFormat {
  const body = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
  const withoutDoctype = body.replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\]\s*)?>/i, '');
  const m = /<([A-Za-z_][\w.:-]*)/.exec(withoutDoctype);
  const root = m?.[1];
  if (root === 'OWASPZAPReport') return 'zap-xml';
  if (root === 'issues') return 'burp-xml';
  throw new ReportError(
    'unknown',
    root ? `unrecognised XML report (root element <${root}>)` : 'unrecognised XML report',
  );
}

function skipWs(buf: Buffer, from: number): number {
  let i = from;
  while (i < buf.length && (buf[i] === 32 || buf[i] === 10 || buf[i] === 13 || buf[i] === 9)) i++;
  return i;
}

/** Keys of the top-level object starting at `from`, and the offset just after it. */
function topLevelKeys(buf: Buffer, from: number): { keys: Set<string>; end: number } {
  const keys = new Set<string>();
  let depth = 0;
  let expectKey = false;
  let i = from;
  while (i < buf.length) {
    const c = buf[i];
    if (c === 0x22) {
      const s = i;
      i++;
      for (;;) {
        const q = buf.indexOf(0x22, i);
        if (q === -1) return { keys, end: buf.length };
        let k = q - 1;
        while (buf[k] === 0x5c) k--;
        i = q + 1;
        if ((q - 1 - k) % 2 === 0) break;
      }
      if (depth === 1 && expectKey) {
        try {
          const key = parseJsonSlice(buf, s, i, 'nuclei-jsonl');
          if (typeof key === 'string') keys.add(key);
        } catch {
          // a broken key is left to the parser to report
        }
        expectKey = false;
      }
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth === 1) expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return { keys, end: i + 1 };
    } else if (c === 0x2c && depth === 1) expectKey = true;
    i++;
  }
  return { keys, end: buf.length };
}

/** True when a parsed value looks like a Nuclei result (used by tests and the JSON array parser). */
export function looksLikeNucleiResult(value: unknown): boolean {
  return isRecord(value) && ('template-id' in value || 'templateID' in value);
}

// One GitLab issue's title and description for one finding (issue 6, DESIGN §5). Pure: no I/O.
// Every scanner string is redacted first. Machine text (URL, parameter, payload, evidence, request,
// response, references) goes in a code fence or inline code; the prose a scanner writes (description,
// remediation) is Markdown paragraphs with every token that could act made inert (neutralizePlainText:
// no line starts a quick action, references and HTML are code spans or escaped). The description stays
// below GitLab's 1,048,576-character limit by cutting the largest scanner fields first, and says where it cut.
import type { FindingInfo, ScanInfo, TargetInfo, VulnerabilityInfo } from '../contracts/index.ts';
import { codeBlock, inlineCode } from './neutralize-markdown.ts';
import { neutralizePlainText } from './neutralize-prose.ts';
import { type RedactOptions, redactHeaders, redactText, redactUrl } from '../findings/index.ts';

export const TITLE_MAX_CHARS = 255;
export const DESCRIPTION_MAX_CHARS = 1_048_576;
export const DEFAULT_MAX_BODY_CHARS = 4096;

export interface RenderIssueInput {
  vulnerability: VulnerabilityInfo;
  finding: FindingInfo;
  scan: ScanInfo;
  target: TargetInfo;
  /** Link back to the finding in the scan report (PUBLIC_URL based). */
  findingUrl: string;
}

export interface RenderIssueOptions {
  redact: RedactOptions;
  /** Request and response bodies are cut to this many characters (default 4096). */
  maxBodyChars?: number;
  /** Default GitLab's description limit; use 1,000,000 when the text is posted as a note. */
  maxDescriptionChars?: number;
}

export interface RenderedIssue {
  title: string;
  description: string;
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cutChars(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const fmt = (n: number) => n.toLocaleString('en-US');
const ZWJ = '\u200D';

/** A title GitLab shows as plain text: one line, no leading `/`, references broken, ≤255 chars. */
export function safeTitle(text: string): string {
  let t = text
    .replace(/\p{Cc}|[\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s/]+/, '')
    .trimEnd()
    // GitLab parses mentions and references in titles too: a zero-width joiner breaks them unseen.
    .replace(/([@#!~%$&])(?=[A-Za-z0-9_"])/g, `$1${ZWJ}`);
  if (t === '') t = 'Untitled finding';
  return t.length <= TITLE_MAX_CHARS ? t : `${cutChars(t, TITLE_MAX_CHARS - 1)}…`;
}

function pathOf(url: string): string {
  const noQuery = url.replace(/[?#][\s\S]*$/, '');
  try {
    return new URL(noQuery).pathname || '/';
  } catch {
    return noQuery;
  }
}

function renderTitle(v: VulnerabilityInfo, f: FindingInfo, ro: RedactOptions): string {
  const name = redactText(v.name.trim() || v.ruleKey.trim() || 'Finding', ro);
  const method = f.method.trim().toUpperCase();
  const path = f.url.trim() ? redactUrl(pathOf(f.url.trim()), ro) : '';
  const param = redactText(f.parameter.trim(), ro);
  const where = [method, path].filter((s) => s !== '').join(' ') + (param ? ` [${param}]` : '');
  return safeTitle(where ? `${name} — ${where}` : name);
}

// ---- scanner fields, cut to fit -----------------------------------------------------------------

type FieldKey =
  | 'description'
  | 'solution'
  | 'url'
  | 'method'
  | 'parameter'
  | 'attack'
  | 'evidence'
  | 'otherInfo'
  | 'requestHead'
  | 'requestBody'
  | 'responseHead'
  | 'responseBody'
  | 'references';

type Fields = Record<FieldKey, string>;
type Caps = Partial<Record<FieldKey, number>>;

const LABELS: Record<FieldKey, string> = {
  description: 'description',
  solution: 'remediation',
  url: 'URL',
  method: 'method',
  parameter: 'parameter',
  attack: 'attack',
  evidence: 'evidence',
  otherInfo: 'other info',
  requestHead: 'request headers',
  requestBody: 'request body',
  responseHead: 'response headers',
  responseBody: 'response body',
  references: 'references',
};

function headLines(line: string, headers: [string, string][]): string {
  return [line, ...headers.map(([n, v]) => `${n}: ${v}`)].filter((s) => s !== '').join('\n');
}

interface Bodies {
  request: { total: number };
  response: { total: number };
}

function collectFields(
  input: RenderIssueInput,
  ro: RedactOptions,
  maxBody: number,
): { fields: Fields; bodies: Bodies } {
  const { vulnerability: v, finding: f } = input;
  const reqBody = redactText(f.requestBody, ro);
  const resBody = redactText(f.responseBody, ro);
  const fields: Fields = {
    description: redactText(v.description, ro),
    solution: redactText(v.solution, ro),
    url: redactUrl(f.url, ro),
    method: redactText(f.method, ro),
    parameter: redactText(f.parameter, ro),
    attack: redactText(f.attack, ro),
    evidence: redactText(f.evidence, ro),
    otherInfo: redactText(f.otherInfo, ro),
    requestHead: headLines(redactText(f.requestLine, ro), redactHeaders(f.requestHeaders, ro)),
    requestBody: cutChars(reqBody, maxBody),
    responseHead: headLines(redactText(f.responseStatusLine, ro), redactHeaders(f.responseHeaders, ro)),
    responseBody: cutChars(resBody, maxBody),
    references: v.references
      .map((r) => redactUrl(r.trim(), ro))
      .filter((r) => r !== '')
      .join('\n'),
  };
  return { fields, bodies: { request: { total: reqBody.length }, response: { total: resBody.length } } };
}

// ---- Markdown pieces ----------------------------------------------------------------------------

const LIMIT_NOTE = (n: number, m: number) =>
  `_(cut at ${fmt(n)} of ${fmt(m)} characters to stay below GitLab's size limit)_`;

class Writer {
  readonly cut: FieldKey[] = [];
  constructor(
    private readonly fields: Fields,
    private readonly caps: Caps,
  ) {}

  /** The field's text under its cap, and the note to print when it was cut. */
  take(key: FieldKey): { text: string; note: string } {
    const full = this.fields[key];
    const cap = this.caps[key];
    if (cap === undefined || full.length <= cap) return { text: full, note: '' };
    const text = cutChars(full, cap);
    this.cut.push(key);
    return { text, note: LIMIT_NOTE(text.length, full.length) };
  }

  fence(key: FieldKey, heading: string, lang = 'text'): string[] {
    const { text, note } = this.take(key);
    if (text.trim() === '') return [];
    return [heading, '', codeBlock(text, lang), ...(note ? ['', note] : []), ''];
  }

  /** Scanner prose as readable, inert Markdown paragraphs. */
  prose(key: FieldKey, heading: string): string[] {
    const { text, note } = this.take(key);
    const md = neutralizePlainText(text);
    if (md === '') return [];
    return [heading, '', md, ...(note ? ['', note] : []), ''];
  }

  item(key: FieldKey, label: string): string[] {
    const { text, note } = this.take(key);
    if (text.trim() === '') return [];
    return [`- **${label}:** ${inlineCode(text)}${note ? ` ${note}` : ''}`];
  }
}

/**
 * Inline code for a table cell: GFM splits rows on `|` before it sees code spans, so `|` is written
 * `\|` (shown as `|`). A value that already holds `\|` could be split differently by another
 * parser, so there (rare) the pipe is shown as `¦` instead.
 */
function cell(text: string, max = 500): string {
  const t = cutChars(text.trim(), max);
  if (t === '') return '—';
  return /\\\|/.test(t) ? inlineCode(t.replace(/\|/g, '¦')) : inlineCode(t).replace(/\|/g, '\\|');
}

function safeLink(label: string, url: string): string {
  const u = url.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(u)) return inlineCode(u);
  const dest = u.replace(/[<>\s\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  return `[${label}](<${dest}>)`;
}

function referenceLine(ref: string): string {
  // Autolinks show the URL itself as the text; anything else is shown as code.
  if (/^https?:\/\/[^\s<>`\\]+$/i.test(ref)) {
    try {
      new URL(ref);
      return `- <${ref}>`;
    } catch {
      // not a URL after all
    }
  }
  return `- ${inlineCode(ref)}`;
}

function scanDate(scan: ScanInfo): string {
  const raw = scan.startedAt ?? scan.finishedAt ?? scan.importedAt;
  const t = Date.parse(raw);
  return Number.isNaN(t)
    ? cell(raw)
    : new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

function summaryTable(input: RenderIssueInput, ro: RedactOptions): string[] {
  const { vulnerability: v, finding: f, scan, target } = input;
  const sev = v.severity.charAt(0).toUpperCase() + v.severity.slice(1);
  const cwe =
    v.cwe !== null && Number.isInteger(v.cwe) && v.cwe > 0
      ? `[CWE-${v.cwe}](https://cwe.mitre.org/data/definitions/${v.cwe}.html)`
      : '—';
  const targetCell = `${cell(redactText(target.name, ro), 200)} ${cell(redactUrl(target.baseUrl, ro), 2048)}`;
  return [
    '| | |',
    '| --- | --- |',
    `| **Severity** | ${sev} |`,
    `| **Confidence** | ${cell(redactText(v.confidence, ro))} |`,
    `| **CWE** | ${cwe} |`,
    `| **OWASP** | ${cell(redactText(v.owasp ?? '', ro))} |`,
    `| **Target** | ${targetCell} |`,
    `| **Scan date** | ${scanDate(scan)} |`,
    `| **Finding ID** | ${cell(f.publicId, 100)} |`,
    '',
  ];
}

function looksLikeCommand(attack: string): boolean {
  return /^\s*(curl|wget|http|httpie)\s/i.test(attack);
}

function bodyNote(shown: number, total: number): string[] {
  return shown < total ? [`_(body cut at ${fmt(shown)} of ${fmt(total)} characters)_`, ''] : [];
}

function build(
  input: RenderIssueInput,
  ro: RedactOptions,
  fields: Fields,
  bodies: Bodies,
  caps: Caps,
): { text: string; cut: FieldKey[] } {
  const w = new Writer(fields, caps);
  const out: string[] = [...summaryTable(input, ro)];
  out.push(...w.prose('description', '### Description'));
  out.push(...w.prose('solution', '### Remediation'));
  const evidence = [...w.item('url', 'URL'), ...w.item('method', 'Method'), ...w.item('parameter', 'Parameter')];
  const poc = looksLikeCommand(fields.attack);
  const blocks = [
    ...w.fence('attack', poc ? '**Proof of concept**' : '**Attack / payload**', poc ? 'shell' : 'text'),
    ...w.fence('evidence', '**Evidence**'),
    ...w.fence('otherInfo', '**Other info**'),
  ];
  if (evidence.length > 0 || blocks.length > 0)
    out.push('### Evidence', '', ...(evidence.length ? [...evidence, ''] : []), ...blocks);
  for (const kind of ['request', 'response'] as const) {
    const head = w.take(kind === 'request' ? 'requestHead' : 'responseHead');
    const body = w.take(kind === 'request' ? 'requestBody' : 'responseBody');
    if (head.text.trim() === '' && body.text === '') continue;
    const text = body.text === '' ? head.text : `${head.text}\n\n${body.text}`;
    out.push(kind === 'request' ? '### HTTP request' : '### HTTP response', '', codeBlock(text, 'http'), '');
    if (head.note) out.push(head.note, '');
    out.push(...bodyNote(body.text.length, bodies[kind].total));
  }
  const refs = w.take('references');
  if (refs.text.trim() !== '') {
    out.push(
      '### References',
      '',
      ...refs.text
        .split('\n')
        .filter((r) => r.trim() !== '')
        .map(referenceLine),
      '',
    );
    if (refs.note) out.push(refs.note, '');
  }
  const truncated = input.finding.truncated.filter((s) => s.trim() !== '');
  if (truncated.length > 0)
    out.push(`_Fields shortened at import:_ ${truncated.map((s) => inlineCode(cutChars(s, 100))).join(', ')}`, '');
  out.push('---', '', safeLink('View in Vulnbridge', input.findingUrl), '');
  const marker = findingMarker(input.finding.publicId);
  if (w.cut.length > 0) {
    out.unshift(
      `> **Note:** to stay below GitLab's size limit, the largest fields were cut: ${[...new Set(w.cut)].map((k) => LABELS[k]).join(', ')}.`,
      '',
    );
  }
  out.push(marker);
  return { text: out.join('\n'), cut: w.cut };
}

/** The hidden line at the end of every issue description Vulnbridge writes, naming the finding. */
export function findingMarker(publicId: string): string {
  return `<!-- vulnbridge:finding=${publicId.replace(/[^A-Za-z0-9_.-]/g, '').replace(/-{2,}/g, '-')} -->`;
}

/** The largest cap C with sum(max(0, len − C)) ≥ excess (water-filling from the top). */
function capFor(lengths: number[], excess: number): number {
  let lo = 0;
  let hi = Math.max(0, ...lengths);
  const reduction = (c: number) => lengths.reduce((s, l) => s + Math.max(0, l - c), 0);
  if (reduction(0) < excess) return 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (reduction(mid) >= excess) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Renders the issue's title and GitLab Markdown description for one finding. */
export function renderIssue(input: RenderIssueInput, options: RenderIssueOptions): RenderedIssue {
  const ro = options.redact;
  const maxBody = Math.max(0, options.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS);
  const limit = options.maxDescriptionChars ?? DESCRIPTION_MAX_CHARS;
  const title = renderTitle(input.vulnerability, input.finding, ro);
  const { fields, bodies } = collectFields(input, ro, maxBody);
  const caps: Caps = {};
  const keys = Object.keys(fields) as FieldKey[];
  let result = build(input, ro, fields, bodies, caps);
  for (let attempt = 0; attempt < 8 && result.text.length > limit; attempt++) {
    // Fences, quote prefixes and notes cost more than the text they carry: aim a little lower.
    const excess = result.text.length - limit + 2048 * (attempt + 1);
    const lengths = keys.map((k) => Math.min(fields[k].length, caps[k] ?? Number.POSITIVE_INFINITY));
    const cap = capFor(lengths, excess);
    for (const k of keys) caps[k] = Math.min(caps[k] ?? Number.POSITIVE_INFINITY, cap);
    result = build(input, ro, fields, bodies, caps);
  }
  if (result.text.length > limit)
    throw new Error(`issue description still ${result.text.length} characters after cutting`);
  return { title, description: result.text };
}

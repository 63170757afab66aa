import { ReportBuilder } from '../builder.ts';
import { jsonPath, lineColumnAt, ReportError } from '../errors.ts';
import { parseJsonSlice, parseJsonSplit } from '../json-split.ts';
import {
  asArray,
  asString,
  findCwe,
  isoDate,
  isRecord,
  richText,
  severityFromWord,
  splitHttpMessage,
  splitReferences,
} from '../normalize.ts';
import type { ParsedReport, ReportFormat } from '../types.ts';
import type { ParserContext } from './context.ts';

/**
 * Nuclei results, one JSON object per line (`-jsonl`, and the legacy v2 `-json`) or one JSON array
 * (`-json-export`). v3 keys are kebab-case (template-id, matched-at, matcher-name, extracted-results,
 * curl-command); v2 used templateID, matched, matcher_name, extracted_results, curl_command.
 * A vulnerability is a template plus its matcher (tech-detect:nginx and tech-detect:php are different
 * detections); `request`/`response` are split into headers and body when they are HTTP, else kept whole.
 *
 * Every protocol of Nuclei v3's ResultEvent (pkg/output/output.go; `type` is one of pkg/templates/types:
 * http (also offline-http), dns, ssl, tcp (network), javascript, file, headless, code, whois, websocket)
 * is read the same way. Only HTTP-like results always carry `matched-at`; the others may lack
 * `matched-at`, `host` and `ip` (a DNS query of the root zone, a code or file template run without a
 * target). Such a result is located by what it does carry, in this order: matched-at (v2: matched), url,
 * host (with port), ip (with port), the DNS question in `request` (";; QUESTION SECTION:"), path (file
 * results), and last the template id and type (`dns:template-id`); the finding's other information says
 * where its location came from.
 *
 * Required (refused when missing): each line/element is a JSON object, and `template-id` (v2
 * `templateID`): it names the detection; without it a result cannot be grouped, told apart from others
 * at the same place or recognised in a later scan.
 * Warned when missing (counted per kind, stored with the scan): matched-at (and the location it gave),
 * info.name (the template id is shown), info.severity (read as info), info.classification.cwe-id,
 * info.description. Everything else (remediation, reference, request, response, extracted results, …)
 * is optional and not counted: most templates carry none.
 */
export function parseNucleiJsonl(ctx: ParserContext): ParsedReport {
  const state = new NucleiState('nuclei-jsonl', ctx.maxFieldBytes);
  const { buf } = ctx;
  let lineNo = 0;
  for (let from = ctx.start; from < buf.length; ) {
    const nl = buf.indexOf(10, from);
    const to = nl === -1 ? buf.length : nl;
    lineNo++;
    let s = from;
    while (s < to && (buf[s] === 32 || buf[s] === 9 || buf[s] === 13)) s++;
    if (s < to) {
      const value = parseJsonSlice(buf, s, to, 'nuclei-jsonl', `line ${lineNo}`);
      try {
        state.add(value, `$[${lineNo - 1}]`);
      } catch (e) {
        if (e instanceof ReportError && e.position.line === undefined) {
          throw new ReportError(e.format, e.reason, { ...lineColumnAt(buf, s), ...e.position });
        }
        throw e;
      }
    }
    from = to + 1;
  }
  return state.build();
}

export function parseNucleiJson(ctx: ParserContext): ParsedReport {
  const state = new NucleiState('nuclei-json', ctx.maxFieldBytes);
  const skeleton = parseJsonSplit(ctx.buf, ctx.start, 'nuclei-json', [], (value, place) =>
    state.add(value, place.path),
  );
  if (!Array.isArray(skeleton))
    throw new ReportError('nuclei-json', 'a Nuclei JSON export must be an array of results', { path: '$' });
  return state.build();
}

class NucleiState {
  readonly b: ReportBuilder;
  private first: string | undefined;
  private last: string | undefined;

  constructor(
    private readonly format: ReportFormat,
    private readonly max: number,
  ) {
    this.b = new ReportBuilder(format, max);
  }

  add(value: unknown, path: string): void {
    const format = this.format;
    if (!isRecord(value)) throw new ReportError(format, 'a Nuclei result must be a JSON object', { path });
    const templateId = asString(value['template-id'] ?? value.templateID).trim();
    if (templateId === '')
      throw new ReportError(format, 'required field "template-id" is missing', { path: jsonPath(path, 'template-id') });
    const info = isRecord(value.info) ? value.info : {};
    const matcher = asString(value['matcher-name'] ?? value.matcher_name).trim();
    const type = asString(value.type).trim().toLowerCase();
    const place = locate(value, templateId, type);
    const classification = isRecord(info.classification) ? info.classification : {};
    const named = asString(info.name).trim();
    const baseName = named || templateId;
    const severity = severityFromWord(info.severity);
    const cwe = findCwe(...asArray(classification['cwe-id']).map(asString), asString(classification['cwe-id']));
    const description = richText(info.description, this.max);
    const b = this.b;
    if (place.from !== 'matched-at')
      b.warn('no-matched-at', RESULTS, `had no matched-at (located by ${LOCATED_BY_SHORT})`);
    if (named === '') b.warn('no-name', RESULTS, 'had no template name (the template id is shown)');
    if (severity === null) b.warn('no-severity', RESULTS, 'had no known severity (read as info)');
    if (cwe === null) b.warn('no-cwe', RESULTS, 'had no CWE');
    if (description === '') b.warn('no-description', RESULTS, 'had no description');
    const v = this.b.vulnerability({
      ruleKey: matcher ? `${templateId}:${matcher}` : templateId,
      name: matcher ? `${baseName} (${matcher})` : baseName,
      severity: severity ?? 'info',
      cwe,
      description,
      solution: richText(info.remediation, this.max),
      references: references(info.reference),
    });
    const request = splitHttpMessage(asString(value.request));
    const response = splitHttpMessage(asString(value.response));
    const method =
      asString(value.fuzzing_method) || (/^[A-Z]+ /.test(request.startLine) ? request.startLine.split(' ')[0] : '');
    const extracted = asArray(value['extracted-results'] ?? value.extracted_results).map(asString);
    const url = place.url;
    const host = place.host;
    let site = this.b.siteOf(url) || this.b.siteOf(host);
    if (site === '' && host !== '') {
      this.b.addSite({ name: host, host: host.replace(/:\d+$/, ''), port: null, ssl: null });
      site = host;
    }
    this.b.addFinding(v, {
      site,
      url,
      method,
      parameter: asString(value.fuzzing_parameter),
      attack: asString(value['curl-command'] ?? value.curl_command),
      evidence: extracted.join('\n'),
      otherInfo: otherInfo(value, templateId, place),
      requestLine: request.startLine,
      requestHeaders: request.headers,
      requestBody: request.body,
      responseStatusLine: response.startLine,
      responseHeaders: response.headers,
      responseBody: response.body,
    });
    const at = isoDate(value.timestamp);
    if (at !== undefined) {
      if (this.first === undefined || at < this.first) this.first = at;
      if (this.last === undefined || at > this.last) this.last = at;
    }
  }

  build(): ParsedReport {
    return this.b.build({ tool: 'Nuclei', toolVersion: '', startedAt: this.first, finishedAt: this.last });
  }
}

function references(value: unknown): string[] {
  if (Array.isArray(value))
    return value
      .map(asString)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return splitReferences(asString(value));
}

const RESULTS: [string, string] = ['result', 'results'];
const LOCATED_BY_SHORT = 'host, ip, DNS question, path or template';

type LocatedFrom = 'matched-at' | 'url' | 'host' | 'ip' | 'dns-question' | 'path' | 'template';

const LOCATED_BY: Record<Exclude<LocatedFrom, 'matched-at'>, string> = {
  url: 'the result\'s "url" (it has no matched-at)',
  host: 'the result\'s "host" (it has no matched-at)',
  ip: 'the result\'s "ip" (it has no matched-at or host)',
  'dns-question': 'the DNS question in the result\'s "request" (it has no matched-at, host or ip)',
  path: 'the result\'s "path" (it has no matched-at, host or ip)',
  template: 'the template id and type (the result names no place: no matched-at, host, ip, DNS question or path)',
};

interface Place {
  url: string;
  /** Where the site comes from: the result's host, ip or DNS name ('' when none). */
  host: string;
  from: LocatedFrom;
}

/** Where a result was found, from the most precise field it carries (see the header). */
function locate(value: Record<string, unknown>, templateId: string, type: string): Place {
  const text = (v: unknown) => asString(v).trim();
  const port = text(value.port);
  const withPort = (h: string) => (port !== '' && !/:\d+$/.test(h) && !h.includes('://') ? `${h}:${port}` : h);
  const host = text(value.host);
  const matched = text(value['matched-at'] ?? value.matched);
  if (matched !== '') return { url: matched, host, from: 'matched-at' };
  const url = text(value.url);
  if (url !== '') return { url, host: host || url, from: 'url' };
  if (host !== '') return { url: withPort(host), host, from: 'host' };
  const ip = text(value.ip);
  if (ip !== '') return { url: withPort(ip), host: ip, from: 'ip' };
  const question = dnsQuestion(asString(value.request));
  if (question !== null) return { url: question, host: question === '.' ? '' : question, from: 'dns-question' };
  const path = text(value.path);
  if (path !== '') return { url: path, host: '', from: 'path' };
  return { url: `${type || 'nuclei'}:${templateId}`, host: '', from: 'template' };
}

/** The name asked in a dig-style DNS message (`;; QUESTION SECTION:` then `;example.com.\tIN\tA`): `example.com`, or `.` for the root zone. */
function dnsQuestion(request: string): string | null {
  const m = /;; QUESTION SECTION:\s*\r?\n;(\S+)\s+(?:IN|CH|HS|ANY)\b/i.exec(request);
  const name = m?.[1];
  if (!name) return null;
  return name === '.' ? '.' : name.replace(/\.$/, '');
}

/** The result's context in `key: value` lines (location source, type, template, IP, matcher/extractor, time). */
function otherInfo(value: Record<string, unknown>, templateId: string, place: Place): string {
  const lines: string[] = [];
  if (place.from !== 'matched-at') lines.push(`location: from ${LOCATED_BY[place.from]}`);
  lines.push(`template: ${templateId}`);
  const add = (label: string, v: unknown) => {
    const s = asString(v).trim();
    if (s !== '') lines.push(`${label}: ${s}`);
  };
  add('template path', value['template-path'] ?? value.template);
  add('type', value.type);
  add('host', value.host);
  add('ip', value.ip);
  add('port', value.port);
  add('matcher', value['matcher-name'] ?? value.matcher_name);
  add('extractor', value['extractor-name'] ?? value.extractor_name);
  add('timestamp', value.timestamp);
  return lines.join('\n');
}

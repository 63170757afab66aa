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
  const skeleton = parseJsonSplit(ctx.buf, ctx.start, 'nuclei-json', [], (value, place) => state.add(value, place.path));
  if (!Array.isArray(skeleton)) throw new ReportError('nuclei-json', 'a Nuclei JSON export must be an array of results', { path: '$' });
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
    if (templateId === '') throw new ReportError(format, 'required field "template-id" is missing', { path: jsonPath(path, 'template-id') });
    const info = isRecord(value.info) ? value.info : {};
    const matcher = asString(value['matcher-name'] ?? value.matcher_name).trim();
    const url = asString(value['matched-at'] ?? value.matched).trim() || asString(value.url ?? value.host).trim();
    if (url === '') throw new ReportError(format, 'required field "matched-at" is missing', { path: jsonPath(path, 'matched-at') });
    const classification = isRecord(info.classification) ? info.classification : {};
    const baseName = asString(info.name).trim() || templateId;
    const v = this.b.vulnerability({
      ruleKey: matcher ? `${templateId}:${matcher}` : templateId,
      name: matcher ? `${baseName} (${matcher})` : baseName,
      severity: severityFromWord(info.severity) ?? 'info',
      cwe: findCwe(...asArray(classification['cwe-id']).map(asString), asString(classification['cwe-id'])),
      description: richText(info.description, this.max),
      solution: richText(info.remediation, this.max),
      references: references(info.reference),
    });
    const request = splitHttpMessage(asString(value.request));
    const response = splitHttpMessage(asString(value.response));
    const method = asString(value.fuzzing_method) || (/^[A-Z]+ /.test(request.startLine) ? request.startLine.split(' ')[0] : '');
    const extracted = asArray(value['extracted-results'] ?? value.extracted_results).map(asString);
    const host = asString(value.host).trim();
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
      otherInfo: otherInfo(value, templateId),
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
  if (Array.isArray(value)) return value.map(asString).map((s) => s.trim()).filter((s) => s !== '');
  return splitReferences(asString(value));
}

/** The result's context in `key: value` lines (type, template, IP, matcher/extractor, time). */
function otherInfo(value: Record<string, unknown>, templateId: string): string {
  const lines: string[] = [`template: ${templateId}`];
  const add = (label: string, v: unknown) => {
    const s = asString(v).trim();
    if (s !== '') lines.push(`${label}: ${s}`);
  };
  add('template path', value['template-path'] ?? value.template);
  add('type', value.type);
  add('host', value.host);
  add('ip', value.ip);
  add('matcher', value['matcher-name'] ?? value.matcher_name);
  add('extractor', value['extractor-name'] ?? value.extractor_name);
  add('timestamp', value.timestamp);
  return lines.join('\n');
}

import { ReportBuilder } from '../builder.ts';
import { jsonPath, ReportError } from '../errors.ts';
import { parseJsonSplit } from '../json-split.ts';
import {
  asArray,
  asString,
  confidenceFromWord,
  headerListFrom,
  isoDate,
  isRecord,
  parseId,
  richText,
  severityFromWord,
} from '../normalize.ts';
import type { ParsedReport } from '../types.ts';
import type { ParserContext } from './context.ts';

/**
 * GitLab DAST report (security-report-schemas dast-report-format): { version, scan{scanner, start_time,
 * end_time}, vulnerabilities: [{ id, name|message, description, severity, confidence, solution,
 * identifiers[{type,name,value,url}], links[{url}], location{hostname,method,param,path},
 * evidence{summary, request{headers[{name,value}],method,url,body}, response{headers,reason_phrase,
 * status_code,body}} }] }. Each vulnerability entry is one finding; entries sharing their primary
 * identifier (the first that is not a CWE/WASC/OWASP/CVE reference) form one vulnerability.
 * GitLab's ZAP-based analyzer adds ZAP's own @version/site keys at the top level; they are ignored.
 */
const REFERENCE_TYPES = new Set(['cwe', 'wasc', 'owasp', 'cve']);

export function parseGitlabDast(ctx: ParserContext): ParsedReport {
  const format = 'gitlab-dast';
  const b = new ReportBuilder(format, ctx.maxFieldBytes);
  const max = ctx.maxFieldBytes;
  const skeleton = parseJsonSplit(ctx.buf, ctx.start, format, ['vulnerabilities'], (item, place) => {
    const path = place.path;
    if (!isRecord(item)) throw new ReportError(format, 'a vulnerability must be an object', { path });
    const ids = asArray(item.identifiers).filter(isRecord);
    if (ids.length === 0) throw new ReportError(format, 'required field "identifiers" is missing or empty', { path: jsonPath(path, 'identifiers') });
    if (!isRecord(item.location)) throw new ReportError(format, 'required field "location" is missing', { path: jsonPath(path, 'location') });
    const primary = ids.find((i) => !REFERENCE_TYPES.has(asString(i.type).toLowerCase())) ?? ids[0] ?? {};
    const type = asString(primary.type).toLowerCase();
    const value = asString(primary.value);
    const byType = (t: string) => ids.find((i) => asString(i.type).toLowerCase() === t);
    const owasp = asString(byType('owasp')?.value);
    const v = b.vulnerability({
      ruleKey: REFERENCE_TYPES.has(type) ? `${type}-${value}` : value || asString(primary.name),
      name: asString(item.name) || asString(item.message) || asString(primary.name),
      severity: severityFromWord(item.severity) ?? 'info',
      confidence: confidenceFromWord(item.confidence),
      cwe: parseId(byType('cwe')?.value),
      wasc: parseId(byType('wasc')?.value),
      owasp: owasp || null,
      description: richText(item.description, max),
      solution: richText(item.solution, max),
      references: asArray(item.links).filter(isRecord).map((l) => asString(l.url)).filter((u) => u !== ''),
    });
    const loc = item.location;
    const ev = isRecord(item.evidence) ? item.evidence : {};
    const req = isRecord(ev.request) ? ev.request : {};
    const res = isRecord(ev.response) ? ev.response : {};
    const hostname = asString(loc.hostname);
    const url = hostname || asString(loc.path) ? `${hostname}${asString(loc.path)}` : asString(req.url);
    const source = isRecord(ev.source) ? asString(ev.source.name) : '';
    b.addFinding(v, {
      site: b.siteOf(url),
      url,
      method: asString(loc.method) || asString(req.method),
      parameter: asString(loc.param),
      evidence: asString(ev.summary),
      otherInfo: source ? `evidence source: ${source}` : '',
      requestLine: req.method || req.url ? `${asString(req.method)} ${asString(req.url)}`.trim() : '',
      requestHeaders: headerListFrom(req.headers),
      requestBody: asString(req.body),
      responseStatusLine: res.status_code !== undefined ? `${asString(res.status_code)} ${asString(res.reason_phrase)}`.trim() : '',
      responseHeaders: headerListFrom(res.headers),
      responseBody: asString(res.body),
    });
  });
  if (!isRecord(skeleton)) throw new ReportError(format, 'the report must be a JSON object', { path: '$' });
  if (!Array.isArray(skeleton.vulnerabilities)) throw new ReportError(format, 'required field "vulnerabilities" is missing or not an array', { path: '$.vulnerabilities' });
  if (typeof skeleton.version !== 'string') throw new ReportError(format, 'required field "version" is missing', { path: '$.version' });
  const scan = isRecord(skeleton.scan) ? skeleton.scan : {};
  const scanner = isRecord(scan.scanner) ? scan.scanner : {};
  return b.build({
    tool: asString(scanner.name) || 'GitLab DAST',
    toolVersion: asString(scanner.version),
    startedAt: isoDate(scan.start_time),
    finishedAt: isoDate(scan.end_time),
  });
}

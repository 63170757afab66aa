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
 *
 * Required (refused when missing): `version` (the schema version: a document without it is not a
 * security report), `vulnerabilities` (an array), and on each entry `identifiers` (at least one: the
 * rule that groups entries and identifies a finding across scans) and `location` (the place of the
 * finding; the schema requires it).
 * Warned when missing (counted per kind, stored with the scan): severity (read as info), name (the
 * identifier's name is shown), a CWE identifier, description, solution. Everything else (confidence,
 * links, evidence, location's fields) is optional and not counted.
 */
const REFERENCE_TYPES = new Set(['cwe', 'wasc', 'owasp', 'cve']);
const ENTRIES: [string, string] = ['vulnerability', 'vulnerabilities'];

export function parseGitlabDast(ctx: ParserContext): ParsedReport {
  const format = 'gitlab-dast';
  const b = new ReportBuilder(format, ctx.maxFieldBytes);
  const max = ctx.maxFieldBytes;
  const skeleton = parseJsonSplit(ctx.buf, ctx.start, format, ['vulnerabilities'], (item, place) => {
    const path = place.path;
    if (!isRecord(item)) throw new ReportError(format, 'a vulnerability must be an object', { path });
    const ids = asArray(item.identifiers).filter(isRecord);
    if (ids.length === 0)
      throw new ReportError(format, 'required field "identifiers" is missing or empty', {
        path: jsonPath(path, 'identifiers'),
      });
    if (!isRecord(item.location))
      throw new ReportError(format, 'required field "location" is missing', { path: jsonPath(path, 'location') });
    const primary = ids.find((i) => !REFERENCE_TYPES.has(asString(i.type).toLowerCase())) ?? ids[0] ?? {};
    const type = asString(primary.type).toLowerCase();
    const value = asString(primary.value);
    const byType = (t: string) => ids.find((i) => asString(i.type).toLowerCase() === t);
    const owasp = asString(byType('owasp')?.value);
    const severity = severityFromWord(item.severity);
    const named = asString(item.name) || asString(item.message);
    const cwe = parseId(byType('cwe')?.value);
    const description = richText(item.description, max);
    const solution = richText(item.solution, max);
    if (severity === null) b.warn('no-severity', ENTRIES, 'had no known severity (read as info)');
    if (named === '') b.warn('no-name', ENTRIES, 'had no name (the identifier is shown)');
    if (cwe === null) b.warn('no-cwe', ENTRIES, 'had no CWE');
    if (description === '') b.warn('no-description', ENTRIES, 'had no description');
    if (solution === '') b.warn('no-solution', ENTRIES, 'had no solution');
    const v = b.vulnerability({
      ruleKey: REFERENCE_TYPES.has(type) ? `${type}-${value}` : value || asString(primary.name),
      name: named || asString(primary.name),
      severity: severity ?? 'info',
      confidence: confidenceFromWord(item.confidence),
      cwe,
      wasc: parseId(byType('wasc')?.value),
      owasp: owasp || null,
      description,
      solution,
      references: asArray(item.links)
        .filter(isRecord)
        .map((l) => asString(l.url))
        .filter((u) => u !== ''),
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
      responseStatusLine:
        res.status_code !== undefined ? `${asString(res.status_code)} ${asString(res.reason_phrase)}`.trim() : '',
      responseHeaders: headerListFrom(res.headers),
      responseBody: asString(res.body),
    });
  });
  if (!isRecord(skeleton)) throw new ReportError(format, 'the report must be a JSON object', { path: '$' });
  if (!Array.isArray(skeleton.vulnerabilities))
    throw new ReportError(format, 'required field "vulnerabilities" is missing or not an array', {
      path: '$.vulnerabilities',
    });
  if (typeof skeleton.version !== 'string')
    throw new ReportError(format, 'required field "version" is missing', { path: '$.version' });
  const scan = isRecord(skeleton.scan) ? skeleton.scan : {};
  const scanner = isRecord(scan.scanner) ? scan.scanner : {};
  return b.build({
    tool: asString(scanner.name) || 'GitLab DAST',
    toolVersion: asString(scanner.version),
    startedAt: isoDate(scan.start_time),
    finishedAt: isoDate(scan.end_time),
  });
}

import { ReportBuilder } from '../builder.ts';
import { jsonPath, ReportError } from '../errors.ts';
import { parseJsonSlice } from '../json-split.ts';
import { asArray, asString, findCwe, isoDate, isRecord, richText, splitHttpMessage } from '../normalize.ts';
import type { ParsedReport, Severity } from '../types.ts';
import type { ParserContext } from './context.ts';

/**
 * Wapiti JSON (wapitiCore/report/jsonreportgenerator.py): { classifications: {category: {desc, sol,
 * ref, wstg}}, vulnerabilities|anomalies|additionals: {category: [{method, path, info, level,
 * parameter, referer, module, http_request, curl_command, wstg, detail?}]}, infos: {target, date,
 * version, scope} }. A category is a vulnerability; each entry a finding. Levels: Wapiti 3 uses
 * 4 critical … 0 info (Debian's wapiti 3.0.4: wapitiCore/language/vulnerability.py, CRITICAL_LEVEL = "4"
 * … INFO_LEVEL = "0"; its real report rates SQL injection 4); Wapiti 2 used 1 high, 2 medium, 3 low. The URL is the target's origin plus the
 * request target of `http_request` (or `path`); curl_command is kept as the attack/proof of concept.
 *
 * Required (refused when missing): `vulnerabilities` (an object of categories: the report's body), each
 * category's entries as an array, and each entry's `level` (a known level: Wapiti writes it on every
 * entry, and the scan report and SLAs are ordered by severity).
 * Warned when missing (counted per kind, stored with the scan): an entry's place (no http_request, no
 * path), the category's CWE (in its classification references), its description (desc) and solution
 * (sol). Everything else is optional and not counted.
 */
const NEW_LEVELS: Record<number, Severity> = { 4: 'critical', 3: 'high', 2: 'medium', 1: 'low', 0: 'info' };
const OLD_LEVELS: Record<number, Severity> = { 1: 'high', 2: 'medium', 3: 'low' };
const SECTIONS = ['vulnerabilities', 'anomalies', 'additionals'] as const;
const FINDINGS: [string, string] = ['finding', 'findings'];

export function parseWapitiJson(ctx: ParserContext): ParsedReport {
  const format = 'wapiti-json';
  const doc = parseJsonSlice(ctx.buf, ctx.start, ctx.buf.length, format);
  if (!isRecord(doc)) throw new ReportError(format, 'a Wapiti report must be a JSON object', { path: '$' });
  if (!isRecord(doc.vulnerabilities))
    throw new ReportError(format, 'required field "vulnerabilities" is missing or not an object', {
      path: '$.vulnerabilities',
    });
  const infos = isRecord(doc.infos) ? doc.infos : {};
  const version = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(asString(infos.version));
  const old = version ? Number(version[1]) < 3 : false;
  const levels = old ? OLD_LEVELS : NEW_LEVELS;
  let origin = '';
  try {
    origin = new URL(asString(infos.target)).origin;
  } catch {
    origin = '';
  }
  const classes = isRecord(doc.classifications) ? doc.classifications : {};
  const b = new ReportBuilder(format, ctx.maxFieldBytes);
  if (origin !== '' && origin !== 'null') b.siteOf(origin);
  for (const section of SECTIONS) {
    const categories = doc[section];
    if (categories === undefined || categories === null) continue;
    if (!isRecord(categories))
      throw new ReportError(format, `"${section}" must be an object of categories`, { path: `$.${section}` });
    for (const [category, entries] of Object.entries(categories)) {
      const catPath = jsonPath(`$.${section}`, category);
      if (!Array.isArray(entries))
        throw new ReportError(format, 'a category must hold an array of findings', { path: catPath });
      const cls = isRecord(classes[category]) ? classes[category] : {};
      const refs = references(cls.ref);
      entries.forEach((entry, k) => {
        const path = jsonPath(catPath, k);
        if (!isRecord(entry)) throw new ReportError(format, 'a finding must be an object', { path });
        if (typeof entry.level !== 'number' && typeof entry.level !== 'string') {
          throw new ReportError(format, 'required field "level" is missing', { path: jsonPath(path, 'level') });
        }
        const severity = levels[Number(entry.level)];
        if (!severity)
          throw new ReportError(format, `unknown level ${JSON.stringify(entry.level)}`, {
            path: jsonPath(path, 'level'),
          });
        const wstg = [...asArray(cls.wstg), ...asArray(entry.wstg)].map(asString).filter((s) => s !== '');
        const cwe = findCwe(...refs.map((r) => r.title), ...refs.map((r) => r.url));
        const description = richText(cls.desc, ctx.maxFieldBytes);
        const solution = richText(cls.sol, ctx.maxFieldBytes);
        if (cwe === null) b.warn('no-cwe', FINDINGS, 'had no CWE');
        if (description === '') b.warn('no-description', FINDINGS, 'had no description');
        if (solution === '') b.warn('no-solution', FINDINGS, 'had no solution');
        if (asString(entry.http_request) === '' && asString(entry.path) === '')
          b.warn('no-location', FINDINGS, 'had no request or path (located at the target)');
        const v = b.vulnerability({
          ruleKey: category,
          name: category,
          severity,
          cwe,
          description,
          solution,
          references: [...refs.map((r) => r.url || r.title), ...[...new Set(wstg)].map((w) => `OWASP WSTG: ${w}`)],
        });
        const request = splitHttpMessage(asString(entry.http_request));
        const target = request.startLine.split(' ')[1] ?? '';
        const p = asString(entry.path);
        const url = /^https?:\/\//i.test(p) ? p : `${origin}${target.startsWith('/') ? target : p}`;
        const detail = isRecord(entry.detail) && isRecord(entry.detail.response) ? entry.detail.response : {};
        const referer = asString(entry.referer);
        b.addFinding(v, {
          site: b.siteOf(url),
          url,
          method: asString(entry.method),
          parameter: asString(entry.parameter),
          attack: asString(entry.curl_command),
          otherInfo: [asString(entry.info), referer ? `referer: ${referer}` : '', `module: ${asString(entry.module)}`]
            .filter((s) => s !== '' && s !== 'module: ')
            .join('\n'),
          requestLine: request.startLine,
          requestHeaders: request.headers,
          requestBody: request.body,
          responseStatusLine: detail.status_code !== undefined ? asString(detail.status_code) : '',
          responseHeaders: headersOf(detail.headers),
          responseBody: asString(detail.body),
        });
      });
    }
  }
  return b.build({
    tool: 'Wapiti',
    toolVersion: asString(infos.version).replace(/^Wapiti\s*/i, ''),
    finishedAt: isoDate(infos.date),
  });
}

/** `ref` is {title: url} in older reports and [{title, url}] in newer ones. */
function references(ref: unknown): Array<{ title: string; url: string }> {
  if (Array.isArray(ref)) return ref.filter(isRecord).map((r) => ({ title: asString(r.title), url: asString(r.url) }));
  if (isRecord(ref)) return Object.entries(ref).map(([title, url]) => ({ title, url: asString(url) }));
  return [];
}

function headersOf(value: unknown): Array<[string, string]> {
  if (Array.isArray(value)) return value.filter(Array.isArray).map((h) => [asString(h[0]), asString(h[1])]);
  if (isRecord(value)) return Object.entries(value).map(([k, v]) => [k, asString(v)]);
  return [];
}

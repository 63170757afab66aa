import { ReportBuilder } from '../builder.ts';
import { jsonPath, ReportError } from '../errors.ts';
import { parseJsonSlice } from '../json-split.ts';
import {
  asArray,
  asString,
  base64Text,
  confidenceFromWord,
  findCwe,
  headerListFrom,
  isoDate,
  isRecord,
  richText,
  severityFromScore,
  severityFromWord,
} from '../normalize.ts';
import type { ParsedReport, Severity } from '../types.ts';
import type { ParserContext } from './context.ts';

/**
 * SARIF 2.1.0: runs[] → tool.driver.rules[] (the vulnerabilities) and results[] (the findings). A
 * result names its rule by ruleIndex, ruleId or rule{id,index}; when it names none (Gitleaks 7), the
 * rule whose id/name starts its message is used, else the message itself. Severity comes from the
 * rule's `security-severity` score when present, else from the level (error/warning/note/none).
 * webRequest/webResponse (ZAP's SARIF) give method, headers and bodies. Results of kind pass or
 * notApplicable are not findings and are skipped.
 *
 * Required (refused when missing): `runs` (an array; version 2.1.0 when given), each run's tool.driver
 * (names the tool), each result's rule: ruleIndex naming a rule of the run, ruleId, rule{id,index}, or
 * failing those a message (a result that names no rule is no detection and cannot be recognised in a
 * later scan). A body's `binary` must be base64.
 * Warned when missing (counted per kind, stored with the scan): a result's location (webRequest.target,
 * physicalLocation artifact, logicalLocation: the finding then has no URL), a severity (no
 * security-severity and no level: read as medium, SARIF's default level "warning"), the rule's CWE, the
 * rule's description. Everything else is optional and not counted.
 */
type Obj = Record<string, unknown>;
const LEVEL: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };
const RESULTS: [string, string] = ['result', 'results'];

export function parseSarif(ctx: ParserContext): ParsedReport {
  const format = 'sarif';
  const doc = parseJsonSlice(ctx.buf, ctx.start, ctx.buf.length, format);
  if (!isRecord(doc)) throw new ReportError(format, 'a SARIF log must be a JSON object', { path: '$' });
  const version = asString(doc.version);
  if (version !== '' && version !== '2.1.0')
    throw new ReportError(format, `SARIF version ${JSON.stringify(version.slice(0, 20))} is not supported (2.1.0 is)`, {
      path: '$.version',
    });
  if (!Array.isArray(doc.runs))
    throw new ReportError(format, 'required field "runs" is missing or not an array', { path: '$.runs' });
  const b = new ReportBuilder(format, ctx.maxFieldBytes);
  let tool = '';
  let toolVersion = '';
  let startedAt: string | undefined;
  let finishedAt: string | undefined;
  doc.runs.forEach((run, r) => {
    const runPath = jsonPath('$.runs', r);
    if (!isRecord(run)) throw new ReportError(format, 'a run must be an object', { path: runPath });
    const driver = isRecord(run.tool) && isRecord(run.tool.driver) ? run.tool.driver : null;
    if (!driver)
      throw new ReportError(format, 'required field "tool.driver" is missing', { path: jsonPath(runPath, 'tool') });
    tool ||= asString(driver.name);
    toolVersion ||= asString(driver.version) || asString(driver.semanticVersion);
    const inv = asArray(run.invocations).find(isRecord);
    startedAt ??= isoDate(inv?.startTimeUtc);
    finishedAt ??= isoDate(inv?.endTimeUtc);
    const rules = asArray(driver.rules).map((x) => (isRecord(x) ? x : {}));
    if (run.results !== undefined && run.results !== null && !Array.isArray(run.results)) {
      throw new ReportError(format, '"results" must be an array', { path: jsonPath(runPath, 'results') });
    }
    asArray(run.results).forEach((result, k) => {
      const path = jsonPath(jsonPath(runPath, 'results'), k);
      if (!isRecord(result)) throw new ReportError(format, 'a result must be an object', { path });
      const kind = asString(result.kind);
      if (kind === 'pass' || kind === 'notApplicable') return;
      addResult(b, result, findRule(result, rules, path), ctx.maxFieldBytes, path);
    });
  });
  return b.build({ tool: tool || 'SARIF', toolVersion, startedAt, finishedAt });
}

function text(message: unknown): string {
  return isRecord(message) ? asString(message.text) || asString(message.markdown) : '';
}

function findRule(result: Obj, rules: Obj[], path: string): { rule: Obj; key: string } {
  const ref = isRecord(result.rule) ? result.rule : {};
  const index = result.ruleIndex ?? ref.index;
  const id = asString(result.ruleId) || asString(ref.id);
  if (typeof index === 'number' && index >= 0) {
    const rule = rules[index];
    if (!rule)
      throw new ReportError('sarif', `ruleIndex ${index} names no rule of the run`, {
        path: jsonPath(path, 'ruleIndex'),
      });
    return { rule, key: id || asString(rule.id) || `#${index}` };
  }
  if (id !== '') {
    const rule = rules.find((x) => x.id === id) ?? rules.find((x) => x.id === id.split('/')[0]) ?? {};
    return { rule, key: id };
  }
  const message = text(result.message).trim();
  let best: Obj | undefined;
  let bestLen = 0;
  for (const rule of rules) {
    for (const label of [asString(rule.id), asString(rule.name)]) {
      if (label.length > bestLen && message.startsWith(label)) {
        best = rule;
        bestLen = label.length;
      }
    }
  }
  if (best) return { rule: best, key: asString(best.id) || asString(best.name) };
  const key = (message.split('\n')[0] ?? '').slice(0, 200);
  if (key === '') throw new ReportError('sarif', 'the result names no rule and has no message', { path });
  return { rule: {}, key };
}

function ruleCwe(rule: Obj): number | null {
  for (const rel of asArray(rule.relationships)) {
    if (!isRecord(rel) || !isRecord(rel.target)) continue;
    const comp = isRecord(rel.target.toolComponent) ? asString(rel.target.toolComponent.name) : '';
    if (/cwe/i.test(comp)) {
      const id = findCwe(`CWE-${asString(rel.target.id)}`);
      if (id !== null) return id;
    }
  }
  const props = isRecord(rule.properties) ? rule.properties : {};
  return findCwe(...asArray(props.tags).map(asString), asString(props.cwe));
}

function severityOf(rule: Obj, result: Obj, b: ReportBuilder): Severity {
  const props = isRecord(rule.properties) ? rule.properties : {};
  const score = Number.parseFloat(asString(props['security-severity']));
  if (Number.isFinite(score)) return severityFromScore(score);
  const conf = isRecord(rule.defaultConfiguration) ? asString(rule.defaultConfiguration.level) : '';
  if (asString(result.level) === '' && conf === '')
    b.warn('no-severity', RESULTS, 'had no level or security-severity (read as medium, SARIF\'s default "warning")');
  const level = asString(result.level) || conf || 'warning';
  return LEVEL[level] ?? severityFromWord(level) ?? 'medium';
}

function addResult(b: ReportBuilder, result: Obj, found: { rule: Obj; key: string }, max: number, path: string): void {
  const { rule, key } = found;
  const props = isRecord(rule.properties) ? rule.properties : {};
  const solution = isRecord(props.solution) ? text(props.solution) : text(rule.help);
  const refs = [asString(rule.helpUri), ...asArray(props.references).map(asString)].filter((s) => s !== '');
  const cwe = ruleCwe(rule);
  const description = richText(text(rule.fullDescription) || text(rule.shortDescription), max);
  if (cwe === null) b.warn('no-cwe', RESULTS, 'had no CWE');
  if (description === '') b.warn('no-description', RESULTS, 'had no rule description');
  const v = b.vulnerability({
    ruleKey: key,
    name: asString(rule.name) || text(rule.shortDescription) || key,
    severity: severityOf(rule, result, b),
    confidence: confidenceFromWord(props.confidence),
    cwe,
    description,
    solution: richText(solution, max),
    references: [...new Set(refs)],
  });
  const loc = asArray(result.locations).find(isRecord) ?? {};
  const phys = isRecord(loc.physicalLocation) ? loc.physicalLocation : {};
  const artifact = isRecord(phys.artifactLocation) ? asString(phys.artifactLocation.uri) : '';
  const region = isRecord(phys.region) ? phys.region : {};
  const line = typeof region.startLine === 'number' ? region.startLine : null;
  const logical = asArray(loc.logicalLocations).find(isRecord);
  const req = isRecord(result.webRequest) ? result.webRequest : null;
  const res = isRecord(result.webResponse) ? result.webResponse : null;
  const isWeb = /^https?:\/\//i.test(artifact);
  const url =
    asString(req?.target) ||
    (artifact && !isWeb && line !== null ? `${artifact}#L${line}` : artifact) ||
    asString(logical?.fullyQualifiedName);
  if (url === '')
    b.warn('no-location', RESULTS, 'had no location (no web request target, artifact or logical location)');
  const locProps = isRecord(loc.properties) ? loc.properties : {};
  const resProps = isRecord(result.properties) ? result.properties : {};
  const message = text(result.message).trim();
  const ruleText = text(rule.fullDescription).trim();
  const proto = (m: Obj | null) => (m && asString(m.protocol) ? `${asString(m.protocol)}/${asString(m.version)}` : '');
  b.addFinding(v, {
    site: b.siteOf(url),
    url,
    method: asString(req?.method),
    parameter: asString(locProps.param ?? locProps.parameter ?? resProps.param),
    attack: asString(locProps.attack ?? resProps.attack),
    evidence: isRecord(region.snippet) ? asString(region.snippet.text) : '',
    // ZAP repeats the rule's description as the message: kept once, with the vulnerability.
    otherInfo: [message === ruleText ? '' : message, ...propertyLines(resProps)].filter((s) => s !== '').join('\n'),
    requestLine: req ? [asString(req.method), asString(req.target), proto(req)].filter((s) => s !== '').join(' ') : '',
    requestHeaders: headerListFrom(req?.headers),
    requestBody: bodyText(req, jsonPath(path, 'webRequest')),
    responseStatusLine: res
      ? [proto(res), asString(res.statusCode), asString(res.reasonPhrase)].filter((s) => s !== '').join(' ')
      : '',
    responseHeaders: headerListFrom(res?.headers),
    responseBody: bodyText(res, jsonPath(path, 'webResponse')),
  });
}

/** A web request's or response's body (an artifactContent): its text, else its base64 `binary` decoded. */
function bodyText(message: Obj | null, path: string): string {
  const body = message?.body;
  if (!isRecord(body)) return '';
  if (typeof body.text === 'string') return body.text;
  if (typeof body.binary !== 'string') return '';
  const decoded = base64Text(body.binary);
  if (decoded === null)
    throw new ReportError('sarif', 'the body\'s "binary" is not valid base64', {
      path: jsonPath(jsonPath(path, 'body'), 'binary'),
    });
  return decoded;
}

/** Scalar result properties as `key: value` lines (Gitleaks puts commit, author, file there). */
function propertyLines(props: Obj): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(props)) {
    if (k === 'attack' || k === 'param') continue;
    const s = asString(v);
    if (s !== '') out.push(`${k}: ${s}`);
  }
  return out;
}

import type { FindingSeed, ReportBuilder, VulnerabilitySeed } from '../builder.ts';
import { jsonPath, ReportError } from '../errors.ts';
import {
  asArray,
  asString,
  confidenceFromWord,
  isRecord,
  parseId,
  richText,
  splitHttpMessage,
  splitReferences,
} from '../normalize.ts';
import type { Confidence, ReportFormat, Severity } from '../types.ts';

/**
 * What ZAP's traditional JSON and XML reports share: an alert (alertitem) is a kind of weakness, its
 * instances are the findings. riskcode 0–3 = info/low/medium/high; confidence 0–4 = false positive/low/
 * medium/high/confirmed. desc, solution, reference and alert-level otherinfo are HTML.
 *
 * Required (refused when missing or empty), in both formats: an alert's alertRef or pluginid (the rule:
 * it groups instances and identifies a finding across scans), its riskcode (0–3; ZAP writes it on every
 * alert, and the scan report and SLAs are ordered by severity; another value is not ZAP's), and an
 * instance's uri (the place of the finding: without it there is nothing to fix or find again).
 * Warned when missing (counted per kind, stored with the scan): the alert's name (alert/name; the rule id
 * is shown), cweid (missing, 0 or -1), desc, solution. Everything else (confidence, wascid, reference,
 * tags, an instance's method, param, attack, evidence, messages) is optional and not counted.
 */
const RISK: Record<string, Severity> = { '0': 'info', '1': 'low', '2': 'medium', '3': 'high' };
const CONFIDENCE: Record<string, Confidence> = {
  '0': 'false_positive',
  '1': 'low',
  '2': 'medium',
  '3': 'high',
  '4': 'confirmed',
};

export type Fields = Record<string, unknown>;

const ALERTS: [string, string] = ['alert', 'alerts'];

/** The alert's weakness; optional fields it lacks are counted on the builder as warnings. */
export function zapVulnerability(
  alert: Fields,
  path: string,
  format: ReportFormat,
  max: number,
  b: ReportBuilder,
): VulnerabilitySeed {
  const ruleKey = asString(alert.alertRef).trim() || asString(alert.pluginid).trim();
  if (ruleKey === '') throw missing(format, path, 'pluginid');
  const name = asString(alert.name).trim() || asString(alert.alert).trim() || ruleKey;
  const risk = asString(alert.riskcode).trim();
  if (risk === '') throw missing(format, path, 'riskcode');
  const severity = RISK[risk];
  if (!severity)
    throw new ReportError(format, `riskcode must be 0, 1, 2 or 3, not ${JSON.stringify(risk.slice(0, 20))}`, {
      path: jsonPath(path, 'riskcode'),
    });
  const conf = asString(alert.confidence).trim();
  // Alert-level otherinfo describes the alert (ZAP 2.11 copies one instance's note there), so it
  // belongs with the description, not on every finding.
  const description = richText(alert.desc, max);
  const other = richText(alert.otherinfo, max);
  const cwe = parseId(alert.cweid);
  const solution = richText(alert.solution, max);
  if (name === ruleKey && asString(alert.name).trim() === '' && asString(alert.alert).trim() === '')
    b.warn('no-name', ALERTS, 'had no name (the rule id is shown)');
  if (cwe === null) b.warn('no-cwe', ALERTS, 'had no CWE');
  if (description === '') b.warn('no-description', ALERTS, 'had no description');
  if (solution === '') b.warn('no-solution', ALERTS, 'had no solution');
  return {
    ruleKey,
    name,
    severity,
    confidence: CONFIDENCE[conf] ?? confidenceFromWord(alert.confidencedesc),
    cwe,
    wasc: parseId(alert.wascid),
    owasp: owaspFromTags(alert.tags),
    description: other === '' ? description : `${description}\n\nOther information:\n${other}`.trim(),
    solution,
    references: splitReferences(asString(alert.reference)),
  };
}

/** `OWASP_2021_A03` tags (ZAP ≥ 2.12 lists them) → `A03:2021`, the most recent edition first. */
function owaspFromTags(tags: unknown): string | null {
  const names: string[] = [];
  if (isRecord(tags)) names.push(...Object.keys(tags));
  for (const t of asArray(tags)) {
    if (typeof t === 'string') names.push(t);
    else if (isRecord(t)) names.push(asString(t.tag));
  }
  let best: { year: number; cat: string } | null = null;
  for (const n of names) {
    const m = /^OWASP_(\d{4})_A(\d{1,2})$/.exec(n.trim());
    if (!m?.[1] || !m[2]) continue;
    const year = Number(m[1]);
    if (!best || year > best.year) best = { year, cat: `A${m[2].padStart(2, '0')}:${m[1]}` };
  }
  return best?.cat ?? null;
}

/** One instance (its otherinfo is plain text, kept as written). */
export function zapFinding(inst: Fields, path: string, format: ReportFormat, site: string): FindingSeed {
  const uri = inst.uri;
  if (typeof uri !== 'string' || uri === '') throw missing(format, path, 'uri');
  const reqHead = splitHttpMessage(asString(inst.requestheader ?? inst['request-header']));
  const resHead = splitHttpMessage(asString(inst.responseheader ?? inst['response-header']));
  return {
    site,
    url: uri,
    method: asString(inst.method),
    parameter: asString(inst.param),
    attack: asString(inst.attack),
    evidence: asString(inst.evidence),
    otherInfo: asString(inst.otherinfo),
    requestLine: reqHead.startLine,
    requestHeaders: reqHead.headers,
    requestBody: asString(inst.requestbody ?? inst['request-body']) || reqHead.body,
    responseStatusLine: resHead.startLine,
    responseHeaders: resHead.headers,
    responseBody: asString(inst.responsebody ?? inst['response-body']) || resHead.body,
  };
}

export function addZapSite(builder: ReportBuilder, site: Fields): string {
  const name = asString(site['@name'] ?? site.name);
  const port = parseId(site['@port'] ?? site.port);
  const ssl = asString(site['@ssl'] ?? site.ssl);
  builder.addSite({
    name,
    host: asString(site['@host'] ?? site.host),
    port,
    ssl: ssl === 'true' ? true : ssl === 'false' ? false : null,
  });
  return name;
}

export function missing(format: ReportFormat, path: string, field: string): ReportError {
  return new ReportError(format, `required field "${field}" is missing or empty`, { path: jsonPath(path, field) });
}

import { ReportBuilder } from '../builder.ts';
import { ReportError } from '../errors.ts';
import { base64Text, findCwe, richText, severityFromWord, splitHttpMessage, splitReferences } from '../normalize.ts';
import type { Confidence, ParsedReport, Severity } from '../types.ts';
import { child, childText, children, readXml, type XmlElement } from '../xml-reader.ts';
import type { ParserContext } from './context.ts';

/**
 * Burp Suite issues XML: <issues burpVersion exportTime><issue> serialNumber, type, name, host[ip],
 * path, location ("/x [q parameter]"), severity (High/Medium/Low/Information), confidence
 * (Certain/Firm/Tentative), issueBackground, remediationBackground, issueDetail, remediationDetail,
 * references, vulnerabilityClassifications (HTML), requestresponse*(request[method, base64],
 * response[base64]). Every issue is one finding; issues of the same type and severity form one
 * vulnerability. Burp's export carries an internal DTD (ELEMENT/ATTLIST only), which is accepted;
 * any entity declaration or external DTD is refused.
 *
 * Several request/response pairs: Burp gives an issue one <requestresponse> per request that showed it
 * (a reflected value, say, in the first request and in the response to a second). The issue stays ONE
 * finding: the first pair is its request/response, as before, and the pairs after it are kept in order
 * in the finding's `additionalExchanges` (stored beside it, shown under it). They are not findings of
 * their own and take no part in the fingerprint (rule, method, URL, parameter of the issue), so a
 * report imported before keeps every finding's fingerprint and public ID, and the counts stay one
 * finding per issue.
 *
 * Required (refused when missing or empty): <type> (Burp's issue type id: the rule that groups issues
 * and identifies a finding across scans), <severity> (one of Burp's words; Burp writes it on every issue,
 * and the scan report and SLAs are ordered by it), <host> (the scanned origin: without it the issue has
 * no place on any site; Burp writes it on every issue). A request or response marked base64 must be
 * base64.
 * Warned when missing (counted per kind, stored with the scan): <name> (the type id is shown), a CWE in
 * <vulnerabilityClassifications>, <issueBackground> (description), <remediationBackground> (solution),
 * and an issue with no <requestresponse> at all. Everything else is optional and not counted.
 */
const CONFIDENCE: Record<string, Confidence> = { certain: 'confirmed', firm: 'high', tentative: 'low' };

export function parseBurpXml(ctx: ParserContext): ParsedReport {
  const format = 'burp-xml';
  const b = new ReportBuilder(format, ctx.maxFieldBytes);
  const max = ctx.maxFieldBytes;
  let index = 0;
  const root = readXml(ctx.buf, ctx.start, {
    format,
    root: 'issues',
    doctype: 'declarations-only',
    isRecord: (name, ancestors) => name === 'issue' && ancestors.length === 1,
    onRecord: (issue) => {
      const path = `$.issues[${index++}]`;
      const fail = (field: string): never => {
        throw new ReportError(format, `required element <${field}> is missing or empty`, {
          line: issue.line,
          path: `${path}.${field}`,
        });
      };
      const type = childText(issue, 'type').trim() || fail('type');
      const name = childText(issue, 'name').trim();
      const sevWord = childText(issue, 'severity').trim() || fail('severity');
      const severity: Severity = severityFromWord(sevWord) ?? fail('severity');
      const host = childText(issue, 'host').trim() || fail('host');
      const pathText = childText(issue, 'path').trim();
      const location = childText(issue, 'location').trim();
      const classifications = childText(issue, 'vulnerabilityClassifications');
      const cwe = findCwe(classifications);
      const description = richText(childText(issue, 'issueBackground'), max);
      const solution = richText(childText(issue, 'remediationBackground'), max);
      const pairs = children(issue, 'requestresponse');
      if (name === '') b.warn('no-name', ISSUES, 'had no name (the issue type is shown)');
      if (cwe === null) b.warn('no-cwe', ISSUES, 'had no CWE');
      if (description === '') b.warn('no-description', ISSUES, 'had no issue background (description)');
      if (solution === '') b.warn('no-solution', ISSUES, 'had no remediation background (solution)');
      if (pairs.length === 0) b.warn('no-request', ISSUES, 'had no request/response');
      const v = b.vulnerability({
        ruleKey: type,
        name: name || type,
        severity,
        confidence: CONFIDENCE[childText(issue, 'confidence').trim().toLowerCase()] ?? 'unknown',
        cwe,
        description,
        solution,
        references: linksOf(childText(issue, 'references')),
      });
      const [first, ...more] = pairs.map((rr) => exchangeOf(rr, format));
      const reqEl = pairs[0] ? child(pairs[0], 'request') : undefined;
      const request = first?.request ?? splitHttpMessage('');
      const response = first?.response ?? splitHttpMessage('');
      const url = `${host.replace(/\/+$/, '')}${pathText || location.replace(/\s*\[[^\]]*\]\s*$/, '')}`;
      const detailItems = children(child(issue, 'issueDetailItems') ?? issue, 'issueDetailItem').map((e) =>
        e.text.trim(),
      );
      const other = [
        richText(childText(issue, 'issueDetail'), max),
        richText(childText(issue, 'remediationDetail'), max),
      ];
      b.addFinding(v, {
        site: b.siteOf(url),
        url,
        method: reqEl?.attrs.method ?? (/^[A-Z]+ /.test(request.startLine) ? request.startLine.split(' ')[0] : ''),
        parameter:
          /\[(.+?) (?:parameter|cookie|header|element|attribute|JSON parameter|XML parameter)\]\s*$/.exec(
            location,
          )?.[1] ?? '',
        evidence: detailItems.filter((t) => t !== '').join('\n'),
        otherInfo: other.filter((t) => t !== '').join('\n\n'),
        requestLine: request.startLine,
        requestHeaders: request.headers,
        requestBody: request.body,
        responseStatusLine: response.startLine,
        responseHeaders: response.headers,
        responseBody: response.body,
        additionalExchanges: more.map(({ request: rq, response: rs }) => ({
          requestLine: rq.startLine,
          requestHeaders: rq.headers,
          requestBody: rq.body,
          responseStatusLine: rs.startLine,
          responseHeaders: rs.headers,
          responseBody: rs.body,
        })),
      });
    },
  });
  return b.build({ tool: 'Burp Suite', toolVersion: root.attrs.burpVersion ?? '' });
}

const ISSUES: [string, string] = ['issue', 'issues'];

/** One <requestresponse>: its request and response split into start line, headers and body. */
function exchangeOf(rr: XmlElement, format: 'burp-xml') {
  return {
    request: splitHttpMessage(decode(child(rr, 'request'), format)),
    response: splitHttpMessage(decode(child(rr, 'response'), format)),
  };
}

/** Request/response text, base64-decoded when base64="true" (bytes that are not UTF-8 become U+FFFD). */
function decode(el: XmlElement | undefined, format: 'burp-xml'): string {
  if (!el) return '';
  if (el.attrs.base64 !== 'true') return el.text;
  const decoded = base64Text(el.text);
  if (decoded === null)
    throw new ReportError(format, 'a base64 request or response is not valid base64', { line: el.line });
  return decoded;
}

/** Burp's <references> is HTML with links: the link targets, else the text lines. */
function linksOf(html: string): string[] {
  const hrefs = [...html.matchAll(/href\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1] ?? '').filter((h) => h !== '');
  return hrefs.length > 0 ? [...new Set(hrefs)] : splitReferences(html);
}

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
        throw new ReportError(format, `required element <${field}> is missing or empty`, { line: issue.line, path: `${path}.${field}` });
      };
      const type = childText(issue, 'type').trim() || fail('type');
      const name = childText(issue, 'name').trim() || fail('name');
      const sevWord = childText(issue, 'severity').trim() || fail('severity');
      const severity: Severity = severityFromWord(sevWord) ?? fail('severity');
      const host = childText(issue, 'host').trim() || fail('host');
      const pathText = childText(issue, 'path').trim();
      const location = childText(issue, 'location').trim();
      const classifications = childText(issue, 'vulnerabilityClassifications');
      const v = b.vulnerability({
        ruleKey: type,
        name,
        severity,
        confidence: CONFIDENCE[childText(issue, 'confidence').trim().toLowerCase()] ?? 'unknown',
        cwe: findCwe(classifications),
        description: richText(childText(issue, 'issueBackground'), max),
        solution: richText(childText(issue, 'remediationBackground'), max),
        references: linksOf(childText(issue, 'references')),
      });
      const rr = children(issue, 'requestresponse')[0];
      const reqEl = rr ? child(rr, 'request') : undefined;
      const resEl = rr ? child(rr, 'response') : undefined;
      const request = splitHttpMessage(decode(reqEl, format));
      const response = splitHttpMessage(decode(resEl, format));
      const url = `${host.replace(/\/+$/, '')}${pathText || location.replace(/\s*\[[^\]]*\]\s*$/, '')}`;
      const detailItems = children(child(issue, 'issueDetailItems') ?? issue, 'issueDetailItem').map((e) => e.text.trim());
      const other = [richText(childText(issue, 'issueDetail'), max), richText(childText(issue, 'remediationDetail'), max)];
      b.addFinding(v, {
        site: b.siteOf(url),
        url,
        method: reqEl?.attrs.method ?? (/^[A-Z]+ /.test(request.startLine) ? request.startLine.split(' ')[0] : ''),
        parameter: /\[(.+?) (?:parameter|cookie|header|element|attribute|JSON parameter|XML parameter)\]\s*$/.exec(location)?.[1] ?? '',
        evidence: detailItems.filter((t) => t !== '').join('\n'),
        otherInfo: other.filter((t) => t !== '').join('\n\n'),
        requestLine: request.startLine,
        requestHeaders: request.headers,
        requestBody: request.body,
        responseStatusLine: response.startLine,
        responseHeaders: response.headers,
        responseBody: response.body,
      });
    },
  });
  return b.build({ tool: 'Burp Suite', toolVersion: root.attrs.burpVersion ?? '' });
}

/** Request/response text, base64-decoded when base64="true" (bytes that are not UTF-8 become U+FFFD). */
function decode(el: XmlElement | undefined, format: 'burp-xml'): string {
  if (!el) return '';
  if (el.attrs.base64 !== 'true') return el.text;
  const decoded = base64Text(el.text);
  if (decoded === null) throw new ReportError(format, 'a base64 request or response is not valid base64', { line: el.line });
  return decoded;
}

/** Burp's <references> is HTML with links: the link targets, else the text lines. */
function linksOf(html: string): string[] {
  const hrefs = [...html.matchAll(/href\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1] ?? '').filter((h) => h !== '');
  return hrefs.length > 0 ? [...new Set(hrefs)] : splitReferences(html);
}

import { ReportBuilder } from '../builder.ts';
import { jsonPath, ReportError } from '../errors.ts';
import { parseJsonSplit } from '../json-split.ts';
import { asArray, asString, isoDate, isRecord } from '../normalize.ts';
import type { ParsedFinding, ParsedReport } from '../types.ts';
import type { ParserContext } from './context.ts';
import { addZapSite, zapFinding, zapVulnerability } from './zap-common.ts';

/**
 * ZAP traditional JSON (`-J`, traditional-json and traditional-json-plus): { @programName?, @version,
 * @generated, site: [{ @name, @host, @port, @ssl, alerts: [{ …, instances: [...] }] }] }.
 * Alerts are parsed and mapped one at a time (json-split), so a 100 MB report never exists as one
 * parse tree; the site's name is filled in once the rest of the site has been read.
 */
export function parseZapJson(ctx: ParserContext): ParsedReport {
  const format = 'zap-json';
  const b = new ReportBuilder(format, ctx.maxFieldBytes);
  const bySite = new Map<number, ParsedFinding[]>();
  const skeleton = parseJsonSplit(ctx.buf, ctx.start, format, ['site', '*', 'alerts'], (alert, place) => {
    const alertPath = place.path;
    if (!isRecord(alert)) throw new ReportError(format, 'an alert must be an object', { path: alertPath });
    const v = b.vulnerability(zapVulnerability(alert, alertPath, format, ctx.maxFieldBytes));
    if (alert.instances !== undefined && !Array.isArray(alert.instances)) {
      throw new ReportError(format, '"instances" must be an array', { path: jsonPath(alertPath, 'instances') });
    }
    const instances = asArray(alert.instances);
    // Old ZAP versions put a single instance's fields on the alert itself.
    if (instances.length === 0 && typeof alert.uri === 'string') instances.push(alert);
    const siteIndex = place.keys[1] as number;
    const list = bySite.get(siteIndex) ?? [];
    bySite.set(siteIndex, list);
    instances.forEach((inst, k) => {
      const path = jsonPath(jsonPath(alertPath, 'instances'), k);
      if (!isRecord(inst)) throw new ReportError(format, 'an instance must be an object', { path });
      list.push(b.addFinding(v, zapFinding(inst, path, format, '')));
    });
  });
  if (!isRecord(skeleton)) throw new ReportError(format, 'the report must be a JSON object', { path: '$' });
  const sites = Array.isArray(skeleton.site) ? skeleton.site : isRecord(skeleton.site) ? [skeleton.site] : null;
  if (!sites) throw new ReportError(format, 'required field "site" is missing (not a ZAP JSON report?)', { path: '$.site' });
  sites.forEach((site, i) => {
    const sitePath = jsonPath('$.site', i);
    if (!isRecord(site)) throw new ReportError(format, 'a site must be an object', { path: sitePath });
    if (site.alerts !== undefined && !Array.isArray(site.alerts)) {
      throw new ReportError(format, '"alerts" must be an array', { path: jsonPath(sitePath, 'alerts') });
    }
    const name = addZapSite(b, site);
    for (const f of bySite.get(i) ?? []) f.site = name;
  });
  return b.build({
    tool: asString(skeleton['@programName']) || 'ZAP',
    toolVersion: asString(skeleton['@version']),
    finishedAt: isoDate(skeleton['@generated']),
  });
}

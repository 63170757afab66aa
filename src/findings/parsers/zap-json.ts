import { ReportBuilder } from '../builder.ts';
import { jsonPath, ReportError } from '../errors.ts';
import { type ElementSlice, parseJsonSlice, splitJson } from '../json-split.ts';
import { asArray, asString, isoDate, isRecord } from '../normalize.ts';
import type { ParsedReport, ReportHeader } from '../types.ts';
import type { ByteSource, ParserContext, SteppedParse } from './context.ts';
import { addZapSite, zapFinding, zapVulnerability } from './zap-common.ts';

/**
 * ZAP traditional JSON (`-J`, traditional-json and traditional-json-plus): { @programName?, @version,
 * @generated, site: [{ @name, @host, @port, @ssl, alerts: [{ …, instances: [...] }] }] }.
 * The structure of the whole file is checked and everything but the alerts (the skeleton: program,
 * version, sites) is read first; then each step parses and maps one alert, so a 100 MB report never
 * exists as one parse tree, and a streaming import can store each alert before reading the next.
 */
export function parseZapJson(ctx: ParserContext): ParsedReport {
  const b = new ReportBuilder('zap-json', ctx.maxFieldBytes);
  const parse = zapJsonSteps(ctx, b);
  while (parse.step());
  return b.build(parse.header);
}

/**
 * With `reread`, the steps read each alert back from it and keep no reference to ctx.buf, so the caller
 * can let the buffer go once this returns: then only one alert is in memory at a time.
 */
export function zapJsonSteps(ctx: ParserContext, b: ReportBuilder, reread?: ByteSource): SteppedParse {
  const split = splitJson(ctx.buf, ctx.start, 'zap-json', ZAP_SPLIT_PATH);
  return zapJsonStepsOf(split, ctx.maxFieldBytes, b, reread ? null : ctx.buf, reread);
}

export const ZAP_SPLIT_PATH = ['site', '*', 'alerts'];

/** The steps over a structural pass done already (json-split on a buffer, or json-scan-file on a file). */
export function zapJsonStepsOf(
  { skeleton, elements }: { skeleton: unknown; elements: ElementSlice[] },
  maxFieldBytes: number,
  b: ReportBuilder,
  held: Buffer | null,
  reread?: ByteSource,
): SteppedParse {
  const format = 'zap-json';
  const parseAlert = (from: number, to: number, path: string): unknown => {
    if (held) return parseJsonSlice(held, from, to, format, path);
    const source = reread as ByteSource;
    const part = source.slice(from, to);
    try {
      return parseJsonSlice(part, 0, part.length, format, path);
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      return parseJsonSlice(source.whole(), from, to, format, path);
    }
  };
  if (!isRecord(skeleton)) throw new ReportError(format, 'the report must be a JSON object', { path: '$' });
  const sites = Array.isArray(skeleton.site) ? skeleton.site : isRecord(skeleton.site) ? [skeleton.site] : null;
  if (!sites)
    throw new ReportError(format, 'required field "site" is missing (not a ZAP JSON report?)', { path: '$.site' });
  const siteNames = sites.map((site, i) => {
    const sitePath = jsonPath('$.site', i);
    if (!isRecord(site)) throw new ReportError(format, 'a site must be an object', { path: sitePath });
    if (site.alerts !== undefined && !Array.isArray(site.alerts)) {
      throw new ReportError(format, '"alerts" must be an array', { path: jsonPath(sitePath, 'alerts') });
    }
    return addZapSite(b, site);
  });
  const header: ReportHeader = b.header({
    tool: asString(skeleton['@programName']) || 'ZAP',
    toolVersion: asString(skeleton['@version']),
    ...(isoDate(skeleton['@generated']) ? { finishedAt: isoDate(skeleton['@generated']) } : {}),
  });
  let next = 0;
  const step = (): boolean => {
    const element = elements[next++];
    if (!element) return false;
    const alertPath = element.place.path;
    const alert = parseAlert(element.from, element.to, alertPath);
    if (!isRecord(alert)) throw new ReportError(format, 'an alert must be an object', { path: alertPath });
    const v = b.vulnerability(zapVulnerability(alert, alertPath, format, maxFieldBytes, b));
    if (alert.instances !== undefined && !Array.isArray(alert.instances)) {
      throw new ReportError(format, '"instances" must be an array', { path: jsonPath(alertPath, 'instances') });
    }
    const instances = asArray(alert.instances);
    // Old ZAP versions put a single instance's fields on the alert itself.
    if (instances.length === 0 && typeof alert.uri === 'string') instances.push(alert);
    const site = siteNames[element.place.keys[1] as number] ?? '';
    instances.forEach((inst, k) => {
      const path = jsonPath(jsonPath(alertPath, 'instances'), k);
      if (!isRecord(inst)) throw new ReportError(format, 'an instance must be an object', { path });
      b.addFinding(v, zapFinding(inst, path, format, site));
    });
    return true;
  };
  return { header, step, position: () => elements[next - 1]?.to ?? 0 };
}

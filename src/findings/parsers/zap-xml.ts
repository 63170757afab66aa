import { ReportBuilder } from '../builder.ts';
import { jsonPath, ReportError } from '../errors.ts';
import { isoDate } from '../normalize.ts';
import type { ParsedReport } from '../types.ts';
import { children, readXml, type XmlElement } from '../xml-reader.ts';
import type { ParserContext } from './context.ts';
import { addZapSite, type Fields, zapFinding, zapVulnerability } from './zap-common.ts';

/**
 * ZAP traditional XML (and traditional-xml-plus): <OWASPZAPReport version generated><site name host
 * port ssl><alerts><alertitem>…<instances><instance>…</instance></instances></alertitem>. Each
 * alertitem is handled as soon as it closes. Missing children read as empty. No DOCTYPE is accepted.
 */
export function parseZapXml(ctx: ParserContext): ParsedReport {
  const format = 'zap-xml';
  const b = new ReportBuilder(format, ctx.maxFieldBytes);
  let siteIndex = -1;
  let alertIndex = 0;
  let currentSite: XmlElement | undefined;
  let siteName = '';
  const root = readXml(ctx.buf, ctx.start, {
    format,
    root: 'OWASPZAPReport',
    doctype: 'refuse',
    isRecord: (name, ancestors) => {
      if (name === 'site' && ancestors.length === 1) {
        // Sites are not records (their alerts are) but are registered when they open.
        return false;
      }
      return name === 'alertitem' && ancestors.length === 3 && ancestors[2]?.name === 'alerts';
    },
    onRecord: (item, ancestors) => {
      const site = ancestors[1];
      if (site !== currentSite) {
        currentSite = site;
        siteIndex++;
        alertIndex = 0;
        siteName = addZapSite(b, site?.attrs ?? {});
      }
      const path = `$.site[${siteIndex}].alerts[${alertIndex++}]`;
      withLine(item, () => {
        const alert = fieldsOf(item);
        const v = b.vulnerability(zapVulnerability(alert, path, format, ctx.maxFieldBytes, b));
        const instancesEl = children(item, 'instances')[0];
        const instances = instancesEl ? children(instancesEl, 'instance') : [];
        if (instances.length === 0 && alert.uri !== undefined) instances.push(item);
        instances.forEach((inst, k) => {
          const instPath = jsonPath(jsonPath(path, 'instances'), k);
          withLine(inst, () => b.addFinding(v, zapFinding(fieldsOf(inst), instPath, format, siteName)));
        });
      });
    },
  });
  // Sites without alerts (an empty report) are still named in the report.
  for (const site of children(root, 'site')) addZapSite(b, site.attrs);
  return b.build({
    tool: 'ZAP',
    toolVersion: root.attrs.version ?? '',
    finishedAt: isoDate(root.attrs.generated),
  });
}

/** Child elements as a record of their texts (the first of each name). */
function fieldsOf(el: XmlElement): Fields {
  const out: Fields = {};
  for (const c of el.children) if (!(c.name in out)) out[c.name] = c.text;
  return out;
}

/** Adds the element's line to a ReportError that only knows its path. */
function withLine(el: XmlElement, run: () => void): void {
  try {
    run();
  } catch (e) {
    if (e instanceof ReportError && e.position.line === undefined) {
      throw new ReportError(e.format, e.reason, { line: el.line, ...e.position });
    }
    throw e;
  }
}

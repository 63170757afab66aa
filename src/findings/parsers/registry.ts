import type { ParsedReport, ReportFormat } from '../types.ts';
import type { ParserContext } from './context.ts';
import { parseBurpXml } from './burp-xml.ts';
import { parseGitlabDast } from './gitlab-dast.ts';
import { parseNucleiJson, parseNucleiJsonl } from './nuclei.ts';
import { parseSarif } from './sarif.ts';
import { parseWapitiJson } from './wapiti-json.ts';
import { parseZapJson } from './zap-json.ts';
import { parseZapXml } from './zap-xml.ts';

export const PARSERS: Record<ReportFormat, (ctx: ParserContext) => ParsedReport> = {
  'zap-json': parseZapJson,
  'zap-xml': parseZapXml,
  'nuclei-jsonl': parseNucleiJsonl,
  'nuclei-json': parseNucleiJson,
  sarif: parseSarif,
  'gitlab-dast': parseGitlabDast,
  'burp-xml': parseBurpXml,
  'wapiti-json': parseWapitiJson,
};

import type { ParsedReport, ReportFormat } from '../types.ts';
import type { ParserContext } from './context.ts';
import { parseZapJson } from './zap-json.ts';
import { parseZapXml } from './zap-xml.ts';

export const PARSERS: Record<ReportFormat, (ctx: ParserContext) => ParsedReport> = {
  'zap-json': parseZapJson,
  'zap-xml': parseZapXml,
  'nuclei-jsonl': notYet,
  'nuclei-json': notYet,
  sarif: notYet,
  'gitlab-dast': notYet,
  'burp-xml': notYet,
  'wapiti-json': notYet,
};

function notYet(): never {
  throw new Error('not implemented');
}

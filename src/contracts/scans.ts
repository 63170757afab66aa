import { z } from 'zod';

export const severitySchema = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export type SeverityName = z.infer<typeof severitySchema>;
const severityCounts = z.object({
  critical: z.number(),
  high: z.number(),
  medium: z.number(),
  low: z.number(),
  info: z.number(),
});

/** An optional field the report left out, counted per kind: "12 results had no CWE". */
export const scanWarningSchema = z.object({ kind: z.string(), count: z.number(), message: z.string() });
export type ScanWarning = z.infer<typeof scanWarningSchema>;

export const scanSchema = z.object({
  id: z.string(),
  targetId: z.string(),
  tool: z.string(),
  toolVersion: z.string(),
  format: z.string(),
  site: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  importedAt: z.string(),
  sourceName: z.string(),
  sourceSha256: z.string(),
  sourceBytes: z.number(),
  counts: z.object({
    vulnerabilities: z.number(),
    findings: z.number(),
    new: z.number(),
    recurring: z.number(),
    missing: z.number(),
  }),
  severityCounts,
  /** The report held no finding: not compared with the previous scan (it does not mean anything was fixed). */
  empty: z.boolean(),
  warnings: z.array(scanWarningSchema),
});
export type ScanInfo = z.infer<typeof scanSchema>;

export const vulnerabilitySchema = z.object({
  id: z.string(),
  scanId: z.string(),
  ruleKey: z.string(),
  name: z.string(),
  severity: severitySchema,
  confidence: z.string(),
  cwe: z.number().nullable(),
  wasc: z.number().nullable(),
  owasp: z.string().nullable(),
  description: z.string(),
  solution: z.string(),
  references: z.array(z.string()),
  findingCount: z.number(),
});
export type VulnerabilityInfo = z.infer<typeof vulnerabilitySchema>;

const headers = z.array(z.tuple([z.string(), z.string()]));
const exchangeSchema = z.object({
  requestLine: z.string(),
  requestHeaders: headers,
  requestBody: z.string(),
  responseStatusLine: z.string(),
  responseHeaders: headers,
  responseBody: z.string(),
});
export const findingSchema = z.object({
  id: z.string(),
  scanId: z.string(),
  vulnerabilityId: z.string(),
  publicId: z.string(),
  fingerprint: z.string(),
  site: z.string(),
  url: z.string(),
  method: z.string(),
  parameter: z.string(),
  attack: z.string(),
  evidence: z.string(),
  otherInfo: z.string(),
  requestLine: z.string(),
  requestHeaders: headers,
  requestBody: z.string(),
  responseStatusLine: z.string(),
  responseHeaders: headers,
  responseBody: z.string(),
  /** More request/response pairs of the finding after the first (a Burp issue may carry several). */
  additionalExchanges: z.array(exchangeSchema),
  truncated: z.array(z.string()),
});
export type FindingInfo = z.infer<typeof findingSchema>;

/**
 * A finding as the API answers it. Secrets in its text (the ones redacted before GitLab: Authorization,
 * Cookie, Set-Cookie, token-like headers and parameters, known token shapes) are replaced with
 * `[masked: <name>]` unless revealed; `masked` names the fields that hold such secrets (masked in the
 * values, or shown as stored when `revealed` is true). The database keeps what the scanner wrote.
 */
export const findingViewSchema = findingSchema.extend({ masked: z.array(z.string()), revealed: z.boolean() });
export type FindingView = z.infer<typeof findingViewSchema>;
export const findingEnvelopeSchema = z.object({ finding: findingViewSchema });

/** What a masked secret is replaced with: `[masked: Authorization]`. */
export function maskPlaceholder(name: string): string {
  const clean = name
    .replace(/[\][\p{Cc}]/gu, '')
    .trim()
    .slice(0, 60);
  return clean ? `[masked: ${clean}]` : '[masked]';
}
/** Finds the placeholders maskPlaceholder makes, in text. */
export const MASK_PLACEHOLDER_PATTERN = /\[masked(?:: [^\][\r\n]{1,60})?\]/g;

export const importSummarySchema = z.object({
  scanId: z.string(),
  targetId: z.string(),
  format: z.string(),
  tool: z.string(),
  vulnerabilities: z.number(),
  findings: z.number(),
  new: z.number(),
  recurring: z.number(),
  missing: z.number(),
  empty: z.boolean(),
  warnings: z.array(scanWarningSchema),
  /** Findings on other sites than the target's that were not imported. */
  leftOut: z.array(z.object({ site: z.string(), findings: z.number() })),
});
export type ImportSummaryInfo = z.infer<typeof importSummarySchema>;

export const scanReportSchema = z.object({ scan: scanSchema, vulnerabilities: z.array(vulnerabilitySchema) });
export const scanExportSchema = z.object({
  scan: scanSchema,
  vulnerabilities: z.array(vulnerabilitySchema.extend({ findings: z.array(findingSchema) })),
});
export type ScanExport = z.infer<typeof scanExportSchema>;
/** The export as the API answers it: every finding masked as in findingViewSchema. */
export const scanExportViewSchema = z.object({
  scan: scanSchema,
  vulnerabilities: z.array(vulnerabilitySchema.extend({ findings: z.array(findingViewSchema) })),
});

/** What an upload does with a report of several sites: the target's site only, all into the target, or one scan per site. */
export const sitesModeSchema = z.enum(['target', 'all', 'split']);

export const pageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

import { z } from 'zod';

export const severitySchema = z.enum(['critical', 'high', 'medium', 'low', 'info']);
export type SeverityName = z.infer<typeof severitySchema>;
const severityCounts = z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number(), info: z.number() });

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
  counts: z.object({ vulnerabilities: z.number(), findings: z.number(), new: z.number(), recurring: z.number(), missing: z.number() }),
  severityCounts,
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
  truncated: z.array(z.string()),
});
export type FindingInfo = z.infer<typeof findingSchema>;

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
});
export type ImportSummaryInfo = z.infer<typeof importSummarySchema>;

export const scanReportSchema = z.object({ scan: scanSchema, vulnerabilities: z.array(vulnerabilitySchema) });
export const scanExportSchema = z.object({ scan: scanSchema, vulnerabilities: z.array(vulnerabilitySchema.extend({ findings: z.array(findingSchema) })) });
export type ScanExport = z.infer<typeof scanExportSchema>;

export const pageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

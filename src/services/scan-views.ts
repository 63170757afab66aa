// Rows → API shapes for scans, vulnerabilities and findings, and the full export of a scan.
import type { Kysely } from 'kysely';
import type { FindingInfo, ScanExport, ScanInfo, SeverityName, VulnerabilityInfo } from '../contracts/index.ts';
import type { Database, FindingRow, Scan, VulnerabilityRow } from '../db/index.ts';
import { getScanRow, listFindingRows, listVulnerabilityRows } from './scans.ts';

export const toScanInfo = (s: Scan): ScanInfo => ({
  id: s.id,
  targetId: s.target_id,
  tool: s.tool,
  toolVersion: s.tool_version,
  format: s.format,
  site: s.site,
  startedAt: s.started_at,
  finishedAt: s.finished_at,
  importedAt: s.imported_at,
  sourceName: s.source_name,
  sourceSha256: s.source_sha256,
  sourceBytes: Number(s.source_bytes),
  counts: {
    vulnerabilities: Number(s.vulnerability_count),
    findings: Number(s.finding_count),
    new: Number(s.new_count),
    recurring: Number(s.recurring_count),
    missing: Number(s.missing_count),
  },
  severityCounts: JSON.parse(s.severity_counts),
  empty: Number(s.empty) === 1,
  warnings: JSON.parse(s.warnings),
});

export const toVulnerabilityInfo = (v: VulnerabilityRow): VulnerabilityInfo => ({
  id: v.id,
  scanId: v.scan_id,
  ruleKey: v.rule_key,
  name: v.name,
  severity: v.severity as SeverityName,
  confidence: v.confidence,
  cwe: v.cwe === null ? null : Number(v.cwe),
  wasc: v.wasc === null ? null : Number(v.wasc),
  owasp: v.owasp,
  description: v.description,
  solution: v.solution,
  references: JSON.parse(v.references),
  findingCount: Number(v.finding_count),
});

export const toFindingInfo = (f: FindingRow): FindingInfo => ({
  id: f.id,
  scanId: f.scan_id,
  vulnerabilityId: f.vulnerability_id,
  publicId: f.public_id,
  fingerprint: f.fingerprint,
  site: f.site,
  url: f.url,
  method: f.method,
  parameter: f.parameter,
  attack: f.attack,
  evidence: f.evidence,
  otherInfo: f.other_info,
  requestLine: f.request_line,
  requestHeaders: JSON.parse(f.request_headers),
  requestBody: f.request_body,
  responseStatusLine: f.response_status_line,
  responseHeaders: JSON.parse(f.response_headers),
  responseBody: f.response_body,
  additionalExchanges: JSON.parse(f.additional_exchanges),
  truncated: JSON.parse(f.truncated),
});

const SEVERITY_ORDER: Record<SeverityName, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** A scan report: the scan and its vulnerabilities, most severe first (report order within a severity). */
export async function getScanReport(db: Kysely<Database>, organizationId: string, scanId: string) {
  const scan = toScanInfo(await getScanRow(db, organizationId, scanId));
  const vulnerabilities = (await listVulnerabilityRows(db, organizationId, scanId)).map(toVulnerabilityInfo);
  vulnerabilities.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { scan, vulnerabilities };
}

/** The whole normalised scan: every vulnerability with every finding and all their fields. */
export async function exportScan(db: Kysely<Database>, organizationId: string, scanId: string): Promise<ScanExport> {
  const { scan, vulnerabilities } = await getScanReport(db, organizationId, scanId);
  const byVulnerability = new Map<string, FindingInfo[]>(vulnerabilities.map((v) => [v.id, []]));
  const pageSize = 5000;
  for (let offset = 0; ; offset += pageSize) {
    const rows = await listFindingRows(db, organizationId, { scanId }, { offset, limit: pageSize });
    for (const row of rows) byVulnerability.get(row.vulnerability_id)?.push(toFindingInfo(row));
    if (rows.length < pageSize) break;
  }
  return { scan, vulnerabilities: vulnerabilities.map((v) => ({ ...v, findings: byVulnerability.get(v.id) ?? [] })) };
}

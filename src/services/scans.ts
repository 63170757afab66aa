// Scans: import a report file into one or more targets, and read scan reports back.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import { baseUrlSchema } from '../contracts/index.ts';
import type { Db } from '../db/index.ts';
import type { Database, FindingRow, Scan, VulnerabilityRow } from '../db/tables.ts';
import { type ImportSummary, importParsedReport } from '../findings/import-report.ts';
import { type ParsedReport, parseReportBytes, ReportError, type ReportFormat } from '../findings/index.ts';
import { DomainError, notFound } from '../lib/errors.ts';
import { recordAudit } from './audit.ts';
import { createTarget, toTargetInfo } from './targets.ts';

export type TargetRef = { id: string } | { url: string; name?: string };

export interface ImportRequest {
  organizationId: string;
  actorUserId: string | null;
  target: TargetRef;
  file: { path: string; name?: string } | { bytes: Buffer; name: string };
  format?: ReportFormat;
  /** A report naming several sites: one scan per site's target (created when new). */
  splitSites?: boolean;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** The sites of a report that hold findings, by origin. */
function sitesWithFindings(report: ParsedReport): string[] {
  const sites = new Set<string>();
  for (const v of report.vulnerabilities) for (const f of v.findings) sites.add(f.site);
  return [...sites];
}

async function resolveTarget(db: Kysely<Database>, organizationId: string, actorUserId: string | null, ref: TargetRef) {
  if ('id' in ref) {
    const row = await db.selectFrom('targets').selectAll().where('organization_id', '=', organizationId).where('id', '=', ref.id).executeTakeFirst();
    if (!row) throw notFound('target');
    return toTargetInfo(row);
  }
  const parsed = baseUrlSchema.safeParse(ref.url);
  if (!parsed.success) throw new DomainError('invalid_request', `the target ${JSON.stringify(ref.url)} is neither a target id nor an http(s) URL`);
  const row = await db.selectFrom('targets').selectAll().where('organization_id', '=', organizationId).where('base_url', '=', parsed.data).executeTakeFirst();
  if (row) return toTargetInfo(row);
  return createTarget(db, { organizationId, userId: actorUserId }, { name: ref.name ?? new URL(parsed.data).host, baseUrl: parsed.data });
}

export async function importReport(db: Db, request: ImportRequest): Promise<ImportSummary[]> {
  const bytes = 'bytes' in request.file ? request.file.bytes : await readFile(request.file.path);
  const sourceName = request.file.name ?? ('path' in request.file ? basename(request.file.path) : 'report');
  let report: ParsedReport;
  try {
    report = parseReportBytes(bytes, request.format ? { format: request.format } : {});
  } catch (error) {
    if (error instanceof ReportError) throw new DomainError('invalid_report', error.message);
    throw error;
  }
  const source = { name: sourceName, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  const sites = sitesWithFindings(report);
  const plan: { target: TargetRef; site?: string }[] = [];
  if (sites.length <= 1) {
    plan.push({ target: request.target });
  } else if (request.splitSites) {
    for (const site of sites) {
      const origin = originOf(site);
      if (!origin) throw new DomainError('invalid_report', `the report's site ${JSON.stringify(site)} is not a URL, so it cannot become a target`);
      plan.push({ target: { url: origin }, site });
    }
  } else {
    throw new DomainError(
      'invalid_report',
      `the report holds findings for ${sites.length} sites (${sites.slice(0, 5).join(', ')}${sites.length > 5 ? ', …' : ''}) but names one target; import it with "split sites" (CLI --split-sites) to make one scan per site's target`,
    );
  }
  const results: ImportSummary[] = [];
  for (const step of plan) {
    const target = await resolveTarget(db.kysely, request.organizationId, request.actorUserId, step.target);
    const summary = await importParsedReport(db, { organizationId: request.organizationId, actorUserId: request.actorUserId, targetId: target.id, report, source, ...(step.site === undefined ? {} : { site: step.site }) });
    await recordAudit(db.kysely, { organizationId: request.organizationId, actorUserId: request.actorUserId, action: 'scan.imported', subjectType: 'scan', subjectId: summary.scanId, details: { format: summary.format, findings: summary.findings, source: source.name } });
    results.push(summary);
  }
  return results;
}

export async function getScanRow(db: Kysely<Database>, organizationId: string, scanId: string): Promise<Scan> {
  const scan = await db.selectFrom('scans').selectAll().where('organization_id', '=', organizationId).where('id', '=', scanId).executeTakeFirst();
  if (!scan) throw notFound('scan');
  return scan;
}

export async function listScanRows(db: Kysely<Database>, organizationId: string, targetId?: string): Promise<Scan[]> {
  let query = db.selectFrom('scans').selectAll().where('organization_id', '=', organizationId);
  if (targetId) query = query.where('target_id', '=', targetId);
  return query.orderBy('imported_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

export async function listVulnerabilityRows(db: Kysely<Database>, organizationId: string, scanId: string): Promise<VulnerabilityRow[]> {
  return db.selectFrom('vulnerabilities').selectAll().where('organization_id', '=', organizationId).where('scan_id', '=', scanId).orderBy('position').execute();
}

export async function listFindingRows(db: Kysely<Database>, organizationId: string, where: { scanId?: string; vulnerabilityId?: string }, page: { offset: number; limit: number }): Promise<FindingRow[]> {
  let query = db.selectFrom('findings').selectAll().where('organization_id', '=', organizationId);
  if (where.scanId) query = query.where('scan_id', '=', where.scanId);
  if (where.vulnerabilityId) query = query.where('vulnerability_id', '=', where.vulnerabilityId);
  return query.orderBy('vulnerability_id').orderBy('position').offset(page.offset).limit(page.limit).execute();
}

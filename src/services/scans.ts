// Scans: import a report file into one or more targets, and read scan reports back.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { baseUrlSchema } from '../contracts/index.ts';
import { bulkWrite, type Db, newId, nowIso } from '../db/index.ts';
import type { Database, FindingRow, Scan, Target, VulnerabilityRow } from '../db/tables.ts';
import { type ImportProgress, type ImportSummary, MultipleSitesError, type StreamImportInput, storeReport } from '../findings/import-report.ts';
import { type AsyncFileReportStream, type FileReportStream, openReportFile, openReportFileInWorker, openReportStream, type ParsedReport, parseReportBytes, ReportError, type ReportFormat, streamOfReport } from '../findings/index.ts';
import { DomainError, notFound } from '../lib/errors.ts';
import { recordAudit } from './audit.ts';
import { toTargetInfo } from './targets.ts';

export type TargetRef = { id: string } | { url: string; name?: string };

export interface ImportRequest {
  organizationId: string;
  actorUserId: string | null;
  target: TargetRef;
  file: { path: string; name?: string } | { bytes: Buffer; name: string };
  format?: ReportFormat;
  /** A report naming several sites: one scan per site's target (created when new). */
  splitSites?: boolean;
  /**
   * Parse a report file on a worker thread while storing (default: for files of WORKER_MIN_BYTES and
   * more, where the overlap pays for the thread's start-up).
   */
  parseInWorker?: boolean;
  /** Follows the import: the read through the file (its structure checked), then the storing. */
  onProgress?: (progress: ImportProgress) => void;
}

/** From this size on, a report file is parsed on a worker thread (starting one costs ~0.1 s). */
export const WORKER_MIN_BYTES = 8 * 2 ** 20;

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

/** The target, created when new: inside the import's transaction, so a refused report leaves none behind. */
async function resolveTarget(trx: Transaction<Database>, organizationId: string, actorUserId: string | null, ref: TargetRef) {
  if ('id' in ref) {
    const row = await trx.selectFrom('targets').selectAll().where('organization_id', '=', organizationId).where('id', '=', ref.id).executeTakeFirst();
    if (!row) throw notFound('target');
    return toTargetInfo(row);
  }
  const parsed = baseUrlSchema.safeParse(ref.url);
  if (!parsed.success) throw new DomainError('invalid_request', `the target ${JSON.stringify(ref.url)} is neither a target id nor an http(s) URL`);
  const existing = await trx.selectFrom('targets').selectAll().where('organization_id', '=', organizationId).where('base_url', '=', parsed.data).executeTakeFirst();
  if (existing) return toTargetInfo(existing);
  // As createTarget does, but in this transaction (Kysely has no nested transactions).
  const now = nowIso();
  const row: Target = { id: newId(), organization_id: organizationId, name: ref.name ?? new URL(parsed.data).host, base_url: parsed.data, created_at: now, updated_at: now };
  await trx.insertInto('targets').values(row).execute();
  await recordAudit(trx, { organizationId, actorUserId, action: 'target.created', subjectType: 'target', subjectId: row.id, details: { name: row.name, baseUrl: row.base_url } });
  return toTargetInfo(row);
}

function asInvalidReport<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ReportError) throw new DomainError('invalid_report', error.message);
    throw error;
  }
}

/**
 * Imports a report file. The common case, a report of one site, streams: the file's structure is
 * checked first, then each piece (a ZAP alert) is parsed and stored before the next (for a large file,
 * parsed on a worker thread while the pieces before it are stored), all in one transaction that a bad
 * piece rolls back. A report with findings on several sites is parsed whole
 * and refused, or with splitSites stored as one scan per site's target (one transaction for all).
 */
export async function importReport(db: Db, request: ImportRequest): Promise<ImportSummary[]> {
  const sourceName = request.file.name ?? ('path' in request.file ? basename(request.file.path) : 'report');
  const options = request.format ? { format: request.format } : {};
  const { organizationId, actorUserId } = request;
  let source = { name: sourceName, sha256: '', bytes: 0 };
  const store = async (trx: Transaction<Database>, ref: TargetRef, part: Pick<StreamImportInput, 'stream' | 'site' | 'singleSite'>) => {
    const target = await resolveTarget(trx, organizationId, actorUserId, ref);
    const summary = await storeReport(trx, {
      organizationId,
      actorUserId,
      targetId: target.id,
      source,
      ...part,
      ...(db.sqlite ? { sqlite: db.sqlite } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    await recordAudit(trx, { organizationId, actorUserId, action: 'scan.imported', subjectType: 'scan', subjectId: summary.scanId, details: { format: summary.format, findings: summary.findings, source: source.name } });
    return summary;
  };
  let stream: FileReportStream | AsyncFileReportStream | null = null;
  try {
    if ('path' in request.file) {
      const { path } = request.file;
      const inWorker = request.parseInWorker ?? (await stat(path).then((s) => s.size >= WORKER_MIN_BYTES).catch(() => false));
      const size = request.onProgress ? (await stat(path).catch(() => null))?.size ?? 0 : 0;
      const onRead = request.onProgress && ((bytes: number) => request.onProgress?.({ phase: 'reading', bytes, totalBytes: size, findings: 0 }));
      stream = await (inWorker ? openReportFileInWorker(path, options, onRead) : openReportFile(path, options, onRead));
      source = { ...source, sha256: stream.sha256, bytes: stream.bytes };
    } else {
      const { bytes } = request.file;
      source = { ...source, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    }
    const single = stream ?? openReportStream('bytes' in request.file ? request.file.bytes : Buffer.alloc(0), options);
    return [await bulkWrite(db.sqlite, () => db.kysely.transaction().execute((trx) => store(trx, request.target, { stream: single, singleSite: true })))];
  } catch (error) {
    if (error instanceof ReportError) throw new DomainError('invalid_report', error.message);
    if (!(error instanceof MultipleSitesError)) throw error;
  } finally {
    await stream?.close();
  }
  // Findings of several sites (rare, and small reports in practice): parsed whole to name them all.
  const bytes = 'bytes' in request.file ? request.file.bytes : await readFile(request.file.path);
  const report = asInvalidReport(() => parseReportBytes(bytes, options));
  const sites = sitesWithFindings(report);
  if (!request.splitSites) {
    throw new DomainError(
      'invalid_report',
      `the report holds findings for ${sites.length} sites (${sites.slice(0, 5).join(', ')}${sites.length > 5 ? ', …' : ''}) but names one target; import it with "split sites" (CLI --split-sites) to make one scan per site's target`,
    );
  }
  const plan = sites.map((site) => {
    const origin = originOf(site);
    if (!origin) throw new DomainError('invalid_report', `the report's site ${JSON.stringify(site)} is not a URL, so it cannot become a target`);
    return { target: { url: origin }, site };
  });
  return db.kysely.transaction().execute(async (trx) => {
    const results: ImportSummary[] = [];
    for (const step of plan) results.push(await store(trx, step.target, { stream: streamOfReport(report), site: step.site }));
    return results;
  });
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
export type { ImportProgress } from '../findings/import-report.ts';

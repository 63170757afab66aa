// Import a report file into one or more targets (upload, API, CLI): detect and check the format, choose
// the sites (the target's, all, or one scan per site), and store each scan atomically (import-report).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { baseUrlSchema } from '../contracts/index.ts';
import { bulkWrite, type Database, type Db, newId, nowIso, type Target } from '../db/index.ts';
import {
  type AsyncFileReportStream,
  type FileReportStream,
  groupSites,
  openReportFile,
  openReportFileInWorker,
  openReportStream,
  type ParsedReport,
  parseReportBytes,
  preferredSiteName,
  ReportError,
  type ReportFormat,
  siteKey,
  streamOfReport,
} from '../findings/index.ts';
import { DomainError, notFound } from '../lib/index.ts';
import { toTargetInfo } from '../services/index.ts';
import type { TargetInfo } from '../contracts/index.ts';
import {
  type ImportProgress,
  type ImportSummary,
  type LeftOutSite,
  MultipleSitesError,
  type StreamImportInput,
  storeReport,
} from './import-report.ts';

export type TargetRef = { id: string } | { url: string; name?: string };

export interface ImportRequest {
  organizationId: string;
  actorUserId: string | null;
  target: TargetRef;
  file: { path: string; name?: string } | { bytes: Buffer; name: string };
  format?: ReportFormat;
  /**
   * A report with findings on several sites (spellings of one host such as http://h, https://h and
   * h:443 are one site): 'target' (the default) imports the findings on the target's site and leaves
   * the others out (saying how many, on which sites); 'all' imports every finding into the target;
   * 'split' makes one scan per site's target (created when new).
   */
  sites?: SitesMode;
  /** The same as sites: 'split'. */
  splitSites?: boolean;
  /**
   * Parse a report file on a worker thread while storing (default: for files of WORKER_MIN_BYTES and
   * more, where the overlap pays for the thread's start-up).
   */
  parseInWorker?: boolean;
  /** Follows the import: the read through the file (its structure checked), then the storing. */
  onProgress?: (progress: ImportProgress) => void;
}

export const SITES_MODES = ['target', 'all', 'split'] as const;
export type SitesMode = (typeof SITES_MODES)[number];

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

/** How many findings the report holds on each site name ('' for findings placed on no site), in report order. */
function findingsPerSite(report: ParsedReport): Map<string, number> {
  const sites = new Map<string, number>();
  for (const v of report.vulnerabilities) for (const f of v.findings) sites.set(f.site, (sites.get(f.site) ?? 0) + 1);
  return sites;
}

/** The target, created when new: inside the import's transaction, so a refused report leaves none behind. */
async function resolveTarget(
  trx: Transaction<Database>,
  organizationId: string,
  actorUserId: string | null,
  ref: TargetRef,
) {
  if ('id' in ref) {
    const row = await trx
      .selectFrom('targets')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', ref.id)
      .executeTakeFirst();
    if (!row) throw notFound('target');
    return toTargetInfo(row);
  }
  const parsed = baseUrlSchema.safeParse(ref.url);
  if (!parsed.success)
    throw new DomainError(
      'invalid_request',
      `the target ${JSON.stringify(ref.url)} is neither a target id nor an http(s) URL`,
    );
  const existing = await trx
    .selectFrom('targets')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('base_url', '=', parsed.data)
    .executeTakeFirst();
  if (existing) return toTargetInfo(existing);
  // As createTarget does, but in this transaction (Kysely has no nested transactions).
  const now = nowIso();
  const row: Target = {
    id: newId(),
    organization_id: organizationId,
    name: ref.name ?? new URL(parsed.data).host,
    base_url: parsed.data,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('targets').values(row).execute();
  await recordAudit(trx, {
    organizationId,
    actorUserId,
    action: 'target.created',
    subjectType: 'target',
    subjectId: row.id,
    details: { name: row.name, baseUrl: row.base_url },
  });
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
 * piece rolls back. A report with findings on several sites is parsed whole and, as `sites` says, cut
 * to the target's site (refused when none of its sites is the target's), or stored as one scan per
 * site's target (one transaction for all). With sites 'all' every finding streams into the target.
 */
export async function importReport(db: Db, request: ImportRequest): Promise<ImportSummary[]> {
  const sourceName = request.file.name ?? ('path' in request.file ? basename(request.file.path) : 'report');
  const options = request.format ? { format: request.format } : {};
  const mode: SitesMode = request.sites ?? (request.splitSites ? 'split' : 'target');
  const { organizationId, actorUserId } = request;
  let source = { name: sourceName, sha256: '', bytes: 0 };
  type Part = Pick<StreamImportInput, 'stream' | 'sites' | 'singleSite' | 'siteName' | 'leftOut'>;
  const store = async (trx: Transaction<Database>, ref: TargetRef | TargetInfo, part: Part) => {
    const target = 'baseUrl' in ref ? ref : await resolveTarget(trx, organizationId, actorUserId, ref);
    const summary = await storeReport(trx, {
      organizationId,
      actorUserId,
      targetId: target.id,
      source,
      ...part,
      ...(db.sqlite ? { sqlite: db.sqlite } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    await recordAudit(trx, {
      organizationId,
      actorUserId,
      action: 'scan.imported',
      subjectType: 'scan',
      subjectId: summary.scanId,
      details: {
        format: summary.format,
        findings: summary.findings,
        source: source.name,
        ...(summary.empty ? { empty: true } : {}),
        ...(summary.leftOut.length > 0 ? { leftOut: summary.leftOut } : {}),
      },
    });
    return summary;
  };
  let stream: FileReportStream | AsyncFileReportStream | null = null;
  try {
    if ('path' in request.file) {
      const { path } = request.file;
      const inWorker =
        request.parseInWorker ??
        (await stat(path)
          .then((s) => s.size >= WORKER_MIN_BYTES)
          .catch(() => false));
      const size = request.onProgress ? ((await stat(path).catch(() => null))?.size ?? 0) : 0;
      const onRead =
        request.onProgress &&
        ((bytes: number) => request.onProgress?.({ phase: 'reading', bytes, totalBytes: size, findings: 0 }));
      stream = await (inWorker ? openReportFileInWorker(path, options, onRead) : openReportFile(path, options, onRead));
      source = { ...source, sha256: stream.sha256, bytes: stream.bytes };
    } else {
      const { bytes } = request.file;
      source = { ...source, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    }
    const single = stream ?? openReportStream('bytes' in request.file ? request.file.bytes : Buffer.alloc(0), options);
    return [
      await bulkWrite(db.sqlite, () =>
        db.kysely
          .transaction()
          .execute((trx) => store(trx, request.target, { stream: single, singleSite: mode !== 'all' })),
      ),
    ];
  } catch (error) {
    if (error instanceof ReportError) throw new DomainError('invalid_report', error.message);
    if (!(error instanceof MultipleSitesError)) throw error;
  } finally {
    await stream?.close();
  }
  // Findings of several sites (rare, and small reports in practice): parsed whole to name them all.
  const bytes = 'bytes' in request.file ? request.file.bytes : await readFile(request.file.path);
  const report = asInvalidReport(() => parseReportBytes(bytes, options));
  const perSite = findingsPerSite(report);
  const groups = [...groupSites(perSite.keys())].map(([key, names]) => ({
    key,
    names,
    name: preferredSiteName(names),
    findings: names.reduce((n, s) => n + (perSite.get(s) ?? 0), 0),
  }));
  const named = groups.map((g) => g.name);
  const list = `${groups.length} sites (${named.slice(0, 5).join(', ')}${named.length > 5 ? ', …' : ''})`;
  if (mode === 'split') {
    const plan = groups.map((group, i) => {
      const origin = originOf(group.name);
      if (!origin)
        throw new DomainError(
          'invalid_report',
          `the report's site ${JSON.stringify(group.name)} is not a URL, so it cannot become a target`,
        );
      // Findings placed on no site go with the first site's scan.
      return {
        target: { url: origin },
        sites: new Set(i === 0 ? [...group.names, ''] : group.names),
        siteName: group.name,
      };
    });
    return db.kysely.transaction().execute(async (trx) => {
      const results: ImportSummary[] = [];
      for (const step of plan)
        results.push(
          await store(trx, step.target, { stream: streamOfReport(report), sites: step.sites, siteName: step.siteName }),
        );
      return results;
    });
  }
  return db.kysely.transaction().execute(async (trx) => {
    const target = await resolveTarget(trx, organizationId, actorUserId, request.target);
    const own = groups.find((g) => g.key === siteKey(target.baseUrl));
    if (!own) {
      throw new DomainError(
        'invalid_report',
        `the report holds findings for ${list} and none of them is the target's site (${target.baseUrl}); import it with "all into this target" (CLI --all-sites) or "one scan per site" (CLI --split-sites)`,
      );
    }
    const leftOut: LeftOutSite[] = groups.filter((g) => g !== own).map((g) => ({ site: g.name, findings: g.findings }));
    return [
      await store(trx, target, {
        stream: streamOfReport(report),
        sites: new Set([...own.names, '']),
        siteName: own.name,
        leftOut,
      }),
    ];
  });
}

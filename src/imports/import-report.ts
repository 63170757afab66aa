// Store a report as one scan of a target, atomically: the scan, its vulnerabilities and findings, and
// each finding's identity across scans (target, fingerprint) → public ID. Also counts, against the
// target's previous scan, how many findings are new, recurring and missing.
//
// The report comes as a ReportStream and is stored piece by piece (a ZAP JSON report alert by alert),
// so the whole model never exists in memory. Atomicity comes from the caller's transaction: every
// error (a ReportError from a later piece included) propagates and rolls the transaction back.
import type SQLite from 'better-sqlite3';
import type { Transaction } from 'kysely';
import { type Database, type Db, type FindingsTable, nowIso, type VulnerabilitiesTable } from '../db/index.ts';
import { IdPool } from './import-identities.ts';
import { importWriter, type PendingFinding } from './import-writers.ts';
import {
  type DrainedPart,
  groupSites,
  type PackedFinding,
  type PackedPart,
  packFinding,
  type ParsedReport,
  type ParsedVulnerability,
  type ParseWarning,
  preferredSiteName,
  type ReportHeader,
  SEVERITIES,
  type Severity,
  streamOfReport,
} from '../findings/index.ts';

/** Positions in a PackedFinding. */
const FINGERPRINT = 0;
const SITE = 1;

/** A ReportStream, or one whose pieces come from a parser thread (report-worker-stream.ts), packed. */
export interface ImportStream {
  readonly header: ReportHeader;
  next(): Array<DrainedPart | PackedPart> | null | Promise<Array<DrainedPart | PackedPart> | null>;
  /** Bytes of the report that the pieces handed out so far cover; absent when it comes in one piece. */
  position?(): number;
  /** The report's warnings, complete once next() has returned null. */
  warnings?(): ParseWarning[];
}

/** How far an import has come: `bytes` of the report's `totalBytes` are stored (an estimate within a piece). */
export interface ImportProgress {
  phase: 'reading' | 'storing';
  bytes: number;
  totalBytes: number;
  findings: number;
}

export interface ImportSource {
  name: string;
  sha256: string;
  bytes: number;
}

interface ImportBase {
  organizationId: string;
  actorUserId: string | null;
  targetId: string;
  source: ImportSource;
  /**
   * Keep only the findings on these sites (names as the findings carry them; '' for findings placed on
   * no site): a report of several sites is split, or cut to its target's site, by the caller.
   */
  sites?: ReadonlySet<string>;
  /** The scan's site name, when the caller knows it better than the report's header. */
  siteName?: string;
  /** Findings on other sites that the caller left out: stored with the scan as a warning. */
  leftOut?: LeftOutSite[];
}

/** Findings of a report on a site other than the target's, not imported. */
export interface LeftOutSite {
  site: string;
  findings: number;
}

export interface ImportInput extends ImportBase {
  report: ParsedReport;
}

export interface StreamImportInput extends ImportBase {
  stream: ImportStream;
  /** Stop with a MultipleSitesError as soon as findings of a second site appear (spellings of one site, sites.ts, are one). */
  singleSite?: boolean;
  /** The raw handle of the SQLite connection the transaction runs on (Db.sqlite): rows go through prepared statements. */
  sqlite?: SQLite.Database;
  /** Called as findings are stored (with `source.bytes` as the total). */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary {
  scanId: string;
  targetId: string;
  format: string;
  tool: string;
  vulnerabilities: number;
  findings: number;
  new: number;
  recurring: number;
  missing: number;
  /** The report held no finding: nothing is compared with the previous scan (new/recurring/missing are 0). */
  empty: boolean;
  /** Optional fields the report left out, counted per kind, and findings on other sites left out. */
  warnings: ParseWarning[];
  /** Findings on other sites than the target's that were not imported (none unless the report has several sites). */
  leftOut: LeftOutSite[];
}

/** The report holds findings of more than one site (thrown only with `singleSite`). */
export class MultipleSitesError extends Error {
  constructor(readonly sites: string[]) {
    super(`the report holds findings of several sites (${sites.join(', ')})`);
    this.name = 'MultipleSitesError';
  }
}

interface StoredVulnerability {
  id: string;
  index: number;
  position: number;
  findingCount: number;
  storedCount: number;
}

/** A whole parsed report, in its own transaction. */
export async function importParsedReport(db: Db, input: ImportInput): Promise<ImportSummary> {
  const { report, ...rest } = input;
  return db.kysely
    .transaction()
    .execute((trx) =>
      storeReport(trx, { ...rest, stream: streamOfReport(report), ...(db.sqlite ? { sqlite: db.sqlite } : {}) }),
    );
}

/** Reads the stream to its end and stores it as one scan, inside the caller's transaction. */
export async function storeReport(trx: Transaction<Database>, input: StreamImportInput): Promise<ImportSummary> {
  const { header } = input.stream;
  const ids = new IdPool();
  const scanId = ids.next();
  const now = nowIso();
  const headerGroups = groupSites(header.sites.map((site) => site.name));
  const siteName =
    input.siteName ?? (headerGroups.size === 1 ? preferredSiteName([...headerGroups.values()][0] ?? []) : '');
  await trx
    .insertInto('scans')
    .values({
      id: scanId,
      organization_id: input.organizationId,
      target_id: input.targetId,
      tool: header.tool,
      tool_version: header.toolVersion,
      format: header.format,
      site: siteName,
      started_at: header.startedAt ?? null,
      finished_at: header.finishedAt ?? null,
      imported_at: now,
      imported_by: input.actorUserId,
      source_name: input.source.name,
      source_sha256: input.source.sha256,
      source_bytes: input.source.bytes,
      vulnerability_count: 0,
      finding_count: 0,
      new_count: 0,
      recurring_count: 0,
      missing_count: 0,
      severity_counts: '{}',
    })
    .execute();

  const lookup =
    (await trx
      .selectFrom('finding_identities')
      .select('id')
      .where('target_id', '=', input.targetId)
      .limit(1)
      .executeTakeFirst()) !== undefined;
  const severityCounts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const stored = new Map<number, StoredVulnerability>();
  const siteNames = new Set<string>();
  const writer = importWriter(
    trx,
    { organizationId: input.organizationId, targetId: input.targetId, scanId, ids, lookup },
    input.sqlite,
  );
  let pending: PendingFinding[] = [];
  let findingTotal = 0;
  // Progress: a piece covers the bytes from the end of the one before it to its own end (the whole
  // report when the stream has no positions); within a piece, by the share of its findings stored.
  const totalBytes = input.source.bytes;
  let pieceFrom = 0;
  let pieceTo = 0;
  let pieceSize = 0;
  let flushed = 0;
  let flushedBefore = 0;
  const flush = async () => {
    await writer.findings(pending);
    flushed += pending.length;
    pending = [];
    const share = pieceSize === 0 ? 1 : Math.min(1, (flushed - flushedBefore) / pieceSize);
    input.onProgress?.({
      phase: 'storing',
      bytes: Math.round(pieceFrom + (pieceTo - pieceFrom) * share),
      totalBytes,
      findings: flushed,
    });
  };

  for (let part = await input.stream.next(); part !== null; part = await input.stream.next()) {
    const newVulnerabilities: VulnerabilitiesTable[] = [];
    const ready: PendingFinding[] = [];
    for (const piece of part) {
      const { vulnerability: v, index } = piece;
      const findings = 'packed' in piece ? piece.packed : piece.findings.map(packFinding);
      const keep = input.sites;
      const kept = keep === undefined ? findings : findings.filter((f) => keep.has(f[SITE]));
      if (input.singleSite) {
        for (const f of kept) {
          if (siteNames.has(f[SITE])) continue;
          siteNames.add(f[SITE]);
          const groups = groupSites(siteNames);
          if (groups.size > 1) throw new MultipleSitesError([...groups.values()].map(preferredSiteName));
        }
      }
      let entry = stored.get(index);
      if (!entry) {
        if (kept.length === 0 && keep !== undefined) continue;
        entry = { id: ids.next(), index, position: stored.size, findingCount: 0, storedCount: kept.length };
        stored.set(index, entry);
        newVulnerabilities.push(vulnerabilityRow(v, entry, input.organizationId, scanId));
      }
      severityCounts[v.severity] += kept.length;
      for (const f of kept) {
        ready.push({
          row: findingRow(f, entry, ids.next(), input.organizationId, scanId),
          fingerprint: f[FINGERPRINT],
        });
        entry.findingCount++;
      }
    }
    await writer.vulnerabilities(newVulnerabilities);
    pieceFrom = pieceTo;
    pieceTo = Math.max(pieceFrom, Math.min(totalBytes, input.stream.position?.() ?? totalBytes));
    pieceSize = ready.length;
    flushedBefore = flushed + pending.length;
    for (const item of ready) {
      pending.push(item);
      if (pending.length >= writer.batchSize) await flush();
    }
    findingTotal += ready.length;
  }
  pieceFrom = pieceTo = totalBytes;
  await flush();

  // Positions follow report order, and counts are final only now (a vulnerability's findings may
  // arrive in several pieces); rows stored with the right values are left alone.
  const inOrder = [...stored.values()].sort((a, b) => a.index - b.index);
  for (const [position, entry] of inOrder.entries()) {
    if (entry.position === position && entry.storedCount === entry.findingCount) continue;
    await trx
      .updateTable('vulnerabilities')
      .set({ position, finding_count: entry.findingCount })
      .where('id', '=', entry.id)
      .execute();
  }
  const empty = findingTotal === 0;
  const counts = empty ? { new: 0, recurring: 0, missing: 0 } : await compareWithPrevious(trx, input.targetId, scanId);
  const leftOut = input.leftOut ?? [];
  const warnings = [...(input.stream.warnings?.() ?? []), ...leftOutWarning(leftOut)];
  await trx
    .updateTable('scans')
    .set({
      empty: empty ? 1 : 0,
      warnings: JSON.stringify(warnings),
      vulnerability_count: stored.size,
      finding_count: findingTotal,
      severity_counts: JSON.stringify(severityCounts),
      new_count: counts.new,
      recurring_count: counts.recurring,
      missing_count: counts.missing,
    })
    .where('id', '=', scanId)
    .execute();
  return {
    scanId,
    targetId: input.targetId,
    format: header.format,
    tool: header.tool,
    vulnerabilities: stored.size,
    findings: findingTotal,
    ...counts,
    empty,
    warnings,
    leftOut,
  };
}

/** The findings on other sites that were left out, as one warning ("14 findings on other sites were left out: …"). */
function leftOutWarning(leftOut: LeftOutSite[]): ParseWarning[] {
  const count = leftOut.reduce((n, l) => n + l.findings, 0);
  if (count === 0) return [];
  const where = leftOut.map((l) => `${l.site} (${l.findings})`).join(', ');
  return [
    {
      kind: 'other-sites-left-out',
      count,
      message: `${count} ${count === 1 ? 'finding' : 'findings'} on other sites ${count === 1 ? 'was' : 'were'} left out: ${where}`,
    },
  ];
}

/**
 * new / recurring / missing identities of this scan against the target's previous scan, counted in the
 * database. An empty scan (a report with no finding) is never the previous scan: it says nothing about
 * what was fixed, so the next scan is compared with the last one that held findings.
 */
async function compareWithPrevious(
  trx: Transaction<Database>,
  targetId: string,
  scanId: string,
): Promise<{ new: number; recurring: number; missing: number }> {
  const distinctIn = async (id: string) =>
    Number(
      (
        await trx
          .selectFrom('findings')
          .select((eb) => eb.fn.count<string>('identity_id').distinct().as('n'))
          .where('scan_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const seen = await distinctIn(scanId);
  const previous = await trx
    .selectFrom('scans')
    .select('id')
    .where('target_id', '=', targetId)
    .where('id', '!=', scanId)
    .where('empty', '=', 0)
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!previous) return { new: seen, recurring: 0, missing: 0 };
  const before = await distinctIn(previous.id);
  const recurring = Number(
    (
      await trx
        .selectFrom('findings as f')
        .select((eb) => eb.fn.count<string>('f.identity_id').distinct().as('n'))
        .where('f.scan_id', '=', scanId)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('findings as p')
              .select('p.id')
              .where('p.scan_id', '=', previous.id)
              .whereRef('p.identity_id', '=', 'f.identity_id'),
          ),
        )
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { new: seen - recurring, recurring, missing: before - recurring };
}

function vulnerabilityRow(
  v: ParsedVulnerability,
  entry: StoredVulnerability,
  organizationId: string,
  scanId: string,
): VulnerabilitiesTable {
  return {
    id: entry.id,
    organization_id: organizationId,
    scan_id: scanId,
    position: entry.position,
    rule_key: v.ruleKey,
    name: v.name,
    severity: v.severity,
    confidence: v.confidence,
    cwe: v.cwe,
    wasc: v.wasc,
    owasp: v.owasp,
    description: v.description,
    solution: v.solution,
    references: JSON.stringify(v.references),
    finding_count: entry.storedCount,
  };
}

/** A finding's row; identity_id and public_id are filled in once its identity is resolved. */
function findingRow(
  f: PackedFinding,
  entry: StoredVulnerability,
  id: string,
  organizationId: string,
  scanId: string,
): FindingsTable {
  const [
    fingerprint,
    site,
    url,
    method,
    parameter,
    attack,
    evidence,
    otherInfo,
    requestLine,
    requestHeaders,
    requestBody,
    responseStatusLine,
    responseHeaders,
    responseBody,
    truncated,
    additionalExchanges,
  ] = f;
  return {
    id,
    organization_id: organizationId,
    scan_id: scanId,
    vulnerability_id: entry.id,
    identity_id: '',
    position: entry.findingCount,
    fingerprint,
    public_id: '',
    site,
    url,
    method,
    parameter,
    attack,
    evidence,
    other_info: otherInfo,
    request_line: requestLine,
    request_headers: requestHeaders,
    request_body: requestBody,
    response_status_line: responseStatusLine,
    response_headers: responseHeaders,
    response_body: responseBody,
    truncated,
    additional_exchanges: additionalExchanges,
  };
}

// Store a parsed report as one scan of a target, atomically: the scan, its vulnerabilities and findings,
// and each finding's identity across scans (target, fingerprint) → public ID. Also counts, against the
// target's previous scan, how many findings are new, recurring and missing.
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/index.ts';
import { newId, nowIso } from '../db/index.ts';
import type { Database, FindingsTable, VulnerabilitiesTable } from '../db/tables.ts';
import { publicId } from './fingerprint.ts';
import { type ParsedReport, SEVERITIES, type Severity } from './types.ts';

export interface ImportSource {
  name: string;
  sha256: string;
  bytes: number;
}

export interface ImportInput {
  organizationId: string;
  actorUserId: string | null;
  targetId: string;
  report: ParsedReport;
  source: ImportSource;
  /** Keep only the findings of this site (a report naming several sites is split by the caller). */
  site?: string;
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
}

const CHUNK = 400;
const MAX_PUBLIC_ID_ATTEMPTS = 20;

async function insertChunked<T extends 'findings' | 'vulnerabilities'>(trx: Transaction<Database>, table: T, rows: (T extends 'findings' ? FindingsTable : VulnerabilitiesTable)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // biome-ignore lint/suspicious/noExplicitAny: the row type is checked by the signature above
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK) as any).execute();
  }
}

/** The identity id of every fingerprint, creating the missing ones with a collision-free public ID. */
async function resolveIdentities(trx: Transaction<Database>, input: ImportInput, scanId: string, fingerprints: string[]): Promise<Map<string, { id: string; publicId: string }>> {
  const known = new Map<string, { id: string; publicId: string }>();
  const load = async () => {
    const rows = await trx.selectFrom('finding_identities').select(['id', 'fingerprint', 'public_id']).where('target_id', '=', input.targetId).execute();
    for (const row of rows) known.set(row.fingerprint, { id: row.id, publicId: row.public_id });
  };
  await load();
  let missing = fingerprints.filter((fp) => !known.has(fp));
  const now = nowIso();
  for (let attempt = 0; missing.length > 0; attempt++) {
    if (attempt >= MAX_PUBLIC_ID_ATTEMPTS) throw new Error('could not allocate unique public IDs');
    for (let i = 0; i < missing.length; i += CHUNK) {
      const values = missing.slice(i, i + CHUNK).map((fp) => ({
        id: newId(),
        organization_id: input.organizationId,
        target_id: input.targetId,
        fingerprint: fp,
        public_id: publicId(input.targetId, fp, attempt),
        first_scan_id: scanId,
        created_at: now,
      }));
      // A clash on the public ID (another identity has it) leaves the row out; it retries with the next attempt.
      await trx.insertInto('finding_identities').values(values).onConflict((oc) => oc.doNothing()).execute();
    }
    await load();
    missing = missing.filter((fp) => !known.has(fp));
  }
  return known;
}

async function previousScanIdentities(db: Kysely<Database> | Transaction<Database>, targetId: string, beforeScanId: string): Promise<Set<string>> {
  const previous = await db
    .selectFrom('scans')
    .select('id')
    .where('target_id', '=', targetId)
    .where('id', '!=', beforeScanId)
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!previous) return new Set();
  const rows = await db.selectFrom('findings').select('identity_id').where('scan_id', '=', previous.id).execute();
  return new Set(rows.map((r) => r.identity_id));
}

export async function importParsedReport(db: Db, input: ImportInput): Promise<ImportSummary> {
  const { report } = input;
  const vulnerabilities = report.vulnerabilities
    .map((v) => ({ ...v, findings: input.site === undefined ? v.findings : v.findings.filter((f) => f.site === input.site) }))
    .filter((v) => v.findings.length > 0 || input.site === undefined);
  const severityCounts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const v of vulnerabilities) severityCounts[v.severity] += v.findings.length;
  const findingTotal = vulnerabilities.reduce((n, v) => n + v.findings.length, 0);

  return db.kysely.transaction().execute(async (trx) => {
    const scanId = newId();
    const now = nowIso();
    const siteName = input.site ?? (report.sites.length === 1 ? (report.sites[0]?.name ?? '') : '');
    await trx
      .insertInto('scans')
      .values({
        id: scanId,
        organization_id: input.organizationId,
        target_id: input.targetId,
        tool: report.tool,
        tool_version: report.toolVersion,
        format: report.format,
        site: siteName,
        started_at: report.startedAt ?? null,
        finished_at: report.finishedAt ?? null,
        imported_at: now,
        imported_by: input.actorUserId,
        source_name: input.source.name,
        source_sha256: input.source.sha256,
        source_bytes: input.source.bytes,
        vulnerability_count: vulnerabilities.length,
        finding_count: findingTotal,
        new_count: 0,
        recurring_count: 0,
        missing_count: 0,
        severity_counts: JSON.stringify(severityCounts),
      })
      .execute();

    const fingerprints = vulnerabilities.flatMap((v) => v.findings.map((f) => f.fingerprint));
    const identities = await resolveIdentities(trx, input, scanId, fingerprints);
    const previous = await previousScanIdentities(trx, input.targetId, scanId);

    const vulnerabilityRows: VulnerabilitiesTable[] = [];
    const findingRows: FindingsTable[] = [];
    const seen = new Set<string>();
    vulnerabilities.forEach((v, vIndex) => {
      const vulnerabilityId = newId();
      vulnerabilityRows.push({
        id: vulnerabilityId,
        organization_id: input.organizationId,
        scan_id: scanId,
        position: vIndex,
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
        finding_count: v.findings.length,
      });
      v.findings.forEach((f, fIndex) => {
        const identity = identities.get(f.fingerprint);
        if (!identity) throw new Error(`no identity for fingerprint ${f.fingerprint}`);
        seen.add(identity.id);
        findingRows.push({
          id: newId(),
          organization_id: input.organizationId,
          scan_id: scanId,
          vulnerability_id: vulnerabilityId,
          identity_id: identity.id,
          position: fIndex,
          fingerprint: f.fingerprint,
          public_id: identity.publicId,
          site: f.site,
          url: f.url,
          method: f.method,
          parameter: f.parameter,
          attack: f.attack,
          evidence: f.evidence,
          other_info: f.otherInfo,
          request_line: f.requestLine,
          request_headers: JSON.stringify(f.requestHeaders),
          request_body: f.requestBody,
          response_status_line: f.responseStatusLine,
          response_headers: JSON.stringify(f.responseHeaders),
          response_body: f.responseBody,
          truncated: JSON.stringify(f.truncated),
        });
      });
    });
    await insertChunked(trx, 'vulnerabilities', vulnerabilityRows);
    await insertChunked(trx, 'findings', findingRows);

    let recurring = 0;
    for (const id of seen) if (previous.has(id)) recurring++;
    const counts = { new: seen.size - recurring, recurring, missing: previous.size - recurring };
    await trx.updateTable('scans').set({ new_count: counts.new, recurring_count: counts.recurring, missing_count: counts.missing }).where('id', '=', scanId).execute();
    return {
      scanId,
      targetId: input.targetId,
      format: report.format,
      tool: report.tool,
      vulnerabilities: vulnerabilityRows.length,
      findings: findingRows.length,
      ...counts,
    };
  });
}

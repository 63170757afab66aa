// Findings as the API answers them: the secrets that are redacted before GitLab (src/findings/redact.ts)
// are masked here too, field by field, unless a Contributor asks to reveal them, which is audited.
// The database keeps what the scanner wrote; only what leaves through the API is masked.
import type { Kysely } from 'kysely';
import { type FindingInfo, type FindingView, maskPlaceholder, type ScanExport } from '../contracts/index.ts';
import type { Database } from '../db/index.ts';
import { type RedactOptions, redactHeaders, redactText, redactUrl } from '../findings/index.ts';
import { notFound } from '../lib/index.ts';
import { recordAudit } from './audit.ts';
import { toFindingInfo } from './scan-views.ts';

/** The operator's extra secret names (REDACT_EXTRA_NAMES, comma-separated), as redact options. */
export function maskOptions(extraNames: string): RedactOptions {
  return {
    extraNames: extraNames
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
    replacement: maskPlaceholder,
  };
}

type TextField =
  | 'url'
  | 'site'
  | 'method'
  | 'parameter'
  | 'attack'
  | 'evidence'
  | 'otherInfo'
  | 'requestLine'
  | 'requestBody'
  | 'responseStatusLine'
  | 'responseBody';
const URL_FIELDS: TextField[] = ['url', 'site'];
const TEXT_FIELDS: TextField[] = [
  'method',
  'parameter',
  'attack',
  'evidence',
  'otherInfo',
  'requestLine',
  'requestBody',
  'responseStatusLine',
  'responseBody',
];
const HEADER_FIELDS = ['requestHeaders', 'responseHeaders'] as const;
type Exchange = FindingInfo['additionalExchanges'][number];

const headersChanged = (a: readonly (readonly [string, string])[], b: readonly (readonly [string, string])[]) =>
  a.some(([, v], i) => v !== b[i]?.[1]);

/** A further request/response pair of the finding, masked the same way; null when it holds no secret. */
function maskExchange(x: Exchange, options: RedactOptions): Exchange | null {
  const out: Exchange = {
    requestLine: redactText(x.requestLine, options),
    requestHeaders: redactHeaders(x.requestHeaders, options),
    requestBody: redactText(x.requestBody, options),
    responseStatusLine: redactText(x.responseStatusLine, options),
    responseHeaders: redactHeaders(x.responseHeaders, options),
    responseBody: redactText(x.responseBody, options),
  };
  const changed =
    out.requestLine !== x.requestLine ||
    out.requestBody !== x.requestBody ||
    out.responseStatusLine !== x.responseStatusLine ||
    out.responseBody !== x.responseBody ||
    headersChanged(out.requestHeaders, x.requestHeaders) ||
    headersChanged(out.responseHeaders, x.responseHeaders);
  return changed ? out : null;
}

/** The finding with its secrets masked, and which fields held one. */
function mask(finding: FindingInfo, options: RedactOptions): { masked: FindingInfo; fields: string[] } {
  const out: FindingInfo = { ...finding };
  const fields: string[] = [];
  for (const key of [...URL_FIELDS, ...TEXT_FIELDS]) {
    const value = URL_FIELDS.includes(key) ? redactUrl(finding[key], options) : redactText(finding[key], options);
    if (value !== finding[key]) {
      out[key] = value;
      fields.push(key);
    }
  }
  for (const key of HEADER_FIELDS) {
    const value = redactHeaders(finding[key], options);
    if (headersChanged(value, finding[key])) {
      out[key] = value;
      fields.push(key);
    }
  }
  const exchanges = finding.additionalExchanges.map((x) => maskExchange(x, options));
  if (exchanges.some((x) => x !== null)) {
    out.additionalExchanges = exchanges.map((x, i) => x ?? (finding.additionalExchanges[i] as Exchange));
    fields.push('additionalExchanges');
  }
  return { masked: out, fields };
}

/** What the API answers by default: secrets replaced with `[masked: <name>]`, `masked` naming the fields. */
export function maskFinding(finding: FindingInfo, options: RedactOptions): FindingView {
  const { masked, fields } = mask(finding, options);
  return { ...masked, masked: fields, revealed: false };
}

/** The finding as stored, `masked` still naming the fields that hold secrets (now shown). */
export function revealFinding(finding: FindingInfo, options: RedactOptions): FindingView {
  return { ...finding, masked: mask(finding, options).fields, revealed: true };
}

/** A scan export with every finding masked. */
export function maskExport(scan: ScanExport, options: RedactOptions) {
  return {
    scan: scan.scan,
    vulnerabilities: scan.vulnerabilities.map((v) => ({
      ...v,
      findings: v.findings.map((f) => maskFinding(f, options)),
    })),
  };
}

async function findingOfScan(
  db: Kysely<Database>,
  organizationId: string,
  scanId: string,
  findingId: string,
): Promise<FindingInfo> {
  const row = await db
    .selectFrom('findings')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('scan_id', '=', scanId)
    .where('id', '=', findingId)
    .executeTakeFirst();
  if (!row) throw notFound('finding');
  return toFindingInfo(row);
}

/** One finding of a scan, masked. */
export async function getFindingView(
  db: Kysely<Database>,
  organizationId: string,
  scanId: string,
  findingId: string,
  options: RedactOptions,
): Promise<FindingView> {
  return maskFinding(await findingOfScan(db, organizationId, scanId, findingId), options);
}

/** One finding of a scan as stored, secrets and all; recorded as `finding.secrets_revealed` in the same transaction. */
export async function revealFindingSecrets(
  db: Kysely<Database>,
  input: { organizationId: string; actorUserId: string | null; scanId: string; findingId: string },
  options: RedactOptions,
): Promise<FindingView> {
  return db.transaction().execute(async (trx) => {
    const finding = revealFinding(
      await findingOfScan(trx, input.organizationId, input.scanId, input.findingId),
      options,
    );
    await recordAudit(trx, {
      organizationId: input.organizationId,
      actorUserId: input.actorUserId,
      action: 'finding.secrets_revealed',
      subjectType: 'finding',
      subjectId: finding.id,
      details: { scanId: finding.scanId, publicId: finding.publicId, fields: finding.masked },
    });
    return finding;
  });
}

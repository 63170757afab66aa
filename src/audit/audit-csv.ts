// The audit log as CSV (RFC 4180: quoted where needed, CRLF between records), safe to open in a
// spreadsheet: a cell that starts with = + - @ tab or CR is prefixed with ' so it is never a formula.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { AuditEvent } from '../contracts/index.ts';

export const AUDIT_CSV_HEADER = [
  'time',
  'actor_email',
  'actor_name',
  'actor_user_id',
  'api_token_name',
  'api_token_id',
  'source',
  'ip',
  'user_agent',
  'action',
  'subject_type',
  'subject_id',
  'details',
] as const;

const OPTIONS = { escape_formulas: true, record_delimiter: 'windows', quoted_match: /^\s|\s$/ } as const;

export function auditCsvRow(event: AuditEvent): string[] {
  return [
    event.createdAt,
    event.actor?.email ?? '',
    event.actor?.name ?? '',
    event.actor?.userId ?? '',
    event.apiToken?.name ?? '',
    event.apiToken?.id ?? '',
    event.source ?? '',
    event.ip ?? '',
    event.userAgent ?? '',
    event.action,
    event.subjectType ?? '',
    event.subjectId ?? '',
    JSON.stringify(event.details),
  ];
}

/** CSV text of the given rows (the header included when asked). */
export function toAuditCsv(rows: string[][]): string {
  return stringify(rows, OPTIONS);
}

/** A stream of the CSV for these events, header first, written as the events are read. */
export function auditCsvStream(events: AsyncIterable<AuditEvent>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield toAuditCsv([[...AUDIT_CSV_HEADER]]);
    for await (const event of events) yield toAuditCsv([auditCsvRow(event)]);
  }
  return Readable.from(lines());
}

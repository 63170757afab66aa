// The door of audit: recording what happened (with where from, carried by the audit context) and
// reading it back as pages or CSV.
export { AUDIT_CSV_HEADER, auditCsvRow, auditCsvStream, toAuditCsv } from './audit-csv.ts';
export { type AuditContext, type AuditSource, currentAuditContext, runWithAuditContext } from './context.ts';
export { type AuditPageRequest, iterateAudit, listAudit } from './list-audit.ts';
export { type AuditInput, recordAudit } from './record-audit.ts';

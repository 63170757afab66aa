export { type AuditInput, recordAudit } from '../audit/index.ts';

import { z } from 'zod';

// The audit log (Settings → Audit log, GET /api/audit-events and its CSV export).

export const auditSourceSchema = z.enum(['web', 'api', 'cli', 'worker']);
export type AuditSourceName = z.infer<typeof auditSourceSchema>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A day (YYYY-MM-DD, UTC, the whole day) or an ISO 8601 date-time. */
const auditDateSchema = z
  .string()
  .trim()
  .max(40)
  .refine(
    (value) => (DATE_ONLY.test(value) || value.includes('T')) && !Number.isNaN(Date.parse(value)),
    'a date (YYYY-MM-DD) or an ISO 8601 date-time',
  );

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

/** Filters shared by the list and the CSV export. */
export const auditFilterSchema = z.object({
  /** A user id or an e-mail address. */
  actor: optionalText(320),
  /** An exact action (`member.added`), or a prefix ending in `.` or `*` (`member.`, `gitlab.*`). */
  action: optionalText(100),
  subjectType: optionalText(100),
  subjectId: optionalText(200),
  /** From this day or instant on (inclusive). */
  from: auditDateSchema.optional(),
  /** Up to this day (the whole day) or instant (inclusive). */
  to: auditDateSchema.optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

const cursorSchema = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+$/, 'a cursor from a previous page');

export const auditQuerySchema = auditFilterSchema.extend({
  /** The next page: events older than this cursor. */
  after: cursorSchema.optional(),
  /** The previous page: events newer than this cursor. */
  before: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** The member who acted (null: the hub itself, e.g. a background job). */
  actor: z.object({ userId: z.string(), name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  /** The API token that acted, when one did. */
  apiToken: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  /** Null for events recorded before sources were kept. */
  source: auditSourceSchema.nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditEventPageSchema = z.object({
  events: z.array(auditEventSchema),
  /** Pass as `after` for older events; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Pass as `before` for newer events; null on the first page. */
  prevCursor: z.string().nullable(),
});
export type AuditEventPage = z.infer<typeof auditEventPageSchema>;

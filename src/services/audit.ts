import type { Kysely, Transaction } from 'kysely';
import { newId, nowIso } from '../db/index.ts';
import type { Database } from '../db/tables.ts';

export interface AuditInput {
  organizationId: string | null;
  actorUserId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** Record what happened, in the caller's transaction so the event and the change land together. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, input: AuditInput): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: newId(),
      organization_id: input.organizationId,
      actor_user_id: input.actorUserId,
      action: input.action,
      subject_type: input.subjectType ?? null,
      subject_id: input.subjectId ?? null,
      details: JSON.stringify(input.details ?? {}),
      created_at: nowIso(),
    })
    .execute();
}

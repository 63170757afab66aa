import type { Kysely, Transaction } from 'kysely';
import { type Database, newId, nowIso } from '../db/index.ts';
import { currentAuditContext } from './context.ts';

export interface AuditInput {
  organizationId: string | null;
  actorUserId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

const clip = (value: string | null | undefined, max: number) => (value ? value.slice(0, max) : null);

/** Record what happened, in the caller's transaction so the event and the change land together. Where
 * from (address, user agent, API token, source) comes from the audit context of the work in progress. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, input: AuditInput): Promise<void> {
  const context = currentAuditContext();
  // A token request carries the token's id; its name is read here, only when something is recorded.
  let tokenName = context?.apiTokenName ?? null;
  if (context?.apiTokenId && tokenName === null) {
    const token = await db
      .selectFrom('api_tokens')
      .select('name')
      .where('id', '=', context.apiTokenId)
      .executeTakeFirst();
    tokenName = token?.name ?? null;
  }
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
      source: context?.source ?? null,
      ip: clip(context?.ip, 64),
      user_agent: clip(context?.userAgent, 300),
      api_token_id: context?.apiTokenId ?? null,
      api_token_name: clip(tokenName, 200),
    })
    .execute();
}

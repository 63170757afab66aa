// GitLab webhook deliveries, as ingress needs them: the hook a delivery names (with its opened secret),
// and the delivery stored under its idempotency key with its processing enqueued in the same transaction.
import type { Kysely } from 'kysely';
import type { SecretBox } from '../crypto/index.ts';
import { type Database, newId, nowIso } from '../db/index.ts';
import { enqueue } from '../jobs/index.ts';
import { PROCESS_WEBHOOK_TASK } from './process-webhook.ts';

export interface WebhookHook {
  id: string;
  organizationId: string;
  targetId: string;
  secret: string;
}

/** The project link whose hook is `hookRef`, with its secret opened; null for an unknown hook. */
export async function findWebhookHook(
  db: Kysely<Database>,
  secretBox: SecretBox,
  hookRef: string,
): Promise<WebhookHook | null> {
  const link = await db
    .selectFrom('project_links')
    .select(['id', 'organization_id', 'hook_secret_enc', 'target_id'])
    .where('hook_ref', '=', hookRef)
    .orderBy('scan_id')
    .executeTakeFirst();
  if (!link?.hook_secret_enc) return null;
  return {
    id: link.id,
    organizationId: link.organization_id,
    targetId: link.target_id,
    secret: secretBox.open(link.hook_secret_enc, `hook:${hookRef}`),
  };
}

/** Stores a delivery and enqueues its processing; false when the key was seen before (nothing stored). */
export async function recordWebhookDelivery(
  db: Kysely<Database>,
  delivery: { key: string; hookRef: string; organizationId: string; targetId: string; event: string; payload: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const id = newId();
    const inserted = await trx
      .insertInto('webhook_deliveries')
      .values({
        id,
        idempotency_key: delivery.key,
        organization_id: delivery.organizationId,
        project_link_id: delivery.hookRef,
        event: delivery.event,
        payload: delivery.payload,
        received_at: nowIso(),
        processed_at: null,
        outcome: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    await enqueue(trx, {
      task: PROCESS_WEBHOOK_TASK,
      payload: { deliveryId: id },
      organizationId: delivery.organizationId,
      uniqueKey: `delivery:${id}`,
      groupKey: `gitlab-target:${delivery.targetId}`,
    });
    return true;
  });
}

// A stored GitLab webhook delivery, processed: the event is a hint, GitLab is re-read where order matters.
import { z } from 'zod';
import { requireDeps } from '../jobs/index.ts';
import { PROCESS_WEBHOOK_TASK, processDelivery } from '../tracking/index.ts';
import { defineTask } from './deps.ts';

export const processWebhookTask = defineTask({
  name: PROCESS_WEBHOOK_TASK,
  payload: z.object({ deliveryId: z.string() }),
  perform: ({ deliveryId }, context) => processDelivery(context.db.kysely, requireDeps(context), deliveryId),
});

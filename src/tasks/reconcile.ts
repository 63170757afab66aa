// One reconciliation pass of a project link: what webhooks missed, read back from GitLab.
import { z } from 'zod';
import { requireDeps } from '../jobs/index.ts';
import { RECONCILE_TASK, reconcileLink } from '../tracking/index.ts';
import { defineTask } from './deps.ts';

export const reconcileTask = defineTask({
  name: RECONCILE_TASK,
  payload: z.object({ linkId: z.string() }),
  maxAttempts: 3,
  perform: ({ linkId }, context) => reconcileLink(context.db.kysely, requireDeps(context), linkId),
});

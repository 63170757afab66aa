// One GitLab issue for one push item (a finding in a project): exactly once, across retries and workers.
import { z } from 'zod';
import { requireDeps } from '../jobs/index.ts';
import { CREATE_ISSUE_TASK, createIssueForItem, markItemFailed } from '../tracking/index.ts';
import { defineTask } from './deps.ts';

export const createIssueTask = defineTask({
  name: CREATE_ISSUE_TASK,
  payload: z.object({ pushItemId: z.string() }),
  maxAttempts: 8,
  perform: ({ pushItemId }, context) =>
    createIssueForItem(context.db.kysely, requireDeps(context), pushItemId, { holdLease: context.holdLease }),
  onDead: async ({ pushItemId }, context, error) => markItemFailed(context.db.kysely, pushItemId, error),
});

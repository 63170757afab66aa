// Every job kind the worker runs, one file each (name, payload schema, perform, onDead). The composition
// root (cli) gives this list and the deps to the engine's Worker. New kinds are added here.
import type { TaskDefinition } from '../jobs/index.ts';
import { createIssueTask } from './create-issue.ts';
import type { TaskDeps } from './deps.ts';
import { housekeeping } from './housekeeping.ts';
import { postCommentTask } from './post-comment.ts';
import { processWebhookTask } from './process-webhook.ts';
import { reconcileTask } from './reconcile.ts';

export type { TaskDeps } from './deps.ts';
export { HOUSEKEEPING_EVERY_MS } from './housekeeping.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tasks of every payload type
export const allTasks: TaskDefinition<any, TaskDeps>[] = [
  housekeeping,
  createIssueTask,
  processWebhookTask,
  postCommentTask,
  reconcileTask,
];

// Every task the worker runs. Later features add theirs here.
import type { TaskDefinition } from '../task.ts';
import { createIssueTask } from './create-issue.ts';
import { housekeeping } from './housekeeping.ts';
import { postCommentTask, processWebhookTask, reconcileTask } from './sync.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tasks of every payload type
export const allTasks: TaskDefinition<any>[] = [housekeeping, createIssueTask, processWebhookTask, postCommentTask, reconcileTask];

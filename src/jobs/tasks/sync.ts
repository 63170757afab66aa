import { z } from 'zod';
import { markCommentFailed, POST_COMMENT_TASK, postComment, processDelivery, RECONCILE_TASK, reconcileLink } from '../../tracking/index.ts';
import { PROCESS_WEBHOOK_TASK } from '../../webhooks/index.ts';
import { defineTask, requireDeps } from '../task.ts';

export const processWebhookTask = defineTask({
  name: PROCESS_WEBHOOK_TASK,
  payload: z.object({ deliveryId: z.string() }),
  perform: ({ deliveryId }, context) => processDelivery(context.db.kysely, requireDeps(context), deliveryId),
});

export const postCommentTask = defineTask({
  name: POST_COMMENT_TASK,
  payload: z.object({ commentId: z.string() }),
  maxAttempts: 8,
  perform: ({ commentId }, context) => postComment(context.db.kysely, requireDeps(context), commentId, context.job.attempts),
  onDead: ({ commentId }, context, error) => markCommentFailed(context.db.kysely, commentId, error),
});

export const reconcileTask = defineTask({
  name: RECONCILE_TASK,
  payload: z.object({ linkId: z.string() }),
  maxAttempts: 3,
  perform: ({ linkId }, context) => reconcileLink(context.db.kysely, requireDeps(context), linkId),
});

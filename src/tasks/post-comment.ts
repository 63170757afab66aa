// A hub comment posted to its GitLab issue as the connected user.
import { z } from 'zod';
import { requireDeps } from '../jobs/index.ts';
import { markCommentFailed, POST_COMMENT_TASK, postComment } from '../tracking/index.ts';
import { defineTask } from './deps.ts';

export const postCommentTask = defineTask({
  name: POST_COMMENT_TASK,
  payload: z.object({ commentId: z.string() }),
  maxAttempts: 8,
  perform: ({ commentId }, context) =>
    postComment(context.db.kysely, requireDeps(context), commentId, context.job.attempts),
  onDead: ({ commentId }, context, error) => markCommentFailed(context.db.kysely, commentId, error),
});

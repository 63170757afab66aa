import { z } from 'zod';
import { commentSchema, createCommentBodySchema } from '../../../contracts/index.ts';
import { addHubComment, commentsPaused, getComment, trackedIssueOfFinding } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { params, toCommentInfo } from './comment-views.ts';

export const createCommentRoute: RouteModule = (app, context) => {
  app.post(
    '/api/findings/:findingId/comments',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['comments'],
        summary: 'Comment on a finding: posted to its GitLab issue by the user who authorized the connection',
        params,
        body: createCommentBodySchema,
        response: { 202: z.object({ comment: commentSchema }) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const id = await addHubComment(context.db.kysely, {
        organizationId: p.organizationId,
        findingId: request.params.findingId,
        userId: p.userId,
        authorName: p.name,
        body: request.body.body,
      });
      context.onJobsEnqueued?.();
      const row = await getComment(context.db.kysely, id);
      const tracked = await trackedIssueOfFinding(context.db.kysely, p.organizationId, request.params.findingId);
      const paused = tracked !== null && (await commentsPaused(context.db.kysely, p.organizationId, tracked.target_id));
      return reply.status(202).send({ comment: toCommentInfo(row, paused) });
    },
  );
};

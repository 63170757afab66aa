import { z } from 'zod';
import { commentSchema, createCommentBodySchema, findingCommentsSchema, idParam } from '../../../contracts/index.ts';
import type { Comment } from '../../../db/index.ts';
import { addHubComment, COMMENT_MARKER, commentsPaused, trackedIssueOfFinding } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

const toCommentInfo = (c: Comment, paused = false) => ({
  id: c.id,
  source: c.source,
  authorName: c.author_name,
  authorUsername: c.author_username,
  authorAvatarUrl: c.author_avatar_url,
  body: c.body.replace(COMMENT_MARKER, '').trimEnd(),
  internal: Number(c.internal) === 1,
  outboundState: c.outbound_state === 'pending' && paused ? ('paused' as const) : c.outbound_state,
  error: c.error,
  createdAt: c.gitlab_created_at ?? c.created_at,
  updatedAt: c.gitlab_updated_at ?? c.updated_at,
});

const params = z.object({ findingId: idParam });

export const listCommentsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/findings/:findingId/comments',
    { config: { access: 'reader' }, schema: { tags: ['comments'], summary: 'The comment thread of a finding’s GitLab issue, oldest first', params, response: { 200: findingCommentsSchema } } },
    async (request) => {
      const p = principalOf(request);
      const tracked = await trackedIssueOfFinding(db.kysely, p.organizationId, request.params.findingId);
      if (!tracked) return { issue: null, comments: [] };
      const rows = await db.kysely.selectFrom('comments').selectAll().where('tracked_issue_id', '=', tracked.id).execute();
      rows.sort((a, b) => (a.gitlab_created_at ?? a.created_at).localeCompare(b.gitlab_created_at ?? b.created_at));
      const paused = rows.some((c) => c.outbound_state === 'pending') && (await commentsPaused(db.kysely, p.organizationId, tracked.target_id));
      return { issue: { iid: Number(tracked.iid), webUrl: tracked.web_url ?? '', state: tracked.state, projectPath: tracked.project_path }, comments: rows.map((c) => toCommentInfo(c, paused)) };
    },
  );
};

export const createCommentRoute: RouteModule = (app, context) => {
  app.post(
    '/api/findings/:findingId/comments',
    { config: { access: 'contributor' }, schema: { tags: ['comments'], summary: 'Comment on a finding: posted to its GitLab issue by the user who authorized the connection', params, body: createCommentBodySchema, response: { 202: z.object({ comment: commentSchema }) } } },
    async (request, reply) => {
      const p = principalOf(request);
      const id = await addHubComment(context.db.kysely, { organizationId: p.organizationId, findingId: request.params.findingId, userId: p.userId, authorName: p.name, body: request.body.body });
      context.onJobsEnqueued?.();
      const row = await context.db.kysely.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const tracked = await trackedIssueOfFinding(context.db.kysely, p.organizationId, request.params.findingId);
      const paused = tracked !== null && (await commentsPaused(context.db.kysely, p.organizationId, tracked.target_id));
      return reply.status(202).send({ comment: toCommentInfo(row, paused) });
    },
  );
};

import { findingCommentsSchema } from '../../../contracts/index.ts';
import { commentsPaused, listIssueComments, trackedIssueOfFinding } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { params, toCommentInfo } from './comment-views.ts';

export const listCommentsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/findings/:findingId/comments',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['comments'],
        summary: 'The comment thread of a finding’s GitLab issue, oldest first',
        params,
        response: { 200: findingCommentsSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const tracked = await trackedIssueOfFinding(db.kysely, p.organizationId, request.params.findingId);
      if (!tracked) return { issue: null, comments: [] };
      const rows = await listIssueComments(db.kysely, tracked.id);
      const paused =
        rows.some((c) => c.outbound_state === 'pending') &&
        (await commentsPaused(db.kysely, p.organizationId, tracked.target_id));
      return {
        issue: {
          iid: Number(tracked.iid),
          webUrl: tracked.web_url ?? '',
          state: tracked.state,
          projectPath: tracked.project_path,
        },
        comments: rows.map((c) => toCommentInfo(c, paused)),
      };
    },
  );
};

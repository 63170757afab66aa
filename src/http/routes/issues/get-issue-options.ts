import { z } from 'zod';
import { idParam, projectOptionsSchema } from '../../../contracts/index.ts';
import { projectOptions } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getIssueOptionsRoute: RouteModule = (app, { db, gitlab }) => {
  app.get(
    '/api/scans/:scanId/gitlab/options',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['issues'],
        summary: 'Assignees and milestones of the scan’s GitLab project, for the Create Issue popup',
        params: z.object({ scanId: idParam }),
        response: { 200: projectOptionsSchema },
      },
    },
    async (request) =>
      projectOptions(db.kysely, gitlab.tokens, principalOf(request).organizationId, request.params.scanId),
  );
};

import { z } from 'zod';
import { createdIssueSchema, idParam } from '../../../contracts/index.ts';
import { listCreatedIssues } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listCreatedIssuesRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId/issues',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['issues'],
        summary: 'Created Issues: every GitLab issue of the scan’s findings, as last synced',
        params: z.object({ scanId: idParam }),
        response: { 200: z.object({ issues: z.array(createdIssueSchema) }) },
      },
    },
    async (request) => ({
      issues: await listCreatedIssues(db.kysely, principalOf(request).organizationId, request.params.scanId),
    }),
  );
};

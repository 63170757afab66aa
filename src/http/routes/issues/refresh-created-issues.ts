import { z } from 'zod';
import { createdIssueSchema, idParam } from '../../../contracts/index.ts';
import { listCreatedIssues, refreshCreatedIssues } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const refreshCreatedIssuesRoute: RouteModule = (app, { db, env, gitlab }) => {
  app.post(
    '/api/scans/:scanId/issues/refresh',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['issues'],
        summary: 'Bring Created Issues up to date from GitLab (one call per 100 issues)',
        params: z.object({ scanId: idParam }),
        response: {
          200: z.object({
            refreshed: z.number(),
            calls: z.number(),
            missing: z.number(),
            issues: z.array(createdIssueSchema),
          }),
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const result = await refreshCreatedIssues(
        db.kysely,
        gitlab.tokens,
        env.PRODUCT_LABEL,
        p.organizationId,
        request.params.scanId,
      );
      return { ...result, issues: await listCreatedIssues(db.kysely, p.organizationId, request.params.scanId) };
    },
  );
};

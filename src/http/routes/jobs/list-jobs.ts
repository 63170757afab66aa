import { z } from 'zod';
import { jobListSchema, jobStateSchema } from '../../../contracts/index.ts';
import { listJobs } from '../../../jobs/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listJobsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/jobs',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['jobs'],
        summary: 'List the organization’s background jobs (newest first, at most 200)',
        querystring: z.object({ state: jobStateSchema.optional() }),
        response: { 200: jobListSchema },
      },
    },
    async (request) => ({ jobs: await listJobs(db, principalOf(request).organizationId, request.query.state) }),
  );
};

import { z } from 'zod';
import { jobListSchema, jobStateSchema } from '../../../contracts/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listJobsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/jobs',
    {
      config: { access: 'administrator' },
      schema: { tags: ['jobs'], summary: 'List the organization’s background jobs (newest first, at most 200)', querystring: z.object({ state: jobStateSchema.optional() }), response: { 200: jobListSchema } },
    },
    async (request) => {
      let query = db.kysely.selectFrom('jobs').selectAll().where('organization_id', '=', principalOf(request).organizationId);
      if (request.query.state) query = query.where('state', '=', request.query.state);
      const rows = await query.orderBy('updated_at', 'desc').limit(200).execute();
      return {
        jobs: rows.map((r) => ({
          id: r.id,
          task: r.task,
          state: r.state,
          attempts: Number(r.attempts),
          maxAttempts: Number(r.max_attempts),
          runAt: r.run_at,
          lastError: r.last_error,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      };
    },
  );
};

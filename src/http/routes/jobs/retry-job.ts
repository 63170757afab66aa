import { z } from 'zod';
import { idParam, okSchema } from '../../../contracts/index.ts';
import { retryDeadJob } from '../../../jobs/index.ts';
import { notFound } from '../../../lib/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const retryJobRoute: RouteModule = (app, context) => {
  app.post(
    '/api/jobs/:jobId/retry',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['jobs'],
        summary: 'Put a dead job back in the queue',
        params: z.object({ jobId: idParam }),
        response: { 200: okSchema },
      },
    },
    async (request) => {
      const retried = await retryDeadJob(context.db.kysely, request.params.jobId, principalOf(request).organizationId);
      if (!retried) throw notFound('dead job');
      context.onJobsEnqueued?.();
      return { ok: true as const };
    },
  );
};

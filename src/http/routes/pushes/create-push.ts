import { z } from 'zod';
import { createPushBodySchema, idParam, pushSummarySchema } from '../../../contracts/index.ts';
import { createPush, summarizePush } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const createPushRoute: RouteModule = (app, context) => {
  app.post(
    '/api/scans/:scanId/pushes',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['issues'],
        summary: 'Create one GitLab issue per finding of a vulnerability (queued; returns at once)',
        params: z.object({ scanId: idParam }),
        body: createPushBodySchema,
        response: { 202: pushSummarySchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { vulnerabilityId, ...options } = request.body;
      const { pushId } = await createPush(context.db.kysely, {
        organizationId: p.organizationId,
        scanId: request.params.scanId,
        vulnerabilityId,
        options,
        requestedBy: p.userId,
      });
      context.onJobsEnqueued?.();
      return reply.status(202).send(await summarizePush(context.db.kysely, p.organizationId, pushId));
    },
  );
};

import { z } from 'zod';
import { idParam, pushSummarySchema } from '../../../contracts/index.ts';
import { retryPushItem, summarizePush } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const retryPushItemRoute: RouteModule = (app, context) => {
  app.post(
    '/api/pushes/:pushId/items/:itemId/retry',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['issues'],
        summary: 'Retry a failed finding of a push',
        params: z.object({ pushId: idParam, itemId: idParam }),
        response: { 200: pushSummarySchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      await retryPushItem(context.db.kysely, p.organizationId, request.params.pushId, request.params.itemId);
      context.onJobsEnqueued?.();
      return summarizePush(context.db.kysely, p.organizationId, request.params.pushId);
    },
  );
};

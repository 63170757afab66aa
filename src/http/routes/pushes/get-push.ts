import { z } from 'zod';
import { idParam, pushSummarySchema } from '../../../contracts/index.ts';
import { summarizePush } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getPushRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/pushes/:pushId',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['issues'],
        summary: 'Progress and per-finding results of a push',
        params: z.object({ pushId: idParam }),
        response: { 200: pushSummarySchema },
      },
    },
    async (request) => summarizePush(db.kysely, principalOf(request).organizationId, request.params.pushId),
  );
};

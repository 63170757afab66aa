import { z } from 'zod';
import { idParam, pushSummarySchema } from '../../../contracts/index.ts';
import { listPushes } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listPushesRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId/pushes',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['issues'],
        summary: 'The pushes of a scan, newest first',
        params: z.object({ scanId: idParam }),
        response: { 200: z.object({ pushes: z.array(pushSummarySchema) }) },
      },
    },
    async (request) => ({
      pushes: await listPushes(db.kysely, principalOf(request).organizationId, request.params.scanId),
    }),
  );
};

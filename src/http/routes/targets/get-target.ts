import { z } from 'zod';
import { idParam, targetEnvelopeSchema } from '../../../contracts/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getTargetRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/targets/:targetId',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['targets'],
        summary: 'Get one target',
        params: z.object({ targetId: idParam }),
        response: { 200: targetEnvelopeSchema },
      },
    },
    async (request) => ({
      target: await getTarget(db.kysely, principalOf(request).organizationId, request.params.targetId),
    }),
  );
};

import { z } from 'zod';
import { idParam, targetEnvelopeSchema, updateTargetBodySchema } from '../../../contracts/index.ts';
import { renameTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const updateTargetRoute: RouteModule = (app, { db }) => {
  app.patch(
    '/api/targets/:targetId',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['targets'],
        summary: 'Rename a target',
        params: z.object({ targetId: idParam }),
        body: updateTargetBodySchema,
        response: { 200: targetEnvelopeSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return {
        target: await renameTarget(
          db.kysely,
          { organizationId: p.organizationId, userId: p.userId },
          request.params.targetId,
          request.body.name,
        ),
      };
    },
  );
};

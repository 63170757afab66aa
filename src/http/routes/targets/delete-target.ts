import { z } from 'zod';
import { idParam } from '../../../contracts/index.ts';
import { deleteTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const deleteTargetRoute: RouteModule = (app, { db }) => {
  app.delete(
    '/api/targets/:targetId',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['targets'],
        summary: 'Delete a target with all its scans',
        params: z.object({ targetId: idParam }),
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      await deleteTarget(db.kysely, { organizationId: p.organizationId, userId: p.userId }, request.params.targetId);
      return reply.status(204).send();
    },
  );
};

import { z } from 'zod';
import { idParam } from '../../../contracts/index.ts';
import { removeInstance } from '../../../gitlab/index.ts';
import { recordAudit } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const deleteInstanceRoute: RouteModule = (app, { db }) => {
  app.delete(
    '/api/gitlab/instances/:instanceId',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['gitlab'],
        summary: 'Remove a self-managed instance (no target may still use it)',
        params: z.object({ instanceId: idParam }),
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      await removeInstance(db.kysely, p.organizationId, request.params.instanceId);
      await recordAudit(db.kysely, {
        organizationId: p.organizationId,
        actorUserId: p.userId,
        action: 'gitlab.instance_removed',
        subjectType: 'gitlab_instance',
        subjectId: request.params.instanceId,
      });
      return reply.status(204).send();
    },
  );
};

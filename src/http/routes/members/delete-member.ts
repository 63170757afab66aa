import { z } from 'zod';
import { idParam } from '../../../contracts/index.ts';
import { removeMember } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const deleteMemberRoute: RouteModule = (app, { db }) => {
  app.delete(
    '/api/members/:userId',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['members'],
        summary: 'Remove a member (their sessions end and tokens are revoked)',
        params: z.object({ userId: idParam }),
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      await removeMember(
        db.kysely,
        { organizationId: p.organizationId, userId: p.userId, role: p.role },
        request.params.userId,
      );
      return reply.status(204).send();
    },
  );
};

import { z } from 'zod';
import { idParam } from '../../../contracts/index.ts';
import { revokeInvitation } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const revokeInvitationRoute: RouteModule = (app, { db }) => {
  app.delete(
    '/api/invitations/:invitationId',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['invitations'],
        summary: 'Revoke a pending invitation (its link stops working)',
        params: z.object({ invitationId: idParam }),
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      await revokeInvitation(
        db.kysely,
        { organizationId: p.organizationId, userId: p.userId, role: p.role },
        request.params.invitationId,
      );
      return reply.status(204).send();
    },
  );
};

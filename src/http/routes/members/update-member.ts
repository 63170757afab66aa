import { z } from 'zod';
import { idParam, memberEnvelopeSchema, updateMemberBodySchema } from '../../../contracts/index.ts';
import { changeMemberRole } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const updateMemberRoute: RouteModule = (app, { db }) => {
  app.patch(
    '/api/members/:userId',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['members'],
        summary: 'Change a member’s role',
        params: z.object({ userId: idParam }),
        body: updateMemberBodySchema,
        response: { 200: memberEnvelopeSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return {
        member: await changeMemberRole(
          db.kysely,
          { organizationId: p.organizationId, userId: p.userId, role: p.role },
          request.params.userId,
          request.body.role,
        ),
      };
    },
  );
};

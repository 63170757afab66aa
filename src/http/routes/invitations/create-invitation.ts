import { publicUrl } from '../../../config/index.ts';
import { createdInvitationSchema, createInvitationBodySchema } from '../../../contracts/index.ts';
import { createInvitation } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const createInvitationRoute: RouteModule = (app, { db, env }) => {
  app.post(
    '/api/invitations',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['invitations'],
        summary: 'Invite someone by e-mail (the single-use link is shown once; nothing is granted until they accept)',
        body: createInvitationBodySchema,
        response: { 201: createdInvitationSchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { invitation, token } = await createInvitation(
        db.kysely,
        { organizationId: p.organizationId, userId: p.userId, role: p.role },
        request.body,
      );
      return reply.status(201).send({ invitation, token, url: `${publicUrl(env)}/invitations/${token}` });
    },
  );
};

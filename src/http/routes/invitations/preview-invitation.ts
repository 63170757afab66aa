import { invitationPreviewBodySchema, invitationPreviewSchema } from '../../../contracts/index.ts';
import { previewInvitation } from '../../../services/index.ts';
import type { RouteModule } from '../../context.ts';

// A POST so the token travels in the body: request logs record /api URLs, never bodies.
export const previewInvitationRoute: RouteModule = (app, { db }) => {
  app.post(
    '/api/invitations/preview',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link offers: organization, e-mail, role, and whether the account exists',
        body: invitationPreviewBodySchema,
        response: { 200: invitationPreviewSchema },
      },
    },
    async (request) => previewInvitation(db.kysely, request.body.token),
  );
};

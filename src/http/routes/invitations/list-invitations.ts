import { invitationListSchema } from '../../../contracts/index.ts';
import { listInvitations } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listInvitationsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/invitations',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['invitations'],
        summary: 'The organization’s pending invitations',
        response: { 200: invitationListSchema },
      },
    },
    async (request) => ({ invitations: await listInvitations(db.kysely, principalOf(request).organizationId) }),
  );
};

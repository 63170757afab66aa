import { sessionSchema, setupBodySchema } from '../../../contracts/index.ts';
import { createOrganizationWithOwner } from '../../../services/index.ts';
import type { RouteModule } from '../../context.ts';
import { startSession } from '../auth/session-cookie.ts';

export const postSetup: RouteModule = (app, context) => {
  app.post(
    '/api/setup',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Create the first organization and its Owner (only while no user exists)', body: setupBodySchema, response: { 200: sessionSchema } },
    },
    async (request, reply) => {
      const { organization, user } = await createOrganizationWithOwner(context.db.kysely, request.body, { onlyIfNoUsers: true });
      return startSession(context, request, reply, { user, organization, role: 'owner' });
    },
  );
};

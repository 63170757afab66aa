import { acceptInvitationBodySchema, sessionSchema } from '../../../contracts/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { acceptInvitation } from '../../../services/index.ts';
import { assertNotThrottled, clearFailures, recordFailure } from '../../auth/login-throttle.ts';
import type { RouteModule } from '../../context.ts';
import { startSession } from '../auth/session-cookie.ts';

// Public: the link is the invitation. An existing account's password is checked here, so failures count
// towards the same per-(e-mail, address) throttle as sign-in. The answer is a session bound to the
// organization of the invitation.
export const acceptInvitationRoute: RouteModule = (app, context) => {
  const { db } = context;
  app.post(
    '/api/invitations/accept',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['invitations'],
        summary:
          'Accept an invitation: a new account chooses its name and password; an existing one gives its own password. Signs in to that organization',
        body: acceptInvitationBodySchema,
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const { email } = request.body;
      await assertNotThrottled(db.kysely, email, request.ip);
      try {
        const accepted = await acceptInvitation(db.kysely, request.body);
        await clearFailures(db.kysely, email, request.ip);
        return startSession(context, request, reply, accepted);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'invalid_credentials')
          await recordFailure(db.kysely, email, request.ip);
        throw error;
      }
    },
  );
};

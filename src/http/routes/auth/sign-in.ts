import { signInBodySchema, signInResultSchema } from '../../../contracts/index.ts';
import { DUMMY_HASH, verifyPassword } from '../../../crypto/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { findUserByEmail, listUserOrganizations, recordAudit } from '../../../services/index.ts';
import { assertNotThrottled, clearFailures, recordFailure } from '../../auth/login-throttle.ts';
import type { RouteModule } from '../../context.ts';
import { startSession } from './session-cookie.ts';

export const signIn: RouteModule = (app, context) => {
  const { db } = context;
  app.post(
    '/api/auth/sign-in',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Sign in with email and password; sets the session cookie. An account in several organizations without organizationId gets the list to choose from, and no session',
        body: signInBodySchema,
        response: { 200: signInResultSchema },
      },
    },
    async (request, reply) => {
      const { email, password, organizationId } = request.body;
      await assertNotThrottled(db.kysely, email, request.ip);
      const user = await findUserByEmail(db.kysely, email);
      const valid = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      const organizations = user && valid && !user.disabled_at ? await listUserOrganizations(db.kysely, user.id) : [];
      if (!user || organizations.length === 0) {
        await recordFailure(db.kysely, email, request.ip);
        throw new DomainError('invalid_credentials', 'the email or password is wrong');
      }
      await clearFailures(db.kysely, email, request.ip);
      // A session is bound to exactly one organization: an account in several chooses (issue #14).
      if (organizationId === undefined && organizations.length > 1) return { chooseOrganization: organizations };
      const membership =
        organizationId === undefined ? organizations[0] : organizations.find((o) => o.id === organizationId);
      if (!membership) throw new DomainError('forbidden', 'this account is not a member of that organization');
      await recordAudit(db.kysely, { organizationId: membership.id, actorUserId: user.id, action: 'user.signed_in' });
      return startSession(context, request, reply, {
        user,
        organization: { id: membership.id, name: membership.name },
        role: membership.role,
      });
    },
  );
};

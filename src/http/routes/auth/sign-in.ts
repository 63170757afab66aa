import { sessionSchema, signInBodySchema } from '../../../contracts/index.ts';
import { DUMMY_HASH, verifyPassword } from '../../../crypto/index.ts';
import { DomainError } from '../../../lib/errors.ts';
import { recordAudit } from '../../../services/index.ts';
import { assertNotThrottled, clearFailures, recordFailure } from '../../auth/login-throttle.ts';
import type { RouteModule } from '../../context.ts';
import { startSession } from './session-cookie.ts';

export const signIn: RouteModule = (app, context) => {
  const { db } = context;
  app.post(
    '/api/auth/sign-in',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Sign in with email and password; sets the session cookie', body: signInBodySchema, response: { 200: sessionSchema } },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      await assertNotThrottled(db.kysely, email, request.ip);
      const user = await db.kysely.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      const valid = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
      const membership =
        user && valid && !user.disabled_at
          ? await db.kysely
              .selectFrom('memberships')
              .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
              .select(['organizations.id', 'organizations.name', 'memberships.role'])
              .where('memberships.user_id', '=', user.id)
              .orderBy('memberships.created_at')
              .executeTakeFirst()
          : undefined;
      if (!user || !membership) {
        await recordFailure(db.kysely, email, request.ip);
        throw new DomainError('invalid_credentials', 'the email or password is wrong');
      }
      await clearFailures(db.kysely, email, request.ip);
      await recordAudit(db.kysely, { organizationId: membership.id, actorUserId: user.id, action: 'user.signed_in' });
      return startSession(context, request, reply, { user, organization: { id: membership.id, name: membership.name }, role: membership.role });
    },
  );
};

import { sessionSchema, setupBodySchema } from '../../../contracts/index.ts';
import { consumeSetupCode, countUsers, createOrganizationWithOwner, findSetupCode } from '../../../services/index.ts';
import { DomainError } from '../../../lib/index.ts';
import type { RouteModule } from '../../context.ts';
import { assertNotThrottled, clearFailures, recordFailure } from '../../auth/login-throttle.ts';
import { startSession } from '../auth/session-cookie.ts';

/** The throttle's key for set-up codes (wrong codes count per client address, in the database). */
const SETUP_CODE = 'setup-code';

export const postSetup: RouteModule = (app, context) => {
  app.post(
    '/api/setup',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Create the first organization and its Owner (only while no user exists, with the set-up code the server printed in its log)',
        body: setupBodySchema,
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const db = context.db.kysely;
      await assertNotThrottled(db, SETUP_CODE, request.ip, 'set-up code');
      if ((await countUsers(db)) > 0)
        throw new DomainError('already_set_up', 'Vulnbridge is already set up; sign in instead');
      const { setupCode, ...account } = request.body;
      let codeId: string;
      try {
        codeId = await findSetupCode(db, setupCode);
      } catch (error) {
        await recordFailure(db, SETUP_CODE, request.ip);
        throw error;
      }
      const { organization, user } = await createOrganizationWithOwner(db, account, {
        onlyIfNoUsers: true,
        beforeCreate: (trx) => consumeSetupCode(trx, codeId),
      });
      await clearFailures(db, SETUP_CODE, request.ip);
      return startSession(context, request, reply, { user, organization, role: 'owner' });
    },
  );
};

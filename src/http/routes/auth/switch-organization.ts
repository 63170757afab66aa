import { sessionSchema, switchOrganizationBodySchema } from '../../../contracts/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { listUserOrganizations, recordAudit } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { startSession } from './session-cookie.ts';

// A session is bound to exactly one organization: switching ends it and starts a new one bound to the
// other organization, after checking the account is a member there.
export const switchOrganizationRoute: RouteModule = (app, context) => {
  const { db } = context;
  app.post(
    '/api/auth/switch-organization',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['auth'],
        summary: 'Switch to another organization of the signed-in account (a new session)',
        body: switchOrganizationBodySchema,
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (p.kind !== 'session')
        throw new DomainError(
          'invalid_request',
          'an API token belongs to one organization; sign in to switch organizations',
        );
      const target = (await listUserOrganizations(db.kysely, p.userId)).find(
        (o) => o.id === request.body.organizationId,
      );
      if (!target) throw new DomainError('not_found', 'organization not found');
      await recordAudit(db.kysely, {
        organizationId: target.id,
        actorUserId: p.userId,
        action: 'user.switched_organization',
        details: { from: p.organizationId },
      });
      return startSession(context, request, reply, {
        user: { id: p.userId, email: p.email, name: p.name },
        organization: { id: target.id, name: target.name },
        role: target.role,
      });
    },
  );
};

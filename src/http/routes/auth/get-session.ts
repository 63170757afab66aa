import { sessionSchema } from '../../../contracts/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getSession: RouteModule = (app) => {
  app.get(
    '/api/auth/session',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, organization, role and CSRF token',
        response: { 200: sessionSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.kind !== 'session')
        throw new DomainError('invalid_request', 'API tokens have no session; use the API directly');
      return {
        user: { id: p.userId, email: p.email, name: p.name },
        organization: { id: p.organizationId, name: p.organizationName },
        role: p.role,
        csrfToken: p.csrfToken,
      };
    },
  );
};

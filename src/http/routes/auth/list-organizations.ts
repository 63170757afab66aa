import { organizationListSchema } from '../../../contracts/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { listUserOrganizations } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listOrganizationsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/auth/organizations',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['auth'],
        summary: 'The organizations the signed-in account belongs to (to switch between them)',
        response: { 200: organizationListSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.kind !== 'session')
        throw new DomainError(
          'invalid_request',
          'an API token belongs to one organization; sign in to switch organizations',
        );
      return { organizations: await listUserOrganizations(db.kysely, p.userId) };
    },
  );
};

import { memberListSchema } from '../../../contracts/index.ts';
import { listMembers } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listMembersRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/members',
    {
      config: { access: 'reader' },
      schema: { tags: ['members'], summary: 'List the organization’s members', response: { 200: memberListSchema } },
    },
    async (request) => ({ members: await listMembers(db.kysely, principalOf(request).organizationId) }),
  );
};

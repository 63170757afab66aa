import { targetListSchema } from '../../../contracts/index.ts';
import { listTargets } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listTargetsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/targets',
    {
      config: { access: 'reader' },
      schema: { tags: ['targets'], summary: 'List the organization’s targets', response: { 200: targetListSchema } },
    },
    async (request) => ({ targets: await listTargets(db.kysely, principalOf(request).organizationId) }),
  );
};

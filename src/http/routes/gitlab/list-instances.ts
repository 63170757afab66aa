import { z } from 'zod';
import { gitlabInstanceSchema } from '../../../contracts/index.ts';
import { listInstances } from '../../../gitlab/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listInstancesRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/gitlab/instances',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['gitlab'],
        summary: 'GitLab instances targets can connect to, with the redirect URI and scope to register',
        response: { 200: z.object({ instances: z.array(gitlabInstanceSchema) }) },
      },
    },
    async (request) => ({ instances: await listInstances(db.kysely, env, principalOf(request).organizationId) }),
  );
};

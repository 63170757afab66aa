import { z } from 'zod';
import { idParam, pickerPageSchema, pickerQuerySchema } from '../../../contracts/index.ts';
import { listPickerProjects } from '../../../gitlab/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { connectedClient } from './connected-client.ts';

export const listProjectsRoute: RouteModule = (app, context) => {
  app.get(
    '/api/targets/:targetId/gitlab/projects',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['gitlab'],
        summary:
          'Projects for the picker (searchable; includeGroups adds every project of the user’s groups and subgroups); page with nextCursor',
        params: z.object({ targetId: idParam }),
        querystring: pickerQuerySchema,
        response: { 200: pickerPageSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const target = await getTarget(context.db.kysely, p.organizationId, request.params.targetId);
      const { client } = await connectedClient(context, p.organizationId, target.id);
      const { search, includeGroups, cursor } = request.query;
      return listPickerProjects(client, {
        includeGroups,
        ...(search ? { search } : {}),
        ...(cursor ? { cursor } : {}),
      });
    },
  );
};

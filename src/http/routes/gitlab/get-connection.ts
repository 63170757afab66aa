import { targetGitlabSchema } from '../../../contracts/index.ts';
import { findConnection, findProjectLink, listInstances } from '../../../gitlab/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { toConnectionInfo, toProjectLinkInfo } from './views.ts';
import { params } from './connection-params.ts';

export const getConnectionRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/targets/:targetId/gitlab',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['gitlab'],
        summary: 'The target’s GitLab connection, default project and the instances it can use',
        params,
        response: { 200: targetGitlabSchema },
      },
    },
    async (request) => {
      const { organizationId } = principalOf(request);
      const target = await getTarget(db.kysely, organizationId, request.params.targetId);
      const connection = await findConnection(db.kysely, organizationId, target.id);
      const link = await findProjectLink(db.kysely, organizationId, target.id, null);
      return {
        connection: connection ? toConnectionInfo(connection) : null,
        defaultProject: link ? toProjectLinkInfo(link) : null,
        instances: await listInstances(db.kysely, env, organizationId),
      };
    },
  );
};

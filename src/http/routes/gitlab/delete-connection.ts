import {
  deleteConnection,
  findConnection,
  openAccessToken,
  resolveInstance,
  revokeToken,
} from '../../../gitlab/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { params } from './connection-params.ts';

export const disconnectRoute: RouteModule = (app, { db, env, secretBox, gitlab }) => {
  app.delete(
    '/api/targets/:targetId/gitlab',
    {
      config: { access: 'contributor' },
      schema: { tags: ['gitlab'], summary: 'Disconnect: revoke the OAuth token at GitLab and delete it here', params },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const connection = await findConnection(db.kysely, p.organizationId, request.params.targetId);
      if (!connection) {
        await getTarget(db.kysely, p.organizationId, request.params.targetId);
        return reply.status(204).send();
      }
      if (connection.auth_kind === 'oauth') {
        const instance = await resolveInstance(
          db.kysely,
          env,
          secretBox,
          p.organizationId,
          connection.instance_id,
        ).catch(() => null);
        if (instance) await revokeToken(gitlab.fetch, instance, openAccessToken(secretBox, connection));
      }
      await deleteConnection(db.kysely, p.organizationId, connection.id, p.userId);
      return reply.status(204).send();
    },
  );
};

import { z } from 'zod';
import { connectTokenBodySchema, gitlabConnectionSchema, idParam, targetGitlabSchema } from '../../../contracts/index.ts';
import { checkInstanceUrl, deleteConnection, findConnection, findProjectLink, GitlabClient, listInstances, openAccessToken, parseAllowedHosts, resolveInstance, revokeToken, saveConnection } from '../../../gitlab/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { toConnectionInfo, toProjectLinkInfo } from './views.ts';

const params = z.object({ targetId: idParam });

export const getConnectionRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/targets/:targetId/gitlab',
    { config: { access: 'reader' }, schema: { tags: ['gitlab'], summary: 'The target’s GitLab connection, default project and the instances it can use', params, response: { 200: targetGitlabSchema } } },
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

export const connectTokenRoute: RouteModule = (app, { db, env, secretBox, gitlab }) => {
  app.post(
    '/api/targets/:targetId/gitlab/token',
    {
      config: { access: 'contributor' },
      schema: { tags: ['gitlab'], summary: 'Connect the target with a personal or project access token (scope api)', params, body: connectTokenBodySchema, response: { 200: z.object({ connection: gitlabConnectionSchema }) } },
    },
    async (request) => {
      const p = principalOf(request);
      const target = await getTarget(db.kysely, p.organizationId, request.params.targetId);
      const { instanceId, baseUrl } = request.body.instanceId
        ? await resolveInstance(db.kysely, env, secretBox, p.organizationId, request.body.instanceId).then((i) => ({ instanceId: i.id, baseUrl: i.baseUrl }))
        : { instanceId: 'token', baseUrl: checkInstanceUrl(request.body.baseUrl ?? '', parseAllowedHosts(env.GITLAB_ALLOWED_HOSTS)) };
      const token = request.body.token;
      const client = new GitlabClient({ baseUrl, fetch: gitlab.fetch, token: async () => token });
      const user = await client.currentUser().catch((error) => {
        if ((error as { failure?: string }).failure === 'unauthorized') throw new DomainError('invalid_request', 'GitLab refused this token (401): check that it is valid, not expired, and has the api scope');
        throw error;
      });
      const connection = await saveConnection(db.kysely, secretBox, { organizationId: p.organizationId, targetId: target.id, instanceId, baseUrl, authKind: 'access_token', user, tokens: { accessToken: token, refreshToken: null, expiresAt: null }, connectedBy: p.userId });
      return { connection: toConnectionInfo(connection) };
    },
  );
};

export const disconnectRoute: RouteModule = (app, { db, env, secretBox, gitlab }) => {
  app.delete(
    '/api/targets/:targetId/gitlab',
    { config: { access: 'contributor' }, schema: { tags: ['gitlab'], summary: 'Disconnect: revoke the OAuth token at GitLab and delete it here', params } },
    async (request, reply) => {
      const p = principalOf(request);
      const connection = await findConnection(db.kysely, p.organizationId, request.params.targetId);
      if (!connection) {
        await getTarget(db.kysely, p.organizationId, request.params.targetId);
        return reply.status(204).send();
      }
      if (connection.auth_kind === 'oauth') {
        const instance = await resolveInstance(db.kysely, env, secretBox, p.organizationId, connection.instance_id).catch(() => null);
        if (instance) await revokeToken(gitlab.fetch, instance, openAccessToken(secretBox, connection));
      }
      await deleteConnection(db.kysely, p.organizationId, connection.id, p.userId);
      return reply.status(204).send();
    },
  );
};

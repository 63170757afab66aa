import { z } from 'zod';
import { connectTokenBodySchema, gitlabConnectionSchema } from '../../../contracts/index.ts';
import {
  checkInstanceUrl,
  GitlabClient,
  parseAllowedHosts,
  resolveInstance,
  saveConnection,
} from '../../../gitlab/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { toConnectionInfo } from './views.ts';
import { params } from './connection-params.ts';

export const connectTokenRoute: RouteModule = (app, { db, env, secretBox, gitlab }) => {
  app.post(
    '/api/targets/:targetId/gitlab/token',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['gitlab'],
        summary: 'Connect the target with a personal or project access token (scope api)',
        params,
        body: connectTokenBodySchema,
        response: { 200: z.object({ connection: gitlabConnectionSchema }) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const target = await getTarget(db.kysely, p.organizationId, request.params.targetId);
      const { instanceId, baseUrl } = request.body.instanceId
        ? await resolveInstance(db.kysely, env, secretBox, p.organizationId, request.body.instanceId).then((i) => ({
            instanceId: i.id,
            baseUrl: i.baseUrl,
          }))
        : {
            instanceId: 'token',
            baseUrl: checkInstanceUrl(request.body.baseUrl ?? '', parseAllowedHosts(env.GITLAB_ALLOWED_HOSTS)),
          };
      const token = request.body.token;
      const client = new GitlabClient({ baseUrl, fetch: gitlab.fetch, token: async () => token });
      const user = await client.currentUser().catch((error) => {
        if ((error as { failure?: string }).failure === 'unauthorized')
          throw new DomainError(
            'invalid_request',
            'GitLab refused this token (401): check that it is valid, not expired, and has the api scope',
          );
        throw error;
      });
      const connection = await saveConnection(db.kysely, secretBox, {
        organizationId: p.organizationId,
        targetId: target.id,
        instanceId,
        baseUrl,
        authKind: 'access_token',
        user,
        tokens: { accessToken: token, refreshToken: null, expiresAt: null },
        connectedBy: p.userId,
      });
      return { connection: toConnectionInfo(connection) };
    },
  );
};

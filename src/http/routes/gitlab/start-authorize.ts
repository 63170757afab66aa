import { z } from 'zod';
import { authorizeBodySchema, idParam } from '../../../contracts/index.ts';
import { randomToken } from '../../../crypto/index.ts';
import { authorizeUrl, CALLBACK_PATH, createPkce, resolveInstance, toOAuthApp } from '../../../gitlab/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { OAUTH_COOKIE, type PendingAuthorization, STATE_TTL_MS } from './oauth-state.ts';

export const startAuthorizeRoute: RouteModule = (app, { db, env, secretBox }) => {
  app.post(
    '/api/targets/:targetId/gitlab/authorize',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['gitlab'],
        summary: 'Start OAuth: returns the GitLab URL to open; the state is bound to this session',
        params: z.object({ targetId: idParam }),
        body: authorizeBodySchema,
        response: { 200: z.object({ authorizeUrl: z.string() }) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (p.kind !== 'session')
        throw new DomainError(
          'invalid_request',
          'authorizing needs a browser session; with an API token, connect with a GitLab access token instead',
        );
      const target = await getTarget(db.kysely, p.organizationId, request.params.targetId);
      const instance = await resolveInstance(db.kysely, env, secretBox, p.organizationId, request.body.instanceId);
      const { verifier, challenge } = createPkce();
      const pending: PendingAuthorization = {
        state: randomToken(24),
        verifier,
        targetId: target.id,
        instanceId: instance.id,
        sessionId: p.sessionId,
        expiresAt: Date.now() + STATE_TTL_MS,
      };
      reply.setCookie(OAUTH_COOKIE, secretBox.seal(JSON.stringify(pending), OAUTH_COOKIE), {
        path: CALLBACK_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: env.PUBLIC_URL?.startsWith('https:') ?? false,
        maxAge: STATE_TTL_MS / 1000,
      });
      return { authorizeUrl: authorizeUrl(toOAuthApp(instance), pending.state, challenge) };
    },
  );
};

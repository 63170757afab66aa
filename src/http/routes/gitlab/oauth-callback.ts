import { z } from 'zod';
import { constantTimeEqual } from '../../../crypto/index.ts';
import {
  CALLBACK_PATH,
  exchangeCode,
  GitlabClient,
  resolveInstance,
  saveConnection,
  toOAuthApp,
} from '../../../gitlab/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { OAUTH_COOKIE, type PendingAuthorization } from './oauth-state.ts';

export const oauthCallbackRoute: RouteModule = (app, { db, env, secretBox, gitlab }) => {
  app.get(
    CALLBACK_PATH,
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['gitlab'],
        summary:
          'OAuth redirect target: checks state, exchanges the code, reads /user, stores the connection, then redirects to the target’s integration settings',
        querystring: z.object({
          code: z.string().max(2000).optional(),
          state: z.string().max(200).optional(),
          error: z.string().max(200).optional(),
          error_description: z.string().max(2000).optional(),
        }),
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const raw = request.cookies[OAUTH_COOKIE];
      reply.clearCookie(OAUTH_COOKIE, { path: CALLBACK_PATH });
      let pending: PendingAuthorization | null = null;
      try {
        pending = raw ? (JSON.parse(secretBox.open(raw, OAUTH_COOKIE)) as PendingAuthorization) : null;
      } catch {
        pending = null;
      }
      const back = (targetId: string | null, result: Record<string, string>) =>
        reply.redirect(
          `${targetId ? `/targets/${encodeURIComponent(targetId)}/integrations` : '/targets'}?${new URLSearchParams(result).toString()}`,
          303,
        );
      const { code, state, error, error_description: errorDescription } = request.query;
      if (
        !pending ||
        p.kind !== 'session' ||
        pending.sessionId !== p.sessionId ||
        pending.expiresAt < Date.now() ||
        !state ||
        !constantTimeEqual(state, pending.state)
      ) {
        return back(pending?.targetId ?? null, {
          gitlab_error:
            'The authorization could not be matched to your session (it expired, or was started elsewhere). Click Authorize again.',
        });
      }
      if (error || !code) {
        return back(pending.targetId, {
          gitlab_error:
            error === 'access_denied'
              ? 'You denied access in GitLab; nothing was connected.'
              : `GitLab did not authorize: ${errorDescription ?? error ?? 'no code returned'}`,
        });
      }
      try {
        const target = await getTarget(db.kysely, p.organizationId, pending.targetId);
        const instance = await resolveInstance(db.kysely, env, secretBox, p.organizationId, pending.instanceId);
        const tokens = await exchangeCode(gitlab.fetch, toOAuthApp(instance), code, pending.verifier);
        const user = await new GitlabClient({
          baseUrl: instance.baseUrl,
          fetch: gitlab.fetch,
          token: async () => tokens.accessToken,
        }).currentUser();
        await saveConnection(db.kysely, secretBox, {
          organizationId: p.organizationId,
          targetId: target.id,
          instanceId: instance.id,
          baseUrl: instance.baseUrl,
          authKind: 'oauth',
          user,
          tokens,
          connectedBy: p.userId,
        });
        return back(target.id, { gitlab: 'connected' });
      } catch (failure) {
        request.log.warn({ err: failure }, 'GitLab authorization failed');
        return back(pending.targetId, { gitlab_error: `Connecting to GitLab failed: ${(failure as Error).message}` });
      }
    },
  );
};

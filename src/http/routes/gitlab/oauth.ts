// Authorize (PKCE S256, state bound to the signed-in session in an httpOnly cookie) and the callback.
import { z } from 'zod';
import { authorizeBodySchema, idParam } from '../../../contracts/index.ts';
import { constantTimeEqual, randomToken } from '../../../crypto/index.ts';
import { authorizeUrl, CALLBACK_PATH, createPkce, exchangeCode, GitlabClient, resolveInstance, saveConnection, toOAuthApp } from '../../../gitlab/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const OAUTH_COOKIE = 'vb_oauth';
const STATE_TTL_MS = 10 * 60_000;

interface PendingAuthorization {
  state: string;
  verifier: string;
  targetId: string;
  instanceId: string;
  sessionId: string;
  expiresAt: number;
}

export const startAuthorizeRoute: RouteModule = (app, { db, env, secretBox }) => {
  app.post(
    '/api/targets/:targetId/gitlab/authorize',
    {
      config: { access: 'contributor' },
      schema: { tags: ['gitlab'], summary: 'Start OAuth: returns the GitLab URL to open; the state is bound to this session', params: z.object({ targetId: idParam }), body: authorizeBodySchema, response: { 200: z.object({ authorizeUrl: z.string() }) } },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (p.kind !== 'session') throw new DomainError('invalid_request', 'authorizing needs a browser session; with an API token, connect with a GitLab access token instead');
      const target = await getTarget(db.kysely, p.organizationId, request.params.targetId);
      const instance = await resolveInstance(db.kysely, env, secretBox, p.organizationId, request.body.instanceId);
      const { verifier, challenge } = createPkce();
      const pending: PendingAuthorization = { state: randomToken(24), verifier, targetId: target.id, instanceId: instance.id, sessionId: p.sessionId, expiresAt: Date.now() + STATE_TTL_MS };
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

export const oauthCallbackRoute: RouteModule = (app, { db, env, secretBox, gitlab }) => {
  app.get(
    CALLBACK_PATH,
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['gitlab'],
        summary: 'OAuth redirect target: checks state, exchanges the code, reads /user, stores the connection, then redirects to the target’s integration settings',
        querystring: z.object({ code: z.string().max(2000).optional(), state: z.string().max(200).optional(), error: z.string().max(200).optional(), error_description: z.string().max(2000).optional() }),
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
        reply.redirect(`${targetId ? `/targets/${encodeURIComponent(targetId)}/integrations` : '/targets'}?${new URLSearchParams(result).toString()}`, 303);
      const { code, state, error, error_description: errorDescription } = request.query;
      if (!pending || p.kind !== 'session' || pending.sessionId !== p.sessionId || pending.expiresAt < Date.now() || !state || !constantTimeEqual(state, pending.state)) {
        return back(pending?.targetId ?? null, { gitlab_error: 'The authorization could not be matched to your session (it expired, or was started elsewhere). Click Authorize again.' });
      }
      if (error || !code) {
        return back(pending.targetId, { gitlab_error: error === 'access_denied' ? 'You denied access in GitLab; nothing was connected.' : `GitLab did not authorize: ${errorDescription ?? error ?? 'no code returned'}` });
      }
      try {
        const target = await getTarget(db.kysely, p.organizationId, pending.targetId);
        const instance = await resolveInstance(db.kysely, env, secretBox, p.organizationId, pending.instanceId);
        const tokens = await exchangeCode(gitlab.fetch, toOAuthApp(instance), code, pending.verifier);
        const user = await new GitlabClient({ baseUrl: instance.baseUrl, fetch: gitlab.fetch, token: async () => tokens.accessToken }).currentUser();
        await saveConnection(db.kysely, secretBox, { organizationId: p.organizationId, targetId: target.id, instanceId: instance.id, baseUrl: instance.baseUrl, authKind: 'oauth', user, tokens, connectedBy: p.userId });
        return back(target.id, { gitlab: 'connected' });
      } catch (failure) {
        request.log.warn({ err: failure }, 'GitLab authorization failed');
        return back(pending.targetId, { gitlab_error: `Connecting to GitLab failed: ${(failure as Error).message}` });
      }
    },
  );
};

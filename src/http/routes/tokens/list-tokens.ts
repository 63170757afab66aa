import { apiTokenListSchema } from '../../../contracts/index.ts';
import { principalOf } from '../../auth/access.ts';
import { listApiTokens } from '../../auth/api-tokens.ts';
import type { RouteModule } from '../../context.ts';

export const listTokensRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/tokens',
    {
      config: { access: 'reader', scope: 'session' },
      schema: {
        tags: ['tokens'],
        summary: 'List your API tokens in this organization, with scopes and last use (signed-in session only)',
        response: { 200: apiTokenListSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return { tokens: await listApiTokens(db.kysely, p.organizationId, p.userId) };
    },
  );
};

import { z } from 'zod';
import { idParam } from '../../../contracts/index.ts';
import { principalOf } from '../../auth/access.ts';
import { revokeApiToken } from '../../auth/api-tokens.ts';
import type { RouteModule } from '../../context.ts';

export const deleteTokenRoute: RouteModule = (app, { db }) => {
  app.delete(
    '/api/tokens/:tokenId',
    {
      config: { access: 'reader', scope: 'session' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of your API tokens (signed-in session only)',
        params: z.object({ tokenId: idParam }),
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      await revokeApiToken(db.kysely, { organizationId: p.organizationId, userId: p.userId }, request.params.tokenId);
      return reply.status(204).send();
    },
  );
};

import { createApiTokenBodySchema, createdApiTokenSchema } from '../../../contracts/index.ts';
import { principalOf } from '../../auth/access.ts';
import { createApiToken } from '../../auth/api-tokens.ts';
import type { RouteModule } from '../../context.ts';

export const createTokenRoute: RouteModule = (app, { db }) => {
  app.post(
    '/api/tokens',
    {
      config: { access: 'reader', scope: 'session' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token with one or more scopes (the secret is shown once; signed-in session only)',
        body: createApiTokenBodySchema,
        response: { 201: createdApiTokenSchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = await createApiToken(
        db.kysely,
        { organizationId: p.organizationId, userId: p.userId, role: p.role },
        request.body,
      );
      return reply.status(201).send(created);
    },
  );
};

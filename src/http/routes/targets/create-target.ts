import { createTargetBodySchema, targetEnvelopeSchema } from '../../../contracts/index.ts';
import { createTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const createTargetRoute: RouteModule = (app, { db }) => {
  app.post(
    '/api/targets',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['targets'],
        summary: 'Create a target (a web application)',
        body: createTargetBodySchema,
        response: { 201: targetEnvelopeSchema },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const target = await createTarget(
        db.kysely,
        { organizationId: p.organizationId, userId: p.userId },
        request.body,
      );
      return reply.status(201).send({ target });
    },
  );
};

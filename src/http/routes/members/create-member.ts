
import { createMemberBodySchema, memberEnvelopeSchema, } from '../../../contracts/index.ts';
import { addMember } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const createMemberRoute: RouteModule = (app, { db }) => {
  app.post(
    '/api/members',
    { config: { access: 'administrator' }, schema: { tags: ['members'], summary: 'Add a member (creating the user when new)', body: createMemberBodySchema, response: { 201: memberEnvelopeSchema } } },
    async (request, reply) => {
      const p = principalOf(request);
      const member = await addMember(db.kysely, { organizationId: p.organizationId, userId: p.userId, role: p.role }, request.body);
      return reply.status(201).send({ member });
    },
  );
};

import { z } from 'zod';
import { createGitlabInstanceBodySchema, gitlabInstanceSchema } from '../../../contracts/index.ts';
import { addInstance } from '../../../gitlab/index.ts';
import { recordAudit } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const createInstanceRoute: RouteModule = (app, { db, env, secretBox }) => {
  app.post(
    '/api/gitlab/instances',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['gitlab'],
        summary: 'Add a self-managed GitLab instance and its OAuth application',
        body: createGitlabInstanceBodySchema,
        response: { 201: z.object({ instance: gitlabInstanceSchema }) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const instance = await addInstance(db.kysely, env, secretBox, p.organizationId, request.body);
      await recordAudit(db.kysely, {
        organizationId: p.organizationId,
        actorUserId: p.userId,
        action: 'gitlab.instance_added',
        subjectType: 'gitlab_instance',
        subjectId: instance.id,
        details: { baseUrl: instance.baseUrl },
      });
      return reply.status(201).send({ instance });
    },
  );
};

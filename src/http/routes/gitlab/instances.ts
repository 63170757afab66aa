import { z } from 'zod';
import { createGitlabInstanceBodySchema, gitlabInstanceSchema, idParam } from '../../../contracts/index.ts';
import { addInstance, listInstances, removeInstance } from '../../../gitlab/index.ts';
import { recordAudit } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listInstancesRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/gitlab/instances',
    { config: { access: 'reader' }, schema: { tags: ['gitlab'], summary: 'GitLab instances targets can connect to, with the redirect URI and scope to register', response: { 200: z.object({ instances: z.array(gitlabInstanceSchema) }) } } },
    async (request) => ({ instances: await listInstances(db.kysely, env, principalOf(request).organizationId) }),
  );
};

export const createInstanceRoute: RouteModule = (app, { db, env, secretBox }) => {
  app.post(
    '/api/gitlab/instances',
    { config: { access: 'administrator' }, schema: { tags: ['gitlab'], summary: 'Add a self-managed GitLab instance and its OAuth application', body: createGitlabInstanceBodySchema, response: { 201: z.object({ instance: gitlabInstanceSchema }) } } },
    async (request, reply) => {
      const p = principalOf(request);
      const instance = await addInstance(db.kysely, env, secretBox, p.organizationId, request.body);
      await recordAudit(db.kysely, { organizationId: p.organizationId, actorUserId: p.userId, action: 'gitlab.instance_added', subjectType: 'gitlab_instance', subjectId: instance.id, details: { baseUrl: instance.baseUrl } });
      return reply.status(201).send({ instance });
    },
  );
};

export const deleteInstanceRoute: RouteModule = (app, { db }) => {
  app.delete(
    '/api/gitlab/instances/:instanceId',
    { config: { access: 'administrator' }, schema: { tags: ['gitlab'], summary: 'Remove a self-managed instance (no target may still use it)', params: z.object({ instanceId: idParam }) } },
    async (request, reply) => {
      const p = principalOf(request);
      await removeInstance(db.kysely, p.organizationId, request.params.instanceId);
      await recordAudit(db.kysely, { organizationId: p.organizationId, actorUserId: p.userId, action: 'gitlab.instance_removed', subjectType: 'gitlab_instance', subjectId: request.params.instanceId });
      return reply.status(204).send();
    },
  );
};

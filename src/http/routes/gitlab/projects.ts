import { z } from 'zod';
import { idParam, linkProjectBodySchema, linkProjectResultSchema, pickerPageSchema, pickerQuerySchema, projectLinkSchema } from '../../../contracts/index.ts';
import { findConnection, findProjectLink, linkProject, listPickerProjects } from '../../../gitlab/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { getScanRow, getTarget } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { AppContext, RouteModule } from '../../context.ts';
import { toProjectLinkInfo } from './views.ts';

async function connectedClient(context: AppContext, organizationId: string, targetId: string) {
  const connection = await findConnection(context.db.kysely, organizationId, targetId);
  if (!connection) throw new DomainError('conflict', 'this target is not connected to GitLab yet: open its GitLab settings and click Authorize');
  return context.gitlab.tokens.client(connection.id);
}

export const listProjectsRoute: RouteModule = (app, context) => {
  app.get(
    '/api/targets/:targetId/gitlab/projects',
    {
      config: { access: 'contributor' },
      schema: { tags: ['gitlab'], summary: 'Projects for the picker (searchable; includeGroups adds every project of the user’s groups and subgroups); page with nextCursor', params: z.object({ targetId: idParam }), querystring: pickerQuerySchema, response: { 200: pickerPageSchema } },
    },
    async (request) => {
      const p = principalOf(request);
      const target = await getTarget(context.db.kysely, p.organizationId, request.params.targetId);
      const { client } = await connectedClient(context, p.organizationId, target.id);
      const { search, includeGroups, cursor } = request.query;
      return listPickerProjects(client, { includeGroups, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) });
    },
  );
};

export const linkProjectRoute: RouteModule = (app, context) => {
  app.put(
    '/api/scans/:scanId/gitlab/project',
    {
      config: { access: 'contributor' },
      schema: { tags: ['gitlab'], summary: 'Choose the GitLab project for a scan’s issues (also the target’s default): checks access, creates the label, registers the webhook or falls back to polling', params: z.object({ scanId: idParam }), body: linkProjectBodySchema, response: { 200: linkProjectResultSchema } },
    },
    async (request) => {
      const p = principalOf(request);
      const scan = await getScanRow(context.db.kysely, p.organizationId, request.params.scanId);
      const { client, connection } = await connectedClient(context, p.organizationId, scan.target_id);
      const result = await linkProject({ db: context.db.kysely, env: context.env, box: context.secretBox }, client, { connection, scanId: scan.id, projectId: request.body.projectId, confidentialByDefault: request.body.confidentialByDefault, actorUserId: p.userId });
      return { link: toProjectLinkInfo(result.link), messages: result.messages };
    },
  );
};

export const getProjectLinkRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId/gitlab/project',
    { config: { access: 'reader' }, schema: { tags: ['gitlab'], summary: 'The GitLab project of a scan (or the target’s default)', params: z.object({ scanId: idParam }), response: { 200: z.object({ link: projectLinkSchema.nullable() }) } } },
    async (request) => {
      const p = principalOf(request);
      const scan = await getScanRow(db.kysely, p.organizationId, request.params.scanId);
      const link = await findProjectLink(db.kysely, p.organizationId, scan.target_id, scan.id);
      return { link: link ? toProjectLinkInfo(link) : null };
    },
  );
};

import { z } from 'zod';
import { idParam, linkProjectBodySchema, linkProjectResultSchema } from '../../../contracts/index.ts';
import { linkProject } from '../../../gitlab/index.ts';
import { getScanRow } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { toProjectLinkInfo } from './views.ts';
import { connectedClient } from './connected-client.ts';

export const linkProjectRoute: RouteModule = (app, context) => {
  app.put(
    '/api/scans/:scanId/gitlab/project',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['gitlab'],
        summary:
          'Choose the GitLab project for a scan’s issues (also the target’s default): checks access, creates the label, registers the webhook or falls back to polling',
        params: z.object({ scanId: idParam }),
        body: linkProjectBodySchema,
        response: { 200: linkProjectResultSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const scan = await getScanRow(context.db.kysely, p.organizationId, request.params.scanId);
      const { client, connection } = await connectedClient(context, p.organizationId, scan.target_id);
      const result = await linkProject({ db: context.db.kysely, env: context.env, box: context.secretBox }, client, {
        connection,
        scanId: scan.id,
        projectId: request.body.projectId,
        confidentialByDefault: request.body.confidentialByDefault,
        actorUserId: p.userId,
      });
      return { link: toProjectLinkInfo(result.link), messages: result.messages };
    },
  );
};

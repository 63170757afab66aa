import { z } from 'zod';
import { idParam, projectLinkSchema } from '../../../contracts/index.ts';
import { findProjectLink } from '../../../gitlab/index.ts';
import { getScanRow } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';
import { toProjectLinkInfo } from './views.ts';

export const getProjectLinkRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId/gitlab/project',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['gitlab'],
        summary: 'The GitLab project of a scan (or the target’s default)',
        params: z.object({ scanId: idParam }),
        response: { 200: z.object({ link: projectLinkSchema.nullable() }) },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const scan = await getScanRow(db.kysely, p.organizationId, request.params.scanId);
      const link = await findProjectLink(db.kysely, p.organizationId, scan.target_id, scan.id);
      return { link: link ? toProjectLinkInfo(link) : null };
    },
  );
};

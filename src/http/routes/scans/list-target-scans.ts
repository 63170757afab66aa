import { z } from 'zod';
import { idParam, scanSchema } from '../../../contracts/index.ts';
import { getTarget, listScanRows, toScanInfo } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listTargetScansRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/targets/:targetId/scans',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['scans'],
        summary: 'A target’s scans, newest first',
        params: z.object({ targetId: idParam }),
        response: { 200: z.object({ scans: z.array(scanSchema) }) },
      },
    },
    async (request) => {
      const { organizationId } = principalOf(request);
      await getTarget(db.kysely, organizationId, request.params.targetId);
      return { scans: (await listScanRows(db.kysely, organizationId, request.params.targetId)).map(toScanInfo) };
    },
  );
};

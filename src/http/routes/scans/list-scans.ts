import { z } from 'zod';
import { scanSchema } from '../../../contracts/index.ts';
import { listScanRows, toScanInfo } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listScansRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['scans'],
        summary: 'All scans of the organization, newest first (at most 500)',
        response: { 200: z.object({ scans: z.array(scanSchema) }) },
      },
    },
    async (request) => ({
      scans: (await listScanRows(db.kysely, principalOf(request).organizationId)).map(toScanInfo),
    }),
  );
};

import { z } from 'zod';
import { idParam, scanReportSchema } from '../../../contracts/index.ts';
import { getScanReport } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getScanRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['scans'],
        summary: 'A scan report: the scan and its vulnerabilities, most severe first',
        params: z.object({ scanId: idParam }),
        response: { 200: scanReportSchema },
      },
    },
    async (request) => getScanReport(db.kysely, principalOf(request).organizationId, request.params.scanId),
  );
};

import { z } from 'zod';
import { idParam, scanExportViewSchema } from '../../../contracts/index.ts';
import { exportScan, maskExport, maskOptions } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const exportScanRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/scans/:scanId/export',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['scans'],
        summary: 'The whole normalised scan with every finding, secrets masked (see `masked`)',
        params: z.object({ scanId: idParam }),
        response: { 200: scanExportViewSchema },
      },
    },
    async (request) =>
      maskExport(
        await exportScan(db.kysely, principalOf(request).organizationId, request.params.scanId),
        maskOptions(env.REDACT_EXTRA_NAMES),
      ),
  );
};

import { z } from 'zod';
import { idParam, scanExportViewSchema, scanReportSchema } from '../../../contracts/index.ts';
import { exportScan, getScanReport, maskExport, maskOptions } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getScanRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId',
    { config: { access: 'reader' }, schema: { tags: ['scans'], summary: 'A scan report: the scan and its vulnerabilities, most severe first', params: z.object({ scanId: idParam }), response: { 200: scanReportSchema } } },
    async (request) => getScanReport(db.kysely, principalOf(request).organizationId, request.params.scanId),
  );
};

export const exportScanRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/scans/:scanId/export',
    { config: { access: 'reader' }, schema: { tags: ['scans'], summary: 'The whole normalised scan with every finding, secrets masked (see `masked`)', params: z.object({ scanId: idParam }), response: { 200: scanExportViewSchema } } },
    async (request) => maskExport(await exportScan(db.kysely, principalOf(request).organizationId, request.params.scanId), maskOptions(env.REDACT_EXTRA_NAMES)),
  );
};

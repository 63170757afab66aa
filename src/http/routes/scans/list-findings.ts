import { z } from 'zod';
import { findingPageSchema, idParam, pageQuerySchema } from '../../../contracts/index.ts';
import {
  getVulnerabilityRow,
  listFindingRows,
  maskFinding,
  maskOptions,
  toFindingInfo,
} from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listFindingsRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/vulnerabilities/:vulnerabilityId/findings',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['scans'],
        summary: 'A vulnerability’s findings, paginated (offset, limit ≤ 500), secrets masked (see `masked`)',
        params: z.object({ vulnerabilityId: idParam }),
        querystring: pageQuerySchema,
        response: { 200: findingPageSchema },
      },
    },
    async (request) => {
      const { organizationId } = principalOf(request);
      const vulnerability = await getVulnerabilityRow(db.kysely, organizationId, request.params.vulnerabilityId);
      const { offset, limit } = request.query;
      const rows = await listFindingRows(
        db.kysely,
        organizationId,
        { vulnerabilityId: vulnerability.id },
        { offset, limit },
      );
      const options = maskOptions(env.REDACT_EXTRA_NAMES);
      return {
        findings: rows.map((row) => maskFinding(toFindingInfo(row), options)),
        total: Number(vulnerability.finding_count),
        offset,
        limit,
      };
    },
  );
};

import { z } from 'zod';
import { findingSchema, idParam, pageQuerySchema } from '../../../contracts/index.ts';
import { notFound } from '../../../lib/errors.ts';
import { listFindingRows, toFindingInfo } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listFindingsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/vulnerabilities/:vulnerabilityId/findings',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['scans'],
        summary: 'A vulnerability’s findings, paginated (offset, limit ≤ 500)',
        params: z.object({ vulnerabilityId: idParam }),
        querystring: pageQuerySchema,
        response: { 200: z.object({ findings: z.array(findingSchema), total: z.number(), offset: z.number(), limit: z.number() }) },
      },
    },
    async (request) => {
      const { organizationId } = principalOf(request);
      const vulnerability = await db.kysely
        .selectFrom('vulnerabilities')
        .select(['id', 'finding_count'])
        .where('organization_id', '=', organizationId)
        .where('id', '=', request.params.vulnerabilityId)
        .executeTakeFirst();
      if (!vulnerability) throw notFound('vulnerability');
      const { offset, limit } = request.query;
      const rows = await listFindingRows(db.kysely, organizationId, { vulnerabilityId: vulnerability.id }, { offset, limit });
      return { findings: rows.map(toFindingInfo), total: Number(vulnerability.finding_count), offset, limit };
    },
  );
};

import { z } from 'zod';
import { findingEnvelopeSchema, idParam } from '../../../contracts/index.ts';
import { getFindingView, maskOptions } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getFindingRoute: RouteModule = (app, { db, env }) => {
  app.get(
    '/api/scans/:scanId/findings/:findingId',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['scans'],
        summary: 'One finding of a scan, secrets masked (`masked` names the fields; POST …/reveal shows them)',
        params: z.object({ scanId: idParam, findingId: idParam }),
        response: { 200: findingEnvelopeSchema },
      },
    },
    async (request) => ({
      finding: await getFindingView(
        db.kysely,
        principalOf(request).organizationId,
        request.params.scanId,
        request.params.findingId,
        maskOptions(env.REDACT_EXTRA_NAMES),
      ),
    }),
  );
};

// Reveal a finding's secrets: the finding as the scanner wrote it, for Contributors and above (a
// token needs the write scope), each time recorded in the audit log as `finding.secrets_revealed`.
import { z } from 'zod';
import { findingEnvelopeSchema, idParam } from '../../../contracts/index.ts';
import { maskOptions, revealFindingSecrets } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const revealFindingRoute: RouteModule = (app, { db, env }) => {
  app.post(
    '/api/scans/:scanId/findings/:findingId/reveal',
    {
      config: { access: 'contributor', scope: 'write' },
      schema: {
        tags: ['scans'],
        summary: 'One finding of a scan as stored, secrets unmasked (audited as finding.secrets_revealed)',
        params: z.object({ scanId: idParam, findingId: idParam }),
        response: { 200: findingEnvelopeSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { scanId, findingId } = request.params;
      const finding = await revealFindingSecrets(
        db.kysely,
        { organizationId: p.organizationId, actorUserId: p.userId, scanId, findingId },
        maskOptions(env.REDACT_EXTRA_NAMES),
      );
      return { finding };
    },
  );
};

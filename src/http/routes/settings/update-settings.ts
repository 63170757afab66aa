import { settingsSchema } from '../../../contracts/index.ts';
import { setSlaDays } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const updateSettingsRoute: RouteModule = (app, { db }) => {
  app.put(
    '/api/settings',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['settings'],
        summary: 'Set the per-severity SLA',
        body: settingsSchema,
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return { slaDays: await setSlaDays(db.kysely, p.organizationId, p.userId, request.body.slaDays) };
    },
  );
};

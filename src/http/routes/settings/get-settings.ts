import { settingsSchema } from '../../../contracts/index.ts';
import { getSlaDays } from '../../../services/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const getSettingsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/settings',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['settings'],
        summary: 'Organization settings: the per-severity SLA in days (null: no default due date)',
        response: { 200: settingsSchema },
      },
    },
    async (request) => ({ slaDays: await getSlaDays(db.kysely, principalOf(request).organizationId) }),
  );
};

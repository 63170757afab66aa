import { setupStatusSchema } from '../../../contracts/index.ts';
import { countUsers } from '../../../services/index.ts';
import type { RouteModule } from '../../context.ts';

export const getSetup: RouteModule = (app, { db }) => {
  app.get(
    '/api/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Whether first-run set-up is still needed',
        response: { 200: setupStatusSchema },
      },
    },
    async () => ({ needsSetup: (await countUsers(db.kysely)) === 0 }),
  );
};

import { z } from 'zod';
import { pingDatabase } from '../../../db/index.ts';
import type { RouteModule } from '../../context.ts';

export const getHealth: RouteModule = (app, { db }) => {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) },
      },
    },
    async () => {
      await pingDatabase(db);
      return { status: 'ok' as const, database: db.dialect };
    },
  );
};

import { sql } from 'kysely';
import { z } from 'zod';
import type { RouteModule } from '../../context.ts';

export const getHealth: RouteModule = (app, { db }) => {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'Liveness and database reachability', response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) } },
    },
    async () => {
      await sql`select 1`.execute(db.kysely);
      return { status: 'ok' as const, database: db.dialect };
    },
  );
};

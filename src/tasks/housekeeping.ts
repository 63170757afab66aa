// Periodic clean-up: expired sessions, stale sign-in throttles, and finished jobs older than 14 days.
// Dead jobs are kept: the UI shows them with their last error until someone retries them.
import { z } from 'zod';
import { nowIso } from '../db/index.ts';
import { defineTask } from './deps.ts';

export const HOUSEKEEPING_EVERY_MS = 60 * 60_000;

export const housekeeping = defineTask({
  name: 'housekeeping',
  payload: z.object({}),
  maxAttempts: 3,
  async perform(_payload, { db }) {
    const now = nowIso();
    const sessions = await db.kysely.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    const throttles = await db.kysely
      .deleteFrom('login_throttle')
      .where('window_started_at', '<', nowIso(-86_400_000))
      .executeTakeFirst();
    const jobs = await db.kysely
      .deleteFrom('jobs')
      .where('state', '=', 'done')
      .where('finished_at', '<', nowIso(-14 * 86_400_000))
      .executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      throttles: Number(throttles.numDeletedRows),
      jobs: Number(jobs.numDeletedRows),
    };
  },
});

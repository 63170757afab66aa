import type { RouteModule } from '../../context.ts';
import { clearSessionCookie, endCurrentSession } from './session-cookie.ts';

export const signOut: RouteModule = (app, { db }) => {
  app.post(
    '/api/auth/sign-out',
    { config: { access: 'reader' }, schema: { tags: ['auth'], summary: 'End the current session' } },
    async (request, reply) => {
      await endCurrentSession(db, request);
      clearSessionCookie(reply);
      return reply.status(204).send();
    },
  );
};

// Server-sent events for the signed-in organization: `event: change` with the kinds of data that
// changed (comments, issues, pushes, scans) so the web app refetches just those, and a keep-alive
// comment every 15 s so proxies keep the stream open. Changes come from the database (see
// http/events/org-changes.ts), so a change written by any process reaches every stream.
import type { ServerResponse } from 'node:http';
import { principalOf } from '../../auth/access.ts';
import { sessionExists } from '../../auth/sessions.ts';
import type { RouteModule } from '../../context.ts';
import { createOrgChanges } from '../../events/org-changes.ts';

export const KEEP_ALIVE_MS = 15_000;

export const getEventsRoute: RouteModule = (app, { db }) => {
  const changes = createOrgChanges(db, {
    onError: (error) => app.log.warn({ err: error }, 'events: reading changes failed'),
  });
  const open = new Set<ServerResponse>();
  // Streams never end by themselves: end them so that closing the server does not wait for clients.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get(
    '/api/events',
    {
      config: { access: 'reader' },
      schema: {
        tags: ['events'],
        summary:
          'A text/event-stream of `change` events ({"kinds":["comments","issues","pushes","scans"]}) for the signed-in organization',
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { organizationId } = principal;
      // A stream belongs to its session (bound to one organization): once the session ends (sign-out,
      // a switch to another organization, removal from this one), the stream ends too.
      const sessionEnded = async () =>
        principal.kind === 'session' && !(await sessionExists(db.kysely, principal.sessionId));
      reply.hijack();
      const res = reply.raw;
      // Security headers set earlier (helmet, on the raw response) are kept; these are added.
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-store, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      open.add(res);

      let closed = false;
      let unsubscribe: (() => void) | null = null;
      const keepAlive = setInterval(() => {
        void sessionEnded().then((ended) => (ended ? stop() : res.write(': keep-alive\n\n')), stop);
      }, KEEP_ALIVE_MS);
      const stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        unsubscribe?.();
        open.delete(res);
        if (!res.writableEnded) res.end();
      };
      request.raw.on('close', stop);
      res.on('close', stop);
      res.on('error', stop);

      try {
        const leave = await changes.subscribe(organizationId, (kinds) => {
          void sessionEnded().then((ended) => {
            if (ended) stop();
            else if (!closed) res.write(`event: change\ndata: ${JSON.stringify({ kinds })}\n\n`);
          }, stop);
        });
        if (closed) leave();
        else unsubscribe = leave;
      } catch (error) {
        request.log.warn({ err: error }, 'events: could not start watching');
        stop();
      }
    },
  );
};

// One log line per request at info, "GET /api/scans 200 12 ms" (the URL redacted by the logger), in
// place of Fastify's two ("incoming request", "request completed"). A client that goes away mid-request
// (an upload cancelled, a tab closed) is an info line too, never an error with a stack.
import type { FastifyRequest } from 'fastify';
import type { App } from './context.ts';

const path = (request: FastifyRequest) => request.url;
const started = new WeakMap<FastifyRequest, number>();

function elapsed(request: FastifyRequest): number {
  return Math.round(performance.now() - (started.get(request) ?? performance.now()));
}

export function registerRequestLog(app: App): void {
  app.addHook('onRequest', async (request) => {
    started.set(request, performance.now());
  });
  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime);
    request.log.info(
      { req: request, res: reply, responseTime: ms },
      `${request.method} ${path(request)} ${reply.statusCode} ${ms} ms`,
    );
  });
  app.addHook('onRequestAbort', async (request) => {
    request.log.info(
      { req: request, responseTime: elapsed(request), aborted: true },
      `${request.method} ${path(request)} aborted by the client after ${elapsed(request)} ms`,
    );
  });
}

/** An error that only says the client went away (the connection closed before the body was read). */
export function isClientAbort(error: unknown, request: FastifyRequest): boolean {
  // Only while the body was still being read: once it was read whole, an ECONNRESET is the server's own
  // (a database connection lost mid-request) and must stay a 500 that the client retries.
  if (request.raw.readableEnded) return false;
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED') return true;
  return request.raw.readableAborted === true || request.raw.socket?.destroyed === true;
}

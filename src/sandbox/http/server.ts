// The request pipeline on node:http: faults, body parsing, routing, authentication, rate limits,
// the handler, then "response lost" faults and the write.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { authenticate } from '../auth/authenticate.ts';
import { APP_LIMIT_BODY } from '../limits/rate-limiter.ts';
import { parseCookies } from '../pages/layout.ts';
import type { Runtime } from '../runtime.ts';
import { type Input, parseQuery } from './params.ts';
import { HttpError, type Reply, json } from './reply.ts';
import type { Ctx, Route, Router } from './router.ts';

const MAX_BODY = 30 * 1024 * 1024;

function proxyPage(status: number): Reply {
  const names: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  if (status === 500) return json(500, { message: '500 Internal Server Error' });
  const name = names[status] ?? 'Error';
  return {
    status,
    html: `<html><head><title>${status} ${name}</title></head><body><center><h1>${status} ${name}</h1></center><hr><center>nginx</center></body></html>`,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(json(413, { message: '413 Request Entity Too Large' })));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(req: IncomingMessage, raw: Buffer): Input {
  if (raw.length === 0) return {};
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const text = raw.toString('utf8');
  if (type.includes('application/json')) {
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Input) : {};
    } catch {
      throw new HttpError(json(400, { error: 'The request body is not valid JSON' }));
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return parseQuery(new URLSearchParams(text));
  return {};
}

function write(res: ServerResponse, method: string, reply: Reply, extra: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  let payload: string | undefined;
  let type: string | undefined;
  if (reply.html !== undefined) [payload, type] = [reply.html, 'text/html; charset=utf-8'];
  else if (reply.text !== undefined) [payload, type] = [reply.text, 'text/plain'];
  else if (reply.body !== undefined) [payload, type] = [JSON.stringify(reply.body), 'application/json'];
  const headers: Record<string, string | string[]> = { ...extra, ...(reply.headers ?? {}) };
  if (type && headers['content-type'] === undefined) headers['content-type'] = type;
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' || payload === undefined ? undefined : payload);
}

export class RequestPipeline {
  /** Sockets held open by the timeout fault; destroyed on close. */
  readonly held = new Set<Socket>();

  constructor(
    private readonly rt: Runtime,
    private readonly router: Router,
  ) {}

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.run(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, 'GET', json(500, { message: '500 Internal Server Error' }), {});
      process.emitWarning(`gitlab-sandbox: ${(error as Error).stack ?? String(error)}`);
    });
  };

  private async run(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rt = this.rt;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const isApi = path.startsWith('/api/');
    const decision = path.startsWith('/-/sandbox/') ? null : rt.faults.decide(method, path);
    if (decision && decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    const fault = decision?.rule ?? null;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      this.held.add(req.socket);
      req.socket.once('close', () => this.held.delete(req.socket));
      req.resume();
      return;
    }
    if (fault?.kind === 'error') {
      req.resume();
      write(res, method, proxyPage(fault.status ?? 500), {});
      return;
    }
    if (fault?.kind === 'rate_limit') {
      req.resume();
      const retryAfter = String(fault.retryAfter ?? 60);
      const reply: Reply =
        fault.form === 'application'
          ? json(429, APP_LIMIT_BODY)
          : {
              status: 429,
              text: 'Retry later\n',
              headers: {
                'retry-after': retryAfter,
                'ratelimit-name': 'throttle_authenticated_api',
                'ratelimit-limit': '2000',
                'ratelimit-observed': '2001',
                'ratelimit-remaining': '0',
                'ratelimit-reset': retryAfter,
                'ratelimit-resettime': new Date(rt.store.now() + Number(retryAfter) * 1000).toUTCString(),
              },
            };
      write(res, method, reply, {});
      return;
    }
    let reply: Reply;
    const extra: Record<string, string> = {};
    try {
      const raw = await readBody(req);
      const input = { ...parseQuery(url.searchParams), ...parseBody(req, raw) };
      const matched = this.router.match(method, path);
      // Page routes (`/*project/...`) never answer for API paths.
      const found =
        isApi && 'route' in matched && !matched.route.pattern.startsWith('/api/') ? { allowed: false } : matched;
      if (!('route' in found)) {
        if (found.allowed) reply = json(405, { error: '405 Not Allowed' });
        else
          reply = isApi
            ? json(404, { error: '404 Not Found' })
            : { status: 404, html: '<h1>404</h1><p>Page not found</p>' };
      } else {
        const ctx: Ctx = {
          rt,
          method,
          path,
          params: found.params,
          input,
          headers: req.headers,
          cookies: parseCookies(req.headers.cookie),
          ip: req.socket.remoteAddress ?? '127.0.0.1',
          user: null,
          scopes: [],
        };
        reply = await this.dispatch(ctx, found.route, extra);
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply = error.reply;
    }
    if (fault?.kind === 'lost') {
      // The change is applied; the client never learns it.
      if (fault.status === 0) {
        req.socket.destroy();
        return;
      }
      reply = proxyPage(fault.status ?? 502);
    }
    write(res, method, reply, extra);
  }

  private async dispatch(ctx: Ctx, route: Route, extra: Record<string, string>): Promise<Reply> {
    const rt = this.rt;
    try {
      authenticate(ctx, route.auth);
    } catch (error) {
      if (error instanceof HttpError) return error.reply;
      throw error;
    }
    if (ctx.path.startsWith('/api/')) {
      const t = rt.limits.throttle(ctx.user?.id ?? null, ctx.ip);
      Object.assign(extra, t.headers);
      if (t.reject) return t.reject;
      extra['cache-control'] = 'max-age=0, private, must-revalidate';
    }
    if (route.limit) {
      const who = ctx.user ? `user:${ctx.user.id}` : `ip:${ctx.ip}`;
      const scope = route.limit === 'issues_create' ? `${ctx.params.id}:${who}` : who;
      if (!rt.limits.allowApp(route.limit, scope)) return json(429, APP_LIMIT_BODY);
    }
    try {
      return await route.handler(ctx);
    } catch (error) {
      if (error instanceof HttpError) return error.reply;
      throw error;
    }
  }
}

// A small router: `:name` matches one path segment (URL-decoded, so `group%2Fproject` works),
// `*name` matches one or more segments (for `/group/sub/project/-/issues`).
import type { IncomingHttpHeaders } from 'node:http';
import type { AppLimit } from '../limits/rate-limiter.ts';
import type { Runtime } from '../runtime.ts';
import type { UserRecord } from '../state/types.ts';
import type { Input } from './params.ts';
import type { Reply } from './reply.ts';

/** none: no token looked at; optional: anonymous allowed; read/write: token with that scope; user: read_user is enough. */
export type AuthNeed = 'none' | 'optional' | 'read' | 'write' | 'user' | 'session';

export interface Ctx {
  rt: Runtime;
  method: string;
  path: string;
  params: Record<string, string>;
  input: Input;
  headers: IncomingHttpHeaders;
  cookies: Record<string, string>;
  ip: string;
  user: UserRecord | null;
  scopes: string[];
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: string;
  auth: AuthNeed;
  limit?: AppLimit;
  handler: Handler;
}

interface Compiled extends Route {
  parts: string[];
  wildcard: boolean;
}

export class Router {
  private routes: Compiled[] = [];

  add(route: Route): void {
    const parts = route.pattern.split('/').filter((s) => s.length > 0);
    this.routes.push({ ...route, parts, wildcard: parts.some((p) => p.startsWith('*')) });
  }

  addAll(routes: Route[]): void {
    for (const r of routes) this.add(r);
  }

  /** Returns the route and its params, or whether the path exists for another method. */
  match(method: string, path: string): { route: Compiled; params: Record<string, string> } | { allowed: boolean } {
    const segs = path.split('/').filter((s) => s.length > 0);
    let pathExists = false;
    for (const route of this.routes) {
      const params = route.wildcard ? matchWild(route.parts, segs) : matchFixed(route.parts, segs);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
      pathExists = true;
    }
    return { allowed: pathExists };
  }
}

function decode(seg: string): string | null {
  try {
    return decodeURIComponent(seg);
  } catch {
    return null;
  }
}

function matchFixed(parts: string[], segs: string[]): Record<string, string> | null {
  if (parts.length !== segs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    const p = parts[i] as string;
    const s = segs[i] as string;
    if (p.startsWith(':')) {
      const v = decode(s);
      if (v === null) return null;
      params[p.slice(1)] = v;
    } else if (p !== s) return null;
  }
  return params;
}

function matchWild(parts: string[], segs: string[]): Record<string, string> | null {
  const star = parts.findIndex((p) => p.startsWith('*'));
  const before = parts.slice(0, star);
  const after = parts.slice(star + 1);
  const spanLen = segs.length - before.length - after.length;
  if (spanLen < 1) return null;
  const head = matchFixed(before, segs.slice(0, before.length));
  const tail = matchFixed(after, segs.slice(segs.length - after.length));
  if (!head || !tail) return null;
  const span = segs.slice(before.length, before.length + spanLen).map(decode);
  if (span.some((s) => s === null)) return null;
  return { ...head, ...tail, [(parts[star] as string).slice(1)]: span.join('/') };
}

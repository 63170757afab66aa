// Offset pagination (x-page, x-next-page, x-total, Link) and keyset pagination (Link rel="next" only).
import type { Ctx } from './router.ts';
import { int, str } from './params.ts';
import { type Reply, invalidParam, json } from './reply.ts';

const TOTAL_LIMIT = 10_000;

function pageUrl(ctx: Ctx, overrides: Record<string, string>, drop: string[] = []): string {
  const base = ctx.rt.url;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(ctx.input)) {
    if (drop.includes(k) || k in overrides || k === 'access_token' || k === 'private_token') continue;
    if (Array.isArray(v)) for (const x of v) search.append(`${k}[]`, String(x));
    else if (v !== undefined && v !== null && typeof v !== 'object') search.append(k, String(v));
  }
  for (const [k, v] of Object.entries(overrides)) search.set(k, v);
  return `${base}${ctx.path}?${search.toString()}`;
}

export function perPage(ctx: Ctx): number {
  const n = int(ctx.input, 'per_page') ?? 20;
  if (n < 1) return 20;
  return Math.min(n, 100);
}

/** One page of `items` with GitLab's offset pagination headers. */
export function paginate<T>(ctx: Ctx, items: T[], map: (item: T) => unknown): Reply {
  const size = perPage(ctx);
  const page = Math.max(1, int(ctx.input, 'page') ?? 1);
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / size));
  const slice = items.slice((page - 1) * size, page * size);
  const headers: Record<string, string> = {
    'x-page': String(page),
    'x-per-page': String(size),
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-next-page': page < totalPages ? String(page + 1) : '',
  };
  const links: string[] = [];
  const sizeStr = String(size);
  if (page > 1) links.push(`<${pageUrl(ctx, { page: String(page - 1), per_page: sizeStr })}>; rel="prev"`);
  if (page < totalPages) links.push(`<${pageUrl(ctx, { page: String(page + 1), per_page: sizeStr })}>; rel="next"`);
  links.push(`<${pageUrl(ctx, { page: '1', per_page: sizeStr })}>; rel="first"`);
  if (total <= TOTAL_LIMIT) {
    headers['x-total'] = String(total);
    headers['x-total-pages'] = String(totalPages);
    links.push(`<${pageUrl(ctx, { page: String(totalPages), per_page: sizeStr })}>; rel="last"`);
  }
  headers.link = links.join(', ');
  return json(200, slice.map(map), headers);
}

export function isKeyset(ctx: Ctx): boolean {
  return str(ctx.input, 'pagination') === 'keyset';
}

/**
 * Keyset pagination over items already sorted by `key`. The cursor is opaque (base64 of the last
 * key); only `Link: rel="next"` tells the client there is more.
 */
export function keysetPage<T>(
  ctx: Ctx,
  items: T[],
  key: (item: T) => number,
  dir: 'asc' | 'desc',
  map: (item: T) => unknown,
  cursorParam: 'id_after' | 'cursor',
): Reply {
  const size = perPage(ctx);
  let after: number | undefined;
  if (cursorParam === 'id_after') {
    after = int(ctx.input, dir === 'asc' ? 'id_after' : 'id_before');
  } else {
    const c = str(ctx.input, 'cursor');
    if (c) {
      const decoded = Number(Buffer.from(c, 'base64url').toString('utf8'));
      if (!Number.isFinite(decoded)) throw invalidParam('cursor is invalid');
      after = decoded;
    }
  }
  const rest = after === undefined ? items : items.filter((i) => (dir === 'asc' ? key(i) > after : key(i) < after));
  const slice = rest.slice(0, size);
  const headers: Record<string, string> = {};
  const last = slice[slice.length - 1];
  if (rest.length > size && last !== undefined) {
    const k = key(last);
    const next =
      cursorParam === 'id_after'
        ? pageUrl(ctx, dir === 'asc' ? { id_after: String(k) } : { id_before: String(k) }, ['page'])
        : pageUrl(ctx, { cursor: Buffer.from(String(k)).toString('base64url') }, ['page']);
    headers.link = `<${next}>; rel="next"`;
  }
  return json(200, slice.map(map), headers);
}

// Test helpers for the sandbox's own suites: JSON requests, a webhook receiver, a PKCE pair.
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../app.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read GitLab's JSON field by field
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function api<T = Json>(
  sb: Pick<Sandbox, 'url'>,
  path: string,
  opts: { token?: string; bearer?: string; method?: string; body?: unknown; form?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['PRIVATE-TOKEN'] = opts.token;
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  let body: string | undefined;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const url = path.startsWith('http')
    ? path
    : `${sb.url}${path.startsWith('/oauth') || path.startsWith('/-/') || path.startsWith('/users') ? '' : '/api/v4'}${path}`;
  const res = await fetch(url, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const enc = encodeURIComponent;

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: Json;
}

/** An HTTP server that records webhook deliveries and answers with `status()` (default 200). */
export async function startReceiver(): Promise<{
  url: string;
  deliveries: Delivery[];
  status: { value: number; delayMs: number };
  close(): Promise<void>;
}> {
  const deliveries: Delivery[] = [];
  const status = { value: 200, delayMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      setTimeout(() => {
        res.writeHead(status.value, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, status.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    status,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function pkcePair(method: 'S256' | 'plain' = 'S256'): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

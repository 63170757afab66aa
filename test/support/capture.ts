// Capture for the "secrets never leak" check (issue #9; scripts/secret-scan.ts reads what this writes).
// With VB_CAPTURE_DIR set (`npm test` sets it), hub logs and every API response a test client or the
// browser receives go to files there; with VB_SECRET_LEDGER_DIR set, the secrets the clients see (the
// passwords they send, session cookies and API tokens they get back) go to the ledger next to the
// sandbox's. Neither set: every function here does nothing, and tests behave exactly as before.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { recordSecret } from '../../src/sandbox/index.ts';

export { recordSecret };

const BODY_LIMIT = 4 * 1024 * 1024;
let madeDir = '';

/** The capture directory (created on first use), or null when capture is off. */
export function captureDir(): string | null {
  const dir = process.env.VB_CAPTURE_DIR;
  if (!dir) return null;
  if (madeDir !== dir) {
    mkdirSync(dir, { recursive: true });
    madeDir = dir;
  }
  return dir;
}

let destination: pino.DestinationStream | null | undefined;

/** One synchronous log file per process in the capture dir (synchronous: a killed test loses no line). */
export function captureLogDestination(): pino.DestinationStream | null {
  if (destination !== undefined) return destination;
  const dir = captureDir();
  destination = dir
    ? pino.destination({ dest: join(dir, `log-vitest-${process.pid}.log`), sync: true, append: true })
    : null;
  return destination;
}

/**
 * Makes a logger a test built itself also write every line to the capture log: its stream is wrapped
 * (pino keeps it under `pino.symbols.streamSym`; child loggers made later inherit it).
 */
export function teeLoggerToCapture(logger: pino.Logger): void {
  const capture = captureLogDestination();
  if (!capture) return;
  const holder = logger as unknown as Record<symbol, pino.DestinationStream & { captured?: true }>;
  const original = holder[pino.symbols.streamSym];
  if (!original || original.captured || original === capture) return;
  const tee = {
    captured: true as const,
    write(line: string) {
      capture.write(line);
      return original.write(line);
    },
  };
  holder[pino.symbols.streamSym] = tee;
}

export interface Exchange {
  /** Who saw it: 'vitest' (the inject Client), 'e2e' (the browser tests' proxy). */
  source: string;
  method: string;
  /** Path and query as requested; only the path is written (a query can carry a code or state). */
  url: string;
  requestHeaders: Record<string, string | string[] | undefined>;
  /** The parsed JSON request body, if any. */
  requestBody?: unknown;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/**
 * An invitation link (/invitations/<token>) is the invitation: the browser's address bar carries it to
 * the accept page by design. What must hold is that the hub never echoes it (its logs mask it the same
 * way, src/lib/logger.ts), so the capture records the page's address with the token masked.
 */
export function maskInvitationLink(path: string): string {
  return path.replace(/(\/invitations\/)[A-Za-z0-9_-]{20,}/g, '$1[invitation token]');
}

const PASSWORD_KEY = /password/i;
const SECRET_KEY = /token|secret/i;

/** Secrets the client sent: password fields, and token or secret fields (e.g. a GitLab access token to connect with). */
function recordRequestSecrets(value: unknown, depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 4) return;
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string') {
      if (PASSWORD_KEY.test(key)) recordSecret('hub-password', inner);
      else if (SECRET_KEY.test(key)) recordSecret('client-supplied-secret', inner);
    } else {
      recordRequestSecrets(inner, depth + 1);
    }
  }
}

function headerList(value: string | string[] | number | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

/** Per route and status, what was last written: a poll answered the same way again is written once. */
const lastWritten = new Map<string, string>();

/** Writes one request/response pair to the capture dir and its secrets to the ledger. */
export function recordExchange(exchange: Exchange): void {
  const dir = captureDir();
  const ledger = Boolean(process.env.VB_SECRET_LEDGER_DIR);
  if (!dir && !ledger) return;
  const path = maskInvitationLink(exchange.url.split('?')[0] ?? exchange.url);
  if (ledger) {
    const invitation = path.startsWith('/api/invitations/')
      ? (exchange.requestBody as { token?: unknown } | undefined)?.token
      : undefined;
    if (typeof invitation === 'string') recordSecret('hub-invitation-token', invitation);
    else recordRequestSecrets(exchange.requestBody);
    const bearer = /^Bearer\s+(\S+)/i.exec(headerList(exchange.requestHeaders.authorization)[0] ?? '');
    if (bearer) recordSecret('hub-api-token', bearer[1]);
    for (const cookie of headerList(exchange.headers['set-cookie'])) {
      const session = /^vb_session=([^;]*)/.exec(cookie);
      if (session?.[1]) recordSecret('hub-session', decodeURIComponent(session[1]));
    }
    if (exchange.method === 'POST' && path === '/api/invitations' && exchange.status === 201) {
      try {
        recordSecret('hub-invitation-token', (JSON.parse(exchange.body) as { token?: string }).token);
      } catch {
        // not JSON: nothing to record
      }
    }
    if (exchange.method === 'POST' && path === '/api/tokens' && exchange.status === 201) {
      try {
        recordSecret('hub-api-token', (JSON.parse(exchange.body) as { secret?: string }).secret);
      } catch {
        // not JSON: nothing to record
      }
    }
  }
  if (dir) {
    const body = exchange.body.length > BODY_LIMIT ? exchange.body.slice(0, BODY_LIMIT) : exchange.body;
    const { date: _date, ...headers } = exchange.headers;
    const route = `${exchange.method} ${path} ${exchange.status}`;
    const seen = `${JSON.stringify(headers)}\n${body}`;
    if (lastWritten.get(route) === seen) return;
    lastWritten.set(route, seen);
    const line = { source: exchange.source, method: exchange.method, path, status: exchange.status, headers, body };
    appendFileSync(join(dir, `responses-${exchange.source}-${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
  }
}

import type { z } from 'zod';
import { errorBodySchema } from '../../contracts/index.ts';

/** An error answered by the API (`{error:{code,message}}`) or a failure to reach it (code `network`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds to wait, from a `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;

/** Remembers the session's CSRF token; every non-GET request sends it as `X-CSRF-Token`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The session's CSRF token, for requests made without `api` (uploads with progress). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions<S extends z.ZodType | undefined> {
  method?: Method;
  body?: unknown;
  /** Schema of a successful response body; omit for 204 answers. */
  schema?: S;
}

export function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Parses an error body (`{error:{code,message}}`) or makes a generic error from the status. */
export function errorFrom(status: number, statusText: string, payload: unknown, retryAfter: number | null): ApiError {
  const parsed = errorBodySchema.safeParse(payload);
  if (parsed.success) {
    const { code, message } = parsed.data.error;
    return new ApiError(status, code, message, retryAfter);
  }
  return new ApiError(
    status,
    status >= 500 ? 'server_error' : 'http_error',
    `The server answered ${status} ${statusText}`.trim(),
    retryAfter,
  );
}

async function readError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // not JSON: fall through to a generic error
  }
  return errorFrom(response.status, response.statusText, payload, retryAfter);
}

/** Calls `/api<path>` with JSON in and out; resolves with the parsed body or throws an ApiError. */
export async function api<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: RequestOptions<S> = {},
): Promise<S extends z.ZodType ? z.output<S> : undefined> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The Vulnbridge server could not be reached');
  }
  if (!response.ok) throw await readError(response);
  if (!options.schema || response.status === 204) {
    return undefined as S extends z.ZodType ? z.output<S> : undefined;
  }
  const json: unknown = await response.json().catch(() => null);
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      'unexpected_response',
      'The server sent an answer this page does not understand',
    );
  }
  return parsed.data as S extends z.ZodType ? z.output<S> : undefined;
}

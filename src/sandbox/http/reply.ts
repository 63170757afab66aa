// What a handler returns, and the error helpers that produce GitLab's error bodies.

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  /** JSON body. */
  body?: unknown;
  /** Plain text body (wins over body). */
  text?: string;
  /** HTML body (wins over text and body). */
  html?: string;
}

export class HttpError extends Error {
  readonly reply: Reply;
  constructor(reply: Reply) {
    super(`HTTP ${reply.status}`);
    this.reply = reply;
  }
}

export function json(status: number, body: unknown, headers?: Record<string, string | string[]>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

export function redirect(location: string, headers: Record<string, string | string[]> = {}): Reply {
  return {
    status: 302,
    headers: { ...headers, location },
    html: `<html><body>You are being <a href="${location}">redirected</a>.</body></html>`,
  };
}

/** `{"message":"404 Project Not Found"}` */
export function notFound(what?: string): HttpError {
  return new HttpError(json(404, { message: what ? `404 ${what} Not Found` : '404 Not found' }));
}

export function forbidden(message = '403 Forbidden'): HttpError {
  return new HttpError(json(403, { message }));
}

export function unauthorized(): HttpError {
  return new HttpError(json(401, { message: '401 Unauthorized' }));
}

/** Grape's missing-parameter form: `{"error":"title is missing"}` */
export function missing(...params: string[]): HttpError {
  const text =
    params.length === 1
      ? `${params[0]} is missing`
      : `${params.join(', ')} are missing, at least one parameter must be provided`;
  return new HttpError(json(400, { error: text }));
}

/** Grape's invalid-parameter form: `{"error":"state_event does not have a valid value"}` */
export function invalidParam(text: string): HttpError {
  return new HttpError(json(400, { error: text }));
}

/** Model validation: `{"message":{"title":["is too long (maximum is 255 characters)"]}}` */
export function validation(errors: Record<string, string[]>): HttpError {
  return new HttpError(json(400, { message: errors }));
}

export function badRequest(message: string): HttpError {
  return new HttpError(json(400, { message: `400 Bad request - ${message}` }));
}

export function conflict(message: string): HttpError {
  return new HttpError(json(409, { message }));
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// pino logger whose every line passes through `redact`: keys that look like credentials are replaced in
// any casing and at any depth, and credential-like query parameters are masked inside URL strings.
import pino, { type Logger, type LoggerOptions } from 'pino';

const SECRET_KEY =
  /token|secret|password|passwd|authorization|cookie|session|api[-_]?key|private[-_]?key|csrf|code_verifier|client_secret/i;
const SECRET_QUERY =
  /([?&](?:code|state|token|access_token|refresh_token|private_token|client_secret|code_verifier)=)[^&#\s]*/gi;
/** The token of an invitation link (/invitations/<token>), which is the invitation itself. */
const INVITATION_PATH = /(\/invitations\/)[A-Za-z0-9_-]{20,}/g;
export const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return value;
  if (typeof value === 'string')
    return value.replace(SECRET_QUERY, `$1${REDACTED}`).replace(INVITATION_PATH, `$1${REDACTED}`);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: redact(value.message, depth + 1), stack: redact(value.stack ?? '', depth + 1) };
  }
  if (value && typeof value === 'object') {
    // Leave class instances (requests, replies) to the serializers below, which redact their output.
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && inner != null ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'vulnbridge' },
    formatters: { log: (object) => redact(object) as Record<string, unknown> },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({
        method: req.method,
        url: redact(req.url ?? ''),
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => redact(err instanceof Error ? pino.stdSerializers.err(err) : err),
    },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((arg) => (typeof arg === 'string' ? redact(arg) : arg));
        method.apply(this, redacted as Parameters<typeof method>);
      },
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

export type { Logger };

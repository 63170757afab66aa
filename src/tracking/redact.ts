// Secrets never leave the hub: credentials in HTTP headers, URL query parameters, request lines,
// bodies and evidence are replaced with `[redacted]` before any text goes to GitLab (DESIGN §5).
// On by default; the name list is configurable (the defaults, plus extra names). The rules themselves
// live in src/findings (redact.ts), so the API can mask the same secrets in what it answers.
export {
  DEFAULT_SECRET_HEADERS,
  DEFAULT_SECRET_NAME_PATTERN,
  DEFAULT_SECRET_PARAMS,
  REDACTED,
  type RedactOptions,
  redactHeaders,
  redactText,
  redactUrl,
} from '../findings/index.ts';

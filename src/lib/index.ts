// The door of lib: small things every room uses (domain errors, the logger).
export { DomainError, type ErrorCode, notFound } from './errors.ts';
export { createLogger, type Logger, REDACTED, redact } from './logger.ts';

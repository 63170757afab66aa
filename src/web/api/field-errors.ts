import type { z } from 'zod';
import { isApiError } from './client.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/**
 * Validates form values with a contract schema; on failure returns one message per field, taken from
 * `messages` (written for people) rather than from the schema.
 */
export function validate<F extends string, S extends z.ZodType>(
  schema: S,
  values: Record<F, unknown>,
  messages: Record<F, string>,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors<F> } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors<F> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in messages) {
      errors[field as F] ??= messages[field as F];
    }
  }
  return { ok: false, errors };
}

/**
 * Finds the form field an API validation error is about (its message names the field, e.g.
 * `body/baseUrl must be an http or https URL`), so the message can be shown on that field.
 */
export function apiFieldError<F extends string>(
  error: unknown,
  fields: Record<F, string>,
): FieldErrors<F> | null {
  if (!isApiError(error) || error.code !== 'invalid_request') return null;
  const text = error.message;
  for (const [field, label] of Object.entries(fields) as [F, string][]) {
    const pattern = new RegExp(`(^|[^A-Za-z])(${field}|${label})([^A-Za-z]|$)`, 'i');
    if (!pattern.test(text)) continue;
    // "body/baseUrl must be …" or "baseUrl: must be …" reads better as "Base URL must be …".
    const rest = text.replace(/^(body|querystring|params)[/.]/i, '');
    const named = rest.match(new RegExp(`^${field}:?\\s+(.*)$`));
    const message = named ? `${label} ${named[1]}` : rest.charAt(0).toUpperCase() + rest.slice(1);
    return { [field]: message } as FieldErrors<F>;
  }
  return null;
}

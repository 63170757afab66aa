import type { z } from 'zod';
import { isApiError } from './client.ts';
import { sentence } from './describe-error.ts';

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
 * Puts an API validation error on the form fields it names. The server answers
 * `invalid_request` with issues like `baseUrl: must be an http or https URL`, joined by "; ", and
 * `weak_password` with the reason ("the password contains your e-mail address") for a `password` field.
 * Returns null when no issue names a field (the error is then shown above the buttons).
 */
export function apiFieldError<F extends string>(error: unknown, fields: Record<F, string>): FieldErrors<F> | null {
  if (!isApiError(error)) return null;
  // The server's password rule (weak_password) says why in a sentence about "the password".
  if (error.code === 'weak_password' && 'password' in fields) {
    return { password: sentence(error.message) } as FieldErrors<F>;
  }
  if (error.code !== 'invalid_request') return null;
  const errors: FieldErrors<F> = {};
  let found = false;
  for (const issue of error.message.split('; ')) {
    const match = /^(?:body[./])?([A-Za-z]+)(?:[.[][^:]*)?:\s*(.+)$/.exec(issue.trim());
    const field = match?.[1] as F | undefined;
    if (!match || !field || !(field in fields) || errors[field]) continue;
    errors[field] = sentence(`${fields[field]} ${match[2]}`);
    found = true;
  }
  return found ? errors : null;
}

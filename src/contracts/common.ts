import { z } from 'zod';

export const roleSchema = z.enum(['owner', 'administrator', 'contributor', 'reader']);
export type RoleName = z.infer<typeof roleSchema>;

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const idParam = z.string().min(1).max(64);
export const okSchema = z.object({ ok: z.literal(true) });

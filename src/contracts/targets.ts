import { z } from 'zod';

export const baseUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }))
  .transform((value) => {
    const url = new URL(value);
    url.hash = '';
    url.search = '';
    return url.toString().replace(/\/$/, '');
  });

export const targetSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TargetInfo = z.infer<typeof targetSchema>;

export const createTargetBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  baseUrl: baseUrlSchema,
});
export type CreateTargetBody = z.infer<typeof createTargetBodySchema>;

export const updateTargetBodySchema = z.object({ name: z.string().trim().min(1).max(200) });

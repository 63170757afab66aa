import { z } from 'zod';

export const jobStateSchema = z.enum(['queued', 'running', 'done', 'dead', 'paused']);
export const jobSchema = z.object({
  id: z.string(),
  task: z.string(),
  state: jobStateSchema,
  attempts: z.number(),
  maxAttempts: z.number(),
  runAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobInfo = z.infer<typeof jobSchema>;

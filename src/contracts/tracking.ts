import { z } from 'zod';

const label = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((v) => !v.includes(','), { message: 'a label must not contain a comma' });

export const createPushBodySchema = z.object({
  vulnerabilityId: z.string().min(1).max(64),
  labels: z.array(label).max(20).default([]),
  assigneeIds: z.array(z.number().int().positive()).max(10).default([]),
  milestoneId: z.number().int().positive().nullable().default(null),
  /** Omitted: the organization's SLA for the severity decides; null: no due date. */
  dueDate: z.iso.date().nullable().optional(),
  /** Omitted: the project link's default (on unless changed). */
  confidential: z.boolean().optional(),
  severityLabel: z.boolean().default(true),
});
export type CreatePushBody = z.infer<typeof createPushBodySchema>;

export const pushItemStateSchema = z.enum(['pending', 'waiting', 'created', 'adopted', 'failed']);
export const pushSummarySchema = z.object({
  pushId: z.string(),
  scanId: z.string(),
  vulnerabilityId: z.string(),
  projectId: z.number(),
  createdAt: z.string(),
  counts: z.object({
    pending: z.number(),
    waiting: z.number(),
    created: z.number(),
    adopted: z.number(),
    failed: z.number(),
    total: z.number(),
  }),
  finished: z.boolean(),
  items: z.array(
    z.object({
      id: z.string(),
      findingId: z.string(),
      publicId: z.string(),
      state: pushItemStateSchema,
      error: z.string().nullable(),
      iid: z.number().nullable(),
      webUrl: z.string().nullable(),
    }),
  ),
});
export type PushSummaryInfo = z.infer<typeof pushSummarySchema>;

const person = z.object({ id: z.number(), username: z.string(), name: z.string(), avatarUrl: z.string().nullable() });
export const createdIssueSchema = z.object({
  trackedIssueId: z.string(),
  findingId: z.string(),
  publicId: z.string(),
  vulnerabilityId: z.string(),
  vulnerabilityName: z.string(),
  severity: z.string(),
  projectPath: z.string(),
  iid: z.number(),
  webUrl: z.string(),
  title: z.string(),
  state: z.enum(['opened', 'closed', 'deleted']),
  assignees: z.array(person),
  labels: z.array(z.string()),
  origin: z.enum(['created', 'adopted']),
  syncedAt: z.string().nullable(),
});
export type CreatedIssueInfo = z.infer<typeof createdIssueSchema>;

export const projectOptionsSchema = z.object({
  members: z.array(person.extend({ accessLevel: z.number() })),
  milestones: z.array(z.object({ id: z.number(), title: z.string() })),
  /** What a push gets when the popup leaves a field alone. */
  defaults: z.object({ confidential: z.boolean(), dueDates: z.record(z.string(), z.string().nullable()) }),
});

const slaValue = z.number().int().min(1).max(3650).nullable();
export const slaDaysSchema = z.object({
  critical: slaValue,
  high: slaValue,
  medium: slaValue,
  low: slaValue,
  info: slaValue,
});
export const settingsSchema = z.object({ slaDays: slaDaysSchema });

export const commentSchema = z.object({
  id: z.string(),
  source: z.enum(['gitlab', 'hub']),
  authorName: z.string(),
  authorUsername: z.string().nullable(),
  authorAvatarUrl: z.string().nullable(),
  /** GitLab Markdown as written; clients render it sanitised (or as text). */
  body: z.string(),
  internal: z.boolean(),
  /** Hub comments only: `paused` is `pending` while the GitLab connection needs reconnecting. */
  outboundState: z.enum(['pending', 'paused', 'posted', 'failed']).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CommentInfo = z.infer<typeof commentSchema>;
export const createCommentBodySchema = z.object({ body: z.string().trim().min(1).max(100_000) });
export const findingCommentsSchema = z.object({
  issue: z.object({ iid: z.number(), webUrl: z.string(), state: z.string(), projectPath: z.string() }).nullable(),
  comments: z.array(commentSchema),
});

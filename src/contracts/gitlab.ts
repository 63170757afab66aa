import { z } from 'zod';

export const gitlabInstanceSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  kind: z.enum(['gitlab.com', 'self-managed']),
  redirectUri: z.string(),
  scope: z.literal('api'),
});
export type GitlabInstanceInfo = z.infer<typeof gitlabInstanceSchema>;

export const createGitlabInstanceBodySchema = z.object({
  name: z.string().trim().min(1).max(120),
  baseUrl: z.string().trim().min(1).max(2048),
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().trim().min(1).max(500),
});

export const gitlabConnectionSchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  baseUrl: z.string(),
  authKind: z.enum(['oauth', 'access_token']),
  user: z.object({ id: z.number(), username: z.string(), name: z.string(), avatarUrl: z.string().nullable() }),
  status: z.enum(['connected', 'reconnect_needed']),
  statusReason: z.string().nullable(),
  expiresAt: z.string().nullable(),
  connectedAt: z.string(),
  updatedAt: z.string(),
});
export type GitlabConnectionInfo = z.infer<typeof gitlabConnectionSchema>;

export const projectLinkSchema = z.object({
  id: z.string(),
  scanId: z.string().nullable(),
  projectId: z.number(),
  projectPath: z.string(),
  projectWebUrl: z.string(),
  accessLevel: z.number(),
  accessName: z.string(),
  syncMode: z.enum(['webhook', 'polling']),
  syncReason: z.string().nullable(),
  confidentialByDefault: z.boolean(),
});
export type ProjectLinkInfo = z.infer<typeof projectLinkSchema>;

export const targetGitlabSchema = z.object({
  connection: gitlabConnectionSchema.nullable(),
  defaultProject: projectLinkSchema.nullable(),
  instances: z.array(gitlabInstanceSchema),
});

export const authorizeBodySchema = z.object({ instanceId: z.string().min(1).max(64) });
export const connectTokenBodySchema = z
  .object({
    instanceId: z.string().min(1).max(64).optional(),
    baseUrl: z.string().trim().min(1).max(2048).optional(),
    token: z.string().trim().min(8).max(500),
  })
  .refine((b) => Boolean(b.instanceId) !== Boolean(b.baseUrl), { message: 'give either instanceId or baseUrl' });

export const pickerProjectSchema = z.object({
  id: z.number(),
  name: z.string(),
  pathWithNamespace: z.string(),
  namespace: z.string(),
  webUrl: z.string(),
  avatarUrl: z.string().nullable(),
});
export const pickerQuerySchema = z.object({
  search: z.string().max(200).optional(),
  includeGroups: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  cursor: z.string().max(4000).optional(),
});
export const pickerPageSchema = z.object({ projects: z.array(pickerProjectSchema), nextCursor: z.string().nullable() });

export const linkProjectBodySchema = z.object({
  projectId: z.number().int().positive(),
  confidentialByDefault: z.boolean().default(true),
});
export const linkProjectResultSchema = z.object({ link: projectLinkSchema, messages: z.array(z.string()) });

import { z } from 'zod';
import { roleSchema } from './common.ts';

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));
export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(1024, 'must be at most 1,024 characters');

export const setupStatusSchema = z.object({ needsSetup: z.boolean() });

export const setupBodySchema = z.object({
  /** The one-time code the server printed in its log at start. */
  setupCode: z.string().trim().min(1, 'enter the set-up code from the server log').max(64),
  organizationName: z.string().trim().min(1).max(120),
  name: z.string().trim().min(1).max(120),
  email: emailSchema,
  password: passwordSchema,
});
export type SetupBody = z.infer<typeof setupBodySchema>;

export const signInBodySchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(1024),
  /** For an account in several organizations: the one this session is for (else the answer lists them). */
  organizationId: z.string().min(1).max(64).optional(),
});
export type SignInBody = z.infer<typeof signInBodySchema>;

export const sessionSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  organization: z.object({ id: z.string(), name: z.string() }),
  role: roleSchema,
  csrfToken: z.string(),
});
export type SessionInfo = z.infer<typeof sessionSchema>;

/** What an API token may do, besides its role: `read` GET routes; `write` read + changes to targets, scans,
 * findings, issues and comments; `admin` organization settings, members, GitLab instances and jobs. */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: roleSchema,
  scopes: z.array(tokenScopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const createApiTokenBodySchema = z.object({
  name: z.string().trim().min(1).max(120),
  role: roleSchema.optional(),
  /** One or more; `read` when left out. */
  scopes: z.array(tokenScopeSchema).min(1).max(TOKEN_SCOPES.length).optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
});
export type Member = z.infer<typeof memberSchema>;

export const updateMemberBodySchema = z.strictObject({ role: roleSchema });

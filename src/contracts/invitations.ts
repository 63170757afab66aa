// Invitations (issue #14): adding a member by e-mail creates a single-use, expiring link that only the
// invited person can accept. Bodies are strict: an unknown field (a password on the invite form) is
// refused with its name, never ignored.
import { z } from 'zod';
import { emailSchema, passwordSchema, sessionSchema } from './auth.ts';
import { roleSchema } from './common.ts';

export const INVITATION_DAYS = 7;

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  invitedBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const createInvitationBodySchema = z.strictObject({ email: emailSchema, role: roleSchema });
export type CreateInvitationBody = z.infer<typeof createInvitationBodySchema>;

/** The link is shown once: only its SHA-256 is stored. */
export const createdInvitationSchema = z.object({ invitation: invitationSchema, token: z.string(), url: z.string() });
export const invitationListSchema = z.object({ invitations: z.array(invitationSchema) });

/** The token travels in the body, never in an /api URL, so request logs never hold it. */
export const invitationTokenSchema = z.string().trim().min(20, 'the invitation link is incomplete').max(200);
export const invitationPreviewBodySchema = z.strictObject({ token: invitationTokenSchema });

export const invitationPreviewSchema = z.object({
  organization: z.object({ name: z.string() }),
  email: z.string(),
  role: roleSchema,
  invitedBy: z.string().nullable(),
  expiresAt: z.string(),
  /** An account with this e-mail exists: accepting needs its password; otherwise the person chooses one. */
  accountExists: z.boolean(),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

export const acceptInvitationBodySchema = z.strictObject({
  token: invitationTokenSchema,
  /** Must be the invitation's e-mail address. */
  email: emailSchema,
  /** Only for a new account: the name it will carry. */
  name: z.string().trim().min(1).max(120).optional(),
  /** A new account's chosen password, or the existing account's own password. */
  password: z.string().min(1, 'enter the password').max(1024),
});
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBodySchema>;

/** A new account's password: the same length rule as everywhere (the server also checks its strength). */
export const invitedPasswordSchema = passwordSchema;

// An account in several organizations: a session is bound to exactly one, chosen at sign-in and
// switched from the user menu (a new session; the membership is checked).
export const organizationChoiceSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema });
export type OrganizationChoice = z.infer<typeof organizationChoiceSchema>;
/** Sign-in's answer when the account belongs to several organizations and none was chosen: no session yet. */
export const chooseOrganizationSchema = z.object({ chooseOrganization: z.array(organizationChoiceSchema) });
export const signInResultSchema = z.union([sessionSchema, chooseOrganizationSchema]);
export type SignInResult = z.infer<typeof signInResultSchema>;
export const organizationListSchema = z.object({ organizations: z.array(organizationChoiceSchema) });
export const switchOrganizationBodySchema = z.strictObject({ organizationId: z.string().min(1).max(64) });

// Invitations (issue #14): no account crosses organizations by someone else's hand. Adding a member by
// e-mail creates a single-use link valid for one e-mail address, for a role no higher than the inviter's,
// for INVITATION_DAYS days. Nothing is granted before the invited person accepts: a new account chooses
// its password there; an existing account proves itself with its own password.
import type { Kysely, Transaction } from 'kysely';
import { INVITATION_DAYS, type Invitation, type InvitationPreview, type RoleName } from '../contracts/index.ts';
import { assertStrongPassword, hashPassword, randomToken, sha256, verifyPassword } from '../crypto/index.ts';
import { type Database, type InvitationsTable, newId, nowIso, type Role } from '../db/index.ts';
import { DomainError, notFound } from '../lib/index.ts';
import { ROLE_RANK } from './accounts.ts';
import { recordAudit } from './audit.ts';

type Executor = Kysely<Database> | Transaction<Database>;
type Actor = { organizationId: string; userId: string; role: Role };

export const INVITATION_TTL_MS = INVITATION_DAYS * 24 * 60 * 60_000;

function assertMayInvite(actorRole: Role, role: RoleName): void {
  if (ROLE_RANK[role] > ROLE_RANK[actorRole])
    throw new DomainError('forbidden', `a ${actorRole} cannot invite someone as ${role}`);
}

async function listRows(db: Executor, organizationId: string) {
  return db
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.role',
      'users.name as invitedBy',
      'invitations.created_at as createdAt',
      'invitations.expires_at as expiresAt',
    ])
    .where('invitations.organization_id', '=', organizationId)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', nowIso())
    .orderBy('invitations.created_at', 'desc')
    .execute();
}

/** The organization's pending invitations (not accepted, revoked or expired). */
export async function listInvitations(db: Executor, organizationId: string): Promise<Invitation[]> {
  return listRows(db, organizationId);
}

/** Creates the invitation and returns its token: the only time it exists outside the invited person's link. */
export async function createInvitation(
  db: Kysely<Database>,
  actor: Actor,
  input: { email: string; role: RoleName },
): Promise<{ invitation: Invitation; token: string }> {
  assertMayInvite(actor.role, input.role);
  const token = randomToken(32);
  return db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('users.id')
      .where('memberships.organization_id', '=', actor.organizationId)
      .where('users.email', '=', input.email)
      .executeTakeFirst();
    if (member) throw new DomainError('conflict', `${input.email} is already a member`);
    if ((await listRows(trx, actor.organizationId)).some((i) => i.email === input.email)) {
      throw new DomainError(
        'conflict',
        `${input.email} already has a pending invitation; revoke it to send a new link`,
      );
    }
    const row = {
      id: newId(),
      organization_id: actor.organizationId,
      email: input.email,
      role: input.role,
      token_hash: sha256(token),
      invited_by: actor.userId,
      created_at: nowIso(),
      expires_at: nowIso(INVITATION_TTL_MS),
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    };
    await trx.insertInto('invitations').values(row).execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'invitation.created',
      subjectType: 'invitation',
      subjectId: row.id,
      details: { email: row.email, role: row.role },
    });
    const invitation = (await listRows(trx, actor.organizationId)).find((i) => i.id === row.id);
    if (!invitation) throw notFound('invitation');
    return { invitation, token };
  });
}

export async function revokeInvitation(db: Kysely<Database>, actor: Actor, invitationId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const invitation = (await listRows(trx, actor.organizationId)).find((i) => i.id === invitationId);
    if (!invitation) throw notFound('invitation');
    assertMayInvite(actor.role, invitation.role);
    await trx
      .updateTable('invitations')
      .set({ revoked_at: nowIso() })
      .where('id', '=', invitationId)
      .where('organization_id', '=', actor.organizationId)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'invitation.revoked',
      subjectType: 'invitation',
      subjectId: invitationId,
      details: { email: invitation.email, role: invitation.role },
    });
  });
}

/** The invitation of a link, when it can still be accepted; otherwise a 404 that says why. */
async function usableInvitation(
  db: Executor,
  token: string,
): Promise<InvitationsTable & { organization_name: string }> {
  const row = await db
    .selectFrom('invitations')
    .innerJoin('organizations', 'organizations.id', 'invitations.organization_id')
    .selectAll('invitations')
    .select('organizations.name as organization_name')
    .where('invitations.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'this invitation link is not valid; check that you copied all of it');
  if (row.revoked_at) throw new DomainError('not_found', 'this invitation was revoked; ask for a new one');
  if (row.accepted_at) throw new DomainError('not_found', 'this invitation has already been used; sign in instead');
  if (row.expires_at <= nowIso()) throw new DomainError('not_found', 'this invitation has expired; ask for a new one');
  return row;
}

export async function previewInvitation(db: Kysely<Database>, token: string): Promise<InvitationPreview> {
  const invitation = await usableInvitation(db, token);
  const inviter = invitation.invited_by
    ? await db.selectFrom('users').select('name').where('id', '=', invitation.invited_by).executeTakeFirst()
    : undefined;
  const account = await db.selectFrom('users').select('id').where('email', '=', invitation.email).executeTakeFirst();
  return {
    organization: { name: invitation.organization_name },
    email: invitation.email,
    role: invitation.role,
    invitedBy: inviter?.name ?? null,
    expiresAt: invitation.expires_at,
    accountExists: Boolean(account),
  };
}

export interface AcceptedInvitation {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string };
  role: Role;
}

/**
 * Accepts an invitation for its e-mail address only. An existing account must give its own password
 * (a wrong one is `invalid_credentials`, which the caller throttles); a new account gets the name and
 * password given here, under the password rule. The link is spent in the same transaction that grants
 * the membership, so it works once even when two acceptances race.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  input: { token: string; email: string; name?: string | undefined; password: string },
): Promise<AcceptedInvitation> {
  const invitation = await usableInvitation(db, input.token);
  if (invitation.email !== input.email)
    throw new DomainError('forbidden', 'this invitation is for another e-mail address');
  const existing = await db.selectFrom('users').selectAll().where('email', '=', invitation.email).executeTakeFirst();
  let newUser: Database['users'] | null = null;
  if (existing) {
    if (input.name !== undefined) {
      throw new DomainError(
        'invalid_request',
        `${invitation.email} already has an account: sign in with its password to accept (its name is not changed here, so leave the name out)`,
      );
    }
    const valid = await verifyPassword(input.password, existing.password_hash);
    if (!valid || existing.disabled_at)
      throw new DomainError('invalid_credentials', `the password is wrong for the account ${invitation.email}`);
  } else {
    if (!input.name) throw new DomainError('invalid_request', 'name: enter your name');
    assertStrongPassword(input.password, { email: invitation.email, name: input.name });
    newUser = {
      id: newId(),
      email: invitation.email,
      name: input.name,
      password_hash: await hashPassword(input.password),
      created_at: nowIso(),
      disabled_at: null,
    };
  }
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const spent = await trx
      .updateTable('invitations')
      .set({ accepted_at: now })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1)
      throw new DomainError('not_found', 'this invitation has already been used or was revoked');
    const inviter = invitation.invited_by
      ? await trx
          .selectFrom('memberships')
          .select('role')
          .where('organization_id', '=', invitation.organization_id)
          .where('user_id', '=', invitation.invited_by)
          .executeTakeFirst()
      : undefined;
    if (!inviter || ROLE_RANK[inviter.role] < ROLE_RANK[invitation.role]) {
      throw new DomainError(
        'forbidden',
        `the person who invited you can no longer grant the ${invitation.role} role; ask for a new invitation`,
      );
    }
    if (newUser) {
      const taken = await trx.selectFrom('users').select('id').where('email', '=', newUser.email).executeTakeFirst();
      if (taken)
        throw new DomainError(
          'conflict',
          `${newUser.email} has just got an account; open the link again and sign in with it`,
        );
      await trx.insertInto('users').values(newUser).execute();
    }
    const user = newUser ?? existing;
    if (!user) throw notFound('user');
    const already = await trx
      .selectFrom('memberships')
      .select('user_id')
      .where('organization_id', '=', invitation.organization_id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (already)
      throw new DomainError(
        'conflict',
        `${user.email} is already a member of ${invitation.organization_name}; sign in instead`,
      );
    await trx.updateTable('invitations').set({ accepted_by: user.id }).where('id', '=', invitation.id).execute();
    await trx
      .insertInto('memberships')
      .values({ organization_id: invitation.organization_id, user_id: user.id, role: invitation.role, created_at: now })
      .execute();
    const audit = { organizationId: invitation.organization_id, actorUserId: user.id, subjectId: user.id };
    await recordAudit(trx, {
      ...audit,
      action: 'invitation.accepted',
      subjectType: 'invitation',
      subjectId: invitation.id,
      details: { email: user.email, role: invitation.role, newAccount: Boolean(newUser) },
    });
    await recordAudit(trx, {
      ...audit,
      action: 'member.added',
      subjectType: 'user',
      details: { role: invitation.role, invitationId: invitation.id, invitedBy: invitation.invited_by },
    });
    return {
      user: { id: user.id, email: user.email, name: user.name },
      organization: { id: invitation.organization_id, name: invitation.organization_name },
      role: invitation.role,
    };
  });
}

// Organizations, users and memberships.
import type { Kysely, Transaction } from 'kysely';
import type { Member, RoleName } from '../contracts/index.ts';
import { type Database, newId, nowIso, type Role } from '../db/index.ts';
import { assertStrongPassword, hashPassword } from '../crypto/index.ts';
import { DomainError, notFound } from '../lib/index.ts';
import { recordAudit } from './audit.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export const ROLE_RANK: Record<Role, number> = { reader: 0, contributor: 1, administrator: 2, owner: 3 };

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewAccount {
  organizationName: string;
  name: string;
  email: string;
  password: string;
}

/** Create an organization with its first user as Owner (first-run set-up and `vulnbridge user create`). */
export async function createOrganizationWithOwner(
  db: Kysely<Database>,
  input: NewAccount,
  options: {
    onlyIfNoUsers?: boolean /** Runs first in the transaction (first-run set-up consumes its code there). */;
    beforeCreate?: (trx: Transaction<Database>) => Promise<void>;
  } = {},
) {
  assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (options.onlyIfNoUsers && (await countUsers(trx)) > 0) {
      throw new DomainError('already_set_up', 'Vulnbridge is already set up; sign in instead');
    }
    await options.beforeCreate?.(trx);
    const existing = await trx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
    if (existing) throw new DomainError('conflict', `a user with the email ${input.email} already exists`);
    const now = nowIso();
    const organization = { id: newId(), name: input.organizationName, created_at: now };
    const user = {
      id: newId(),
      email: input.email,
      name: input.name,
      password_hash: passwordHash,
      created_at: now,
      disabled_at: null,
    };
    await trx.insertInto('organizations').values(organization).execute();
    await trx.insertInto('users').values(user).execute();
    await trx
      .insertInto('memberships')
      .values({ organization_id: organization.id, user_id: user.id, role: 'owner', created_at: now })
      .execute();
    await recordAudit(trx, {
      organizationId: organization.id,
      actorUserId: user.id,
      action: 'organization.created',
      subjectType: 'organization',
      subjectId: organization.id,
    });
    return { organization, user };
  });
}

export async function listMembers(db: Executor, organizationId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id as userId',
      'users.email',
      'users.name',
      'memberships.role',
      'memberships.created_at as createdAt',
    ])
    .where('memberships.organization_id', '=', organizationId)
    .orderBy('users.email')
    .execute();
  return rows;
}

async function getMember(db: Executor, organizationId: string, userId: string): Promise<Member> {
  const member = (await listMembers(db, organizationId)).find((m) => m.userId === userId);
  if (!member) throw notFound('member');
  return member;
}

function assertMayGrant(actorRole: Role, role: RoleName): void {
  if (ROLE_RANK[role] > ROLE_RANK[actorRole]) {
    throw new DomainError('forbidden', `a ${actorRole} cannot grant the ${role} role`);
  }
}

/** A new account straight into an organization (`vulnbridge user create --organization-id`, tests); refuses an e-mail that already has one. */
export async function addMember(
  db: Kysely<Database>,
  actor: { organizationId: string; userId: string; role: Role },
  input: { email: string; name: string; password: string; role: RoleName },
): Promise<Member> {
  assertMayGrant(actor.role, input.role);
  assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    // Never attach an existing account here (issue #14): the password given would be ignored, and the
    // account would join an organization its owner never chose. Existing accounts accept an invitation.
    const existing = await trx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
    if (existing) {
      throw new DomainError(
        'conflict',
        `${input.email} already has an account, so the password given would not be used; invite it from Settings → Members instead (an existing account joins another organization only by accepting an invitation with its own password)`,
      );
    }
    const user = {
      id: newId(),
      email: input.email,
      name: input.name,
      password_hash: passwordHash,
      created_at: now,
      disabled_at: null,
    };
    await trx.insertInto('users').values(user).execute();
    await trx
      .insertInto('memberships')
      .values({ organization_id: actor.organizationId, user_id: user.id, role: input.role, created_at: now })
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'member.added',
      subjectType: 'user',
      subjectId: user.id,
      details: { role: input.role },
    });
    return getMember(trx, actor.organizationId, user.id);
  });
}

async function assertNotLastOwner(trx: Executor, organizationId: string, userId: string): Promise<void> {
  const owners = await trx
    .selectFrom('memberships')
    .select('user_id')
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .execute();
  if (owners.length === 1 && owners[0]?.user_id === userId) {
    throw new DomainError('conflict', 'the organization must keep at least one Owner');
  }
}

export async function changeMemberRole(
  db: Kysely<Database>,
  actor: { organizationId: string; userId: string; role: Role },
  userId: string,
  role: RoleName,
): Promise<Member> {
  return db.transaction().execute(async (trx) => {
    const member = await getMember(trx, actor.organizationId, userId);
    assertMayGrant(actor.role, role);
    assertMayGrant(actor.role, member.role);
    if (role !== 'owner') await assertNotLastOwner(trx, actor.organizationId, userId);
    await trx
      .updateTable('memberships')
      .set({ role })
      .where('organization_id', '=', actor.organizationId)
      .where('user_id', '=', userId)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'member.role_changed',
      subjectType: 'user',
      subjectId: userId,
      details: { from: member.role, to: role },
    });
    return { ...member, role };
  });
}

export async function removeMember(
  db: Kysely<Database>,
  actor: { organizationId: string; userId: string; role: Role },
  userId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const member = await getMember(trx, actor.organizationId, userId);
    assertMayGrant(actor.role, member.role);
    await assertNotLastOwner(trx, actor.organizationId, userId);
    await trx
      .deleteFrom('memberships')
      .where('organization_id', '=', actor.organizationId)
      .where('user_id', '=', userId)
      .execute();
    await trx
      .deleteFrom('sessions')
      .where('organization_id', '=', actor.organizationId)
      .where('user_id', '=', userId)
      .execute();
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso() })
      .where('organization_id', '=', actor.organizationId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'member.removed',
      subjectType: 'user',
      subjectId: userId,
    });
  });
}

/** The user with this e-mail, if any (sign-in). */
export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

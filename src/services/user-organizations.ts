// The organizations an account belongs to: a session is bound to exactly one of them, chosen at sign-in
// and switched from the user menu.
import type { Kysely, Transaction } from 'kysely';
import type { OrganizationChoice } from '../contracts/index.ts';
import type { Database } from '../db/index.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Oldest membership first. */
export async function listUserOrganizations(db: Executor, userId: string): Promise<OrganizationChoice[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
    .select(['organizations.id', 'organizations.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at')
    .orderBy('organizations.id')
    .execute();
}

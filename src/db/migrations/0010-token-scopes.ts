import type { Kysely } from 'kysely';

// API token scopes (read, write, admin; stored comma-separated, e.g. "read,write"). Tokens made before
// scopes existed keep what they could do: all three, still capped by their role (README, security model).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('read,write,admin'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('scopes').execute();
}

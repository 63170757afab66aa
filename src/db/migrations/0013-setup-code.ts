import type { Kysely } from 'kysely';

// First-run set-up codes: while no user exists, every web process that starts prints a one-time code
// and keeps only its SHA-256 here, so any process can check a code another one printed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('setup_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('setup_codes').ifExists().execute();
}

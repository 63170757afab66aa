import type { Kysely } from 'kysely';

// Organization settings (the per-severity SLA that gives new issues their default due date), and a
// project link's default for the confidential flag.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization_settings')
    .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('sla_days', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable('project_links')
    .addColumn('confidential_default', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('project_links').dropColumn('confidential_default').execute();
  await db.schema.dropTable('organization_settings').ifExists().execute();
}

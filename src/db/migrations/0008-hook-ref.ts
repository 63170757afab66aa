import { type Kysely, sql } from 'kysely';

// The webhook URL names a stable reference (`/webhooks/gitlab/<hook_ref>`), shared by every project-link
// row that uses the same GitLab hook, so re-saving a project (which replaces link rows) never orphans
// the hook GitLab calls.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('project_links').addColumn('hook_ref', 'text').execute();
  await sql`update project_links set hook_ref = id where hook_id is not null`.execute(db);
  await db.schema.createIndex('project_links_hook_ref').on('project_links').column('hook_ref').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('project_links_hook_ref').execute();
  await db.schema.alterTable('project_links').dropColumn('hook_ref').execute();
}

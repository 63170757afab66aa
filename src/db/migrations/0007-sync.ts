import type { Kysely } from 'kysely';

// Two-way sync: webhook deliveries (stored under their idempotency key before anything else happens),
// comments on tracked issues (from GitLab, or written in the hub and posted as notes), and each project
// link's reconciliation watermark.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('project_link_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addColumn('outcome', 'text')
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('tracked_issue_id', 'text', (c) => c.notNull().references('tracked_issues.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull()) // gitlab | hub
    .addColumn('author_user_id', 'text') // hub author
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_username', 'text')
    .addColumn('author_avatar_url', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('internal', 'integer', (c) => c.notNull())
    .addColumn('gitlab_note_id', 'integer')
    .addColumn('outbound_state', 'text') // pending | posted | failed (hub comments)
    .addColumn('error', 'text')
    .addColumn('gitlab_created_at', 'text')
    .addColumn('gitlab_updated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('comments_issue_note', ['tracked_issue_id', 'gitlab_note_id'])
    .execute();

  await db.schema.alterTable('project_links').addColumn('reconciled_until', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('project_links').dropColumn('reconciled_until').execute();
  for (const table of ['comments', 'webhook_deliveries']) await db.schema.dropTable(table).ifExists().execute();
}

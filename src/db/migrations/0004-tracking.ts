import type { Kysely } from 'kysely';

// Issues tracked in GitLab (at most one per finding identity and project, ever), pushes and their
// per-finding items, and the shared rate budgets every process draws from.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tracked_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
    .addColumn('identity_id', 'text', (c) => c.notNull().references('finding_identities.id').onDelete('cascade'))
    .addColumn('public_id', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('project_path', 'text', (c) => c.notNull())
    // null while a create is in flight: the row is the reservation that stops a second create.
    .addColumn('issue_id', 'integer')
    .addColumn('iid', 'integer')
    .addColumn('web_url', 'text')
    .addColumn('title', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // creating | opened | closed | deleted
    .addColumn('assignees', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('confidential', 'integer', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull()) // created | adopted
    .addColumn('reserved_by', 'text')
    .addColumn('create_attempted_at', 'text')
    .addColumn('gitlab_updated_at', 'text')
    .addColumn('synced_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tracked_issues_identity_project', ['identity_id', 'base_url', 'project_id'])
    .execute();
  await db.schema
    .createIndex('tracked_issues_project_iid')
    .on('tracked_issues')
    .columns(['project_id', 'iid'])
    .execute();

  await db.schema
    .createTable('pushes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
    .addColumn('scan_id', 'text', (c) => c.notNull().references('scans.id').onDelete('cascade'))
    .addColumn('vulnerability_id', 'text', (c) => c.notNull().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('project_link_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pushes_scan').on('pushes').columns(['scan_id', 'created_at']).execute();

  await db.schema
    .createTable('push_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('push_id', 'text', (c) => c.notNull().references('pushes.id').onDelete('cascade'))
    .addColumn('finding_id', 'text', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('public_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // pending | waiting | created | adopted | failed
    .addColumn('tracked_issue_id', 'text')
    .addColumn('error', 'text')
    .addColumn('job_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('push_items_push_finding', ['push_id', 'finding_id'])
    .execute();

  await db.schema
    .createTable('rate_budgets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['rate_budgets', 'push_items', 'pushes', 'tracked_issues'])
    await db.schema.dropTable(table).ifExists().execute();
}

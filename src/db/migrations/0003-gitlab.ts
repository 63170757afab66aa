import type { Kysely } from 'kysely';

// GitLab instances (self-managed ones added by an Administrator; gitlab.com comes from the operator's
// environment), connections (one per target: a GitLab user's tokens, sealed), and project links (the
// project a scan's issues go to; the link without a scan is the target's default).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gitlab_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('gitlab_instances_org_url', ['organization_id', 'base_url'])
    .execute();

  await db.schema
    .createTable('gitlab_connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull().unique().references('targets.id').onDelete('cascade'))
    .addColumn('instance_id', 'text', (c) => c.notNull()) // a gitlab_instances id, or 'gitlab.com'
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('auth_kind', 'text', (c) => c.notNull()) // oauth | access_token
    .addColumn('gitlab_user_id', 'integer', (c) => c.notNull())
    .addColumn('gitlab_username', 'text', (c) => c.notNull())
    .addColumn('gitlab_name', 'text', (c) => c.notNull())
    .addColumn('gitlab_avatar_url', 'text')
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('token_version', 'integer', (c) => c.notNull())
    .addColumn('refreshing_until', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // connected | reconnect_needed
    .addColumn('status_reason', 'text')
    .addColumn('connected_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('project_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull().references('targets.id').onDelete('cascade'))
    .addColumn('scan_id', 'text', (c) => c.references('scans.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('gitlab_connections.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('project_path', 'text', (c) => c.notNull())
    .addColumn('project_web_url', 'text', (c) => c.notNull())
    .addColumn('access_level', 'integer', (c) => c.notNull())
    .addColumn('hook_id', 'integer')
    .addColumn('hook_secret_enc', 'text')
    .addColumn('sync_mode', 'text', (c) => c.notNull()) // webhook | polling
    .addColumn('sync_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('project_links_target_scan')
    .on('project_links')
    .columns(['target_id', 'scan_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['project_links', 'gitlab_connections', 'gitlab_instances'])
    await db.schema.dropTable(table).ifExists().execute();
}

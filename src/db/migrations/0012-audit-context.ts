import type { Kysely } from 'kysely';

// A readable audit log (#14): where each event came from (address, user agent, the API token that
// acted, and the source: web, api, cli or worker), and indexes for the log's filters, each ending in
// (created_at, id) for keyset pagination newest first.
const COLUMNS = ['ip', 'user_agent', 'api_token_id', 'api_token_name', 'source'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of COLUMNS) await db.schema.alterTable('audit_events').addColumn(column, 'text').execute();
  await db.schema.dropIndex('audit_events_org_time').execute();
  await db.schema
    .createIndex('audit_events_org_time')
    .on('audit_events')
    .columns(['organization_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_org_actor')
    .on('audit_events')
    .columns(['organization_id', 'actor_user_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_org_action')
    .on('audit_events')
    .columns(['organization_id', 'action', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_org_subject')
    .on('audit_events')
    .columns(['organization_id', 'subject_type', 'subject_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'audit_events_org_subject',
    'audit_events_org_action',
    'audit_events_org_actor',
    'audit_events_org_time',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema
    .createIndex('audit_events_org_time')
    .on('audit_events')
    .columns(['organization_id', 'created_at'])
    .execute();
  for (const column of COLUMNS) await db.schema.alterTable('audit_events').dropColumn(column).execute();
}

import type { Kysely } from 'kysely';

// Real scanners' reports (#15): a scan records what its report left out (warnings, counted per kind, as
// JSON [{kind, count, message}]) and whether the report held no finding at all (empty: 1), so an empty
// report never reads as "everything was fixed"; a finding keeps every request/response pair its tool
// gave (additional_exchanges: JSON, the pairs after the first).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('scans')
    .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('scans')
    .addColumn('empty', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('findings')
    .addColumn('additional_exchanges', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('findings').dropColumn('additional_exchanges').execute();
  await db.schema.alterTable('scans').dropColumn('empty').execute();
  await db.schema.alterTable('scans').dropColumn('warnings').execute();
}

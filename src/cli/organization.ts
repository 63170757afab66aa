import type { Db } from '../db/index.ts';

/** The organization a CLI command acts for: the one given, or the only one there is. */
export async function resolveOrganization(db: Db, given?: string): Promise<string> {
  if (given) {
    const row = await db.kysely.selectFrom('organizations').select('id').where('id', '=', given).executeTakeFirst();
    if (!row) throw new Error(`no organization ${given}`);
    return row.id;
  }
  const rows = await db.kysely.selectFrom('organizations').select(['id', 'name']).limit(10).execute();
  if (rows.length === 1 && rows[0]) return rows[0].id;
  if (rows.length === 0)
    throw new Error('no organization yet: run `vulnbridge user create` or open the set-up page first');
  throw new Error(
    `several organizations exist; choose one with --organization-id (${rows.map((r) => `${r.id} ${r.name}`).join(', ')})`,
  );
}

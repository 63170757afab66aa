import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/databases.ts';
import { migrateToLatest } from './database.ts';
import { newId, nowIso } from './ids.ts';

describe.each(DIALECTS)('database on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  it('reports its dialect and migrates idempotently', async () => {
    expect(t.db.dialect).toBe(dialect);
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it('enforces the unique base URL per organization and cascades deletes', async () => {
    const org = { id: newId(), name: 'Acme', created_at: nowIso() };
    await t.db.kysely.insertInto('organizations').values(org).execute();
    const target = { organization_id: org.id, name: 'Shop', base_url: 'https://shop.example', created_at: nowIso(), updated_at: nowIso() };
    await t.db.kysely.insertInto('targets').values({ ...target, id: newId() }).execute();
    await expect(t.db.kysely.insertInto('targets').values({ ...target, id: newId() }).execute()).rejects.toThrow(/unique/i);
    await t.db.kysely.deleteFrom('organizations').where('id', '=', org.id).execute();
    const left = await t.db.kysely.selectFrom('targets').select('id').where('organization_id', '=', org.id).execute();
    expect(left).toEqual([]);
  });
});

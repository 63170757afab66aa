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
    const target = {
      organization_id: org.id,
      name: 'Shop',
      base_url: 'https://shop.example',
      created_at: nowIso(),
      updated_at: nowIso(),
    };
    await t.db.kysely
      .insertInto('targets')
      .values({ ...target, id: newId() })
      .execute();
    await expect(
      t.db.kysely
        .insertInto('targets')
        .values({ ...target, id: newId() })
        .execute(),
    ).rejects.toThrow(/unique/i);
    await t.db.kysely.deleteFrom('organizations').where('id', '=', org.id).execute();
    const left = await t.db.kysely.selectFrom('targets').select('id').where('organization_id', '=', org.id).execute();
    expect(left).toEqual([]);
  });

  it('exposes the raw handle only on sqlite', () => {
    expect(t.db.sqlite !== undefined).toBe(dialect === 'sqlite');
  });
});

describe('the raw better-sqlite3 handle', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterAll(async () => t?.drop());

  it('runs statements inside the transaction Kysely opened: a rollback removes their rows', async () => {
    const raw = t.db.sqlite;
    if (!raw) throw new Error('the sqlite dialect exposes its better-sqlite3 handle');
    const insert = raw.prepare('insert into organizations (id, name, created_at) values (?, ?, ?)');
    const id = newId();
    const seen = await t.db.kysely
      .transaction()
      .execute(async (trx) => {
        expect(raw.inTransaction).toBe(true);
        insert.run(id, 'Raw', nowIso());
        // Kysely's query in the same transaction sees the raw insert: one connection.
        const row = await trx.selectFrom('organizations').select('name').where('id', '=', id).executeTakeFirst();
        throw Object.assign(new Error('roll back'), { row });
      })
      .catch((error: Error & { row?: unknown }) => error.row);
    expect(seen).toEqual({ name: 'Raw' });
    expect(raw.inTransaction).toBe(false);
    expect(await t.db.kysely.selectFrom('organizations').select('id').where('id', '=', id).execute()).toEqual([]);

    // And committed with it when the transaction succeeds.
    const kept = newId();
    await t.db.kysely.transaction().execute(async () => {
      insert.run(kept, 'Kept', nowIso());
    });
    expect(await t.db.kysely.selectFrom('organizations').select('name').where('id', '=', kept).execute()).toEqual([
      { name: 'Kept' },
    ]);
  });
});

// Every data-layer and route test runs on both dialects: a fresh SQLite file and a fresh PostgreSQL
// database (created on the local server and dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Db, type DialectName, migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { createOrganizationWithOwner } from '../../src/services/index.ts';

export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A new, empty database URL of the given dialect, and a function that removes it. */
export async function createDatabaseUrl(dialect: DialectName): Promise<{ url: string; remove(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vb-test-'));
    return { url: join(dir, 'test.sqlite'), remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `vb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    remove: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A migrated database of the given dialect. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const { url, remove } = await createDatabaseUrl(dialect);
  const db = openDatabase(url);
  await migrateToLatest(db);
  return {
    url,
    db,
    drop: async () => {
      await db.close();
      await remove();
    },
  };
}

/** A migrated database of the given dialect holding one organization (Acme, its Owner a@example.com). */
export async function createTestOrganization(
  dialect: DialectName,
): Promise<{ t: TestDatabase; organizationId: string }> {
  const t = await createTestDatabase(dialect);
  const owner = { organizationName: 'Acme', name: 'A', email: 'a@example.com', password: 'a long password!' };
  const organizationId = (await createOrganizationWithOwner(t.db.kysely, owner)).organization.id;
  return { t, organizationId };
}

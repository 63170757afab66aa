// The database: DATABASE_URL selects the dialect (a SQLite file path, or a postgres:// URL). One Kysely
// query layer for both.
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { ensurePrivateDir, ensurePrivateFile } from '../config/index.ts';
import { settleBulkWrites } from './bulk-write.ts';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './tables.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /**
   * The sqlite dialect's raw better-sqlite3 handle: the one connection Kysely's SQLite driver uses.
   * For hot paths only (prepared statements reused across many rows), and only inside a transaction
   * Kysely opened (db.kysely.transaction()): while it runs, Kysely's mutex keeps every other query off
   * the connection, so statements run here are part of that transaction and roll back with it.
   */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

export function dialectOf(url: string): DialectName {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
}

/** Page size of a new SQLite database, in bytes. */
export const PAGE_SIZE = 16_384;

export function openDatabase(url: string, options: { poolSize?: number; onError?: (error: Error) => void } = {}): Db {
  if (dialectOf(url) === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
    pool.on('error', (error) => options.onError?.(error));
    // A client in use (checked out, inside a transaction or between queries) that loses its server emits
    // 'error' on itself, where the pool has no listener then: without this one the process dies of an
    // unhandled 'error' event. The error also fails the query using the client (or its next one), and
    // the pool discards the client when it is released, since it is no longer queryable.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
  }
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  // Only this user may read the data: a new directory is 0700 and a new database file 0600 (SQLite
  // gives its -wal and -shm files the database file's mode).
  if (path !== ':memory:') {
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path);
  }
  const sqlite = new SQLite(path);
  // A new database gets 16 KiB pages: findings are rows of about a kilobyte of scanner text, and larger
  // pages store them with fewer overflow pages and shallower indexes (an import of 100,000 findings took
  // 23 % less time than with SQLite's 4 KiB default). The size is fixed once the first table exists, so
  // an existing database keeps its own.
  if (sqlite.prepare('select count(*) as n from sqlite_master').pluck().get() === 0)
    sqlite.pragma(`page_size = ${PAGE_SIZE}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const close = async () => {
    await settleBulkWrites(sqlite);
    await kysely.destroy();
  };
  return { kysely, dialect: 'sqlite', sqlite, close };
}

/** Bring the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The database answers (health checks). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db.kysely);
}

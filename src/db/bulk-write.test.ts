import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkWrite, settleBulkWrites } from './bulk-write.ts';
import { migrateToLatest, openDatabase, PAGE_SIZE } from './database.ts';

const dir = mkdtempSync(join(tmpdir(), 'vb-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bulkWrite on SQLite', () => {
  it('commits with the automatic checkpoint held back, then copies the WAL into the database file in the background; close waits for it', async () => {
    const path = join(dir, 'bulk.sqlite');
    const db = openDatabase(`sqlite:${path}`);
    const sqlite = db.sqlite!;
    await sql`create table t (id integer primary key, body text not null)`.execute(db.kysely);
    const before = {
      cache: sqlite.pragma('cache_size', { simple: true }),
      autocheckpoint: sqlite.pragma('wal_autocheckpoint', { simple: true }),
    };
    const sizeBefore = statSync(path).size;
    const seen = await bulkWrite(sqlite, () =>
      db.kysely.transaction().execute(async () => {
        const insert = sqlite.prepare('insert into t (body) values (?)');
        for (let i = 0; i < 2000; i++) insert.run('x'.repeat(2000));
        return {
          cache: sqlite.pragma('cache_size', { simple: true }),
          autocheckpoint: sqlite.pragma('wal_autocheckpoint', { simple: true }),
        };
      }),
    );
    expect(seen).toEqual({ cache: -32768, autocheckpoint: 0 });
    // The connection's own settings are back once the write is done.
    expect({
      cache: sqlite.pragma('cache_size', { simple: true }),
      autocheckpoint: sqlite.pragma('wal_autocheckpoint', { simple: true }),
    }).toEqual(before);
    // The 4 MB committed went to the WAL; the background checkpoint (awaited here, as close does) moved
    // them into the database file while this connection stayed open (so not by closing the last one).
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(4_000_000);
    await settleBulkWrites(sqlite);
    expect(statSync(path).size - sizeBefore).toBeGreaterThan(4_000_000);
    await db.close();
    const again = openDatabase(`sqlite:${path}`);
    expect(Number((await sql<{ n: number }>`select count(*) as n from t`.execute(again.kysely)).rows[0]?.n)).toBe(2000);
    await again.close();
  });

  it('restores the settings and still checkpoints when the write fails', async () => {
    const path = join(dir, 'fail.sqlite');
    const db = openDatabase(`sqlite:${path}`);
    const sqlite = db.sqlite!;
    await sql`create table t (id integer primary key)`.execute(db.kysely);
    await expect(
      bulkWrite(sqlite, () => db.kysely.transaction().execute(async () => Promise.reject(new Error('bad report')))),
    ).rejects.toThrow('bad report');
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await db.close();
  });
});

describe('SQLite page size', () => {
  it('gives a new database 16 KiB pages and leaves an existing database its own', async () => {
    const fresh = openDatabase(`sqlite:${join(dir, 'fresh.sqlite')}`);
    await migrateToLatest(fresh);
    expect(fresh.sqlite!.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    await fresh.close();

    // A database made before this default (SQLite's 4 KiB pages), with tables in it, keeps them.
    const path = join(dir, 'older.sqlite');
    const Sqlite = (await import('better-sqlite3')).default;
    const older = new Sqlite(path);
    older.exec('create table kept (id integer primary key)');
    expect(older.pragma('page_size', { simple: true })).toBe(4096);
    older.close();
    const reopened = openDatabase(`sqlite:${path}`);
    expect(reopened.sqlite!.pragma('page_size', { simple: true })).toBe(4096);
    expect(reopened.sqlite!.prepare('select count(*) from kept').pluck().get()).toBe(0);
    await reopened.close();
  });
});

// Large writes on SQLite (an import of 100,000 findings, ~150 MB of pages): run with a page cache big
// enough for the indexes that take rows in random order (identities by fingerprint and public ID), so
// their pages are not spilled to the WAL and rewritten over and over; and with the WAL's automatic
// checkpoint held back, so the commit does not also copy the whole WAL into the database file. That
// copy then runs on a connection of its own on a worker thread, off the caller's path; closing the
// database waits for it. The data is as durable either way: it is in the WAL when the commit returns.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type SQLite from 'better-sqlite3';

/** Page cache for a large write, in KiB (SQLite's negative cache_size). Pages are allocated only as used. */
const BULK_CACHE_KIB = 32 * 1024;

const pending = new WeakMap<SQLite.Database, Set<Promise<void>>>();
const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');

/** Runs `write` (which opens and commits its own transaction) with the connection tuned for a large write. */
export async function bulkWrite<T>(sqlite: SQLite.Database | undefined, write: () => Promise<T>): Promise<T> {
  if (!sqlite) return write();
  const cache = sqlite.pragma('cache_size', { simple: true }) as number;
  const autocheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma(`cache_size = ${-BULK_CACHE_KIB}`);
  sqlite.pragma('wal_autocheckpoint = 0');
  try {
    return await write();
  } finally {
    sqlite.pragma(`cache_size = ${cache}`);
    sqlite.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    checkpointInBackground(sqlite);
  }
}

/** Copies the WAL into the database file from another connection, on a worker thread. */
function checkpointInBackground(sqlite: SQLite.Database): void {
  if (sqlite.memory || !sqlite.open) return;
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require(workerData.module);
     const db = new Database(workerData.path, { fileMustExist: true });
     try { db.pragma('busy_timeout = 1000'); parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')); } finally { db.close(); }`,
    { eval: true, workerData: { module: betterSqlite, path: sqlite.name } },
  );
  const done = new Promise<void>((resolve) => {
    // A checkpoint that fails (busy, or the file gone) is harmless: the next commit's automatic one does it.
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
  const set = pending.get(sqlite) ?? new Set<Promise<void>>();
  pending.set(sqlite, set);
  set.add(done);
  void done.then(() => set.delete(done));
}

/** Waits for the background checkpoints of this connection (before closing it). */
export async function settleBulkWrites(sqlite: SQLite.Database): Promise<void> {
  const set = pending.get(sqlite);
  if (set) await Promise.all([...set]);
}

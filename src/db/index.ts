export { type DialectName, type Db, dialectOf, migrateToLatest, openDatabase, pingDatabase } from './database.ts';
export { newId, nowIso } from './ids.ts';
export type * from './tables.ts';
export { bulkWrite } from './bulk-write.ts';

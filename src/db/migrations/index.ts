import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-scans.ts';
import * as m0003 from './0003-gitlab.ts';
import * as m0004 from './0004-tracking.ts';
import * as m0006 from './0006-settings.ts';
import * as m0007 from './0007-sync.ts';
import * as m0008 from './0008-hook-ref.ts';
import * as m0009 from './0009-invitations.ts';
import * as m0010 from './0010-token-scopes.ts';
import * as m0011 from './0011-scan-warnings.ts';
import * as m0012 from './0012-audit-context.ts';
import * as m0013 from './0013-setup-code.ts';

// Migrations are listed in code (not read from disk), so they run the same under tsx, in tests and in
// any bundle. Later issues append theirs here; names sort in order.
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-scans': m0002,
  '0003-gitlab': m0003,
  '0004-tracking': m0004,
  '0006-settings': m0006,
  '0007-sync': m0007,
  '0008-hook-ref': m0008,
  '0009-invitations': m0009,
  '0010-token-scopes': m0010,
  '0011-scan-warnings': m0011,
  '0012-audit-context': m0012,
  '0013-setup-code': m0013,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

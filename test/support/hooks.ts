// Set-up many describe blocks share, as vitest hooks: made before the block's tests (and handed to
// `use`, which keeps it in the block's variables), removed after them.
import { afterAll, beforeAll } from 'vitest';
import type { DialectName } from '../../src/db/index.ts';
import { createTestAppWithOrg, type Org, type TestApp } from './app.ts';
import { createTestOrganization, type TestDatabase } from './databases.ts';

function withMade<T>(make: () => Promise<T>, remove: (made: T) => Promise<void>, use: (made: T) => void): void {
  let made: T | undefined;
  beforeAll(async () => {
    made = await make();
    use(made);
  });
  afterAll(async () => {
    if (made !== undefined) await remove(made);
  });
}

/** A test app of `dialect` with an organization (one signed-in member of each role); closed after. */
export function withTestAppAndOrg(dialect: DialectName, use: (made: { h: TestApp; org: Org }) => void): void {
  withMade(
    () => createTestAppWithOrg(dialect),
    ({ h }) => h.close(),
    use,
  );
}

/** A migrated database of `dialect` holding one organization; dropped after. */
export function withTestOrganization(
  dialect: DialectName,
  use: (made: { t: TestDatabase; organizationId: string }) => void,
): void {
  withMade(
    () => createTestOrganization(dialect),
    ({ t }) => t.drop(),
    use,
  );
}
